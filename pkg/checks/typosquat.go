package checks

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// weakTyposquatRules match many legitimate names ("node-mkdirp", "history.js",
// "hash-object", "bocha", "nexttick"); alone they report medium. The names
// are pkg/typosquat's Reason values.
var weakTyposquatRules = map[string]bool{"affix": true, "token-order": true, "plural": true, "near-edit": true, "scope-dropped": true, "delimiter": true}

// Typosquats reports newly added package names that resemble a popular package.
//
// Motivation: typosquatting (crossenv for cross-env, mongose for mongoose) is
// the most common way malware reaches npm users: one typo in a package.json or
// a dependency of a dependency. What it looks at: every package name that the
// base tree did not contain at all, against the popular-name index
// (pkg/typosquat). It fires when the name is not itself popular and is
// confusable with a popular name under one of the index's rules; the finding
// names the popular package and the rule. Rules that real typosquats use most
// and legitimate names rarely match (a typing slip, letters typed in the
// wrong order, a look-alike letter, a borrowed scope) report high; the
// weaker ones (dropped separators, an added "node-" or ".js", reordered
// words, a plural, any other single edit, a dropped scope) report medium,
// raised to high when the package also runs an install script, is itself
// new on the registry, or is a direct dependency of the project (where a
// name typed by mistake lands): most names of that shape are old,
// legitimate packages, most typosquats are new and run code on install, and
// a typo victim adds the package themselves. Remediation:
// check that the new name is the package you meant; if it is, accept it
// with an ignore entry.
func Typosquats(in *Input) []Finding {
	ix := in.Config.Typosquat
	if ix == nil {
		return nil
	}
	inBase := map[string]bool{}
	for _, p := range in.base().Packages {
		inBase[p.Name] = true
	}
	var out []Finding
	seen := map[string]bool{}
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.Added || inBase[c.Name] || seen[c.Name] {
			continue
		}
		n := c.Node()
		if n == nil || n.Workspace || n.Link {
			continue
		}
		seen[c.Name] = true
		target, rule, detail, ok := ix.Nearest(c.Name)
		if !ok {
			continue
		}
		sev := High
		if weakTyposquatRules[rule] {
			sev = Medium
			after, _ := in.Meta.of(c)
			switch {
			case firstWith(c.After, func(p *lockfile.Package) bool { return p.HasInstallScript }) != nil:
				sev, detail = High, detail+"; it also runs an install script"
			case after != nil && after.Manifest != nil && len(after.Manifest.InstallScripts()) > 0:
				sev, detail = High, detail+"; it also runs an install script"
			case after != nil && !after.Created.IsZero() && in.Now.Sub(after.Created) < NewPackageAge:
				sev, detail = High, detail+"; it is also less than 30 days old"
			case c.Direct:
				// A mistyped name lands where someone typed it: in the
				// project's own dependencies.
				sev, detail = High, detail+"; it is also a direct dependency, where a mistyped name lands"
			}
		}
		f := finding(c, sev, fmt.Sprintf("%s is a new package whose name resembles the popular package %q (%s: %s)", versionText(c), target, rule, detail),
			fmt.Sprintf("Make sure you meant %q and not %q: compare the two on npmjs.com (owner, downloads, repository) before merging.", c.Name, target))
		f.Target = target
		f.Values = map[string]string{"rule": rule}
		out = append(out, f)
	}
	return out
}
