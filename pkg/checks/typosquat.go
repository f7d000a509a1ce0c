package checks

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/diff"
)

// Typosquats reports newly added package names that resemble a popular package.
//
// Motivation: typosquatting (crossenv for cross-env, mongose for mongoose) is
// the most common way malware reaches npm users: one typo in a package.json or
// a dependency of a dependency. What it looks at: every package name that the
// base tree did not contain at all, against the popular-name index
// (pkg/typosquat). It fires (high) when the name is not itself popular and is
// confusable with a popular name under one of the index's rules; the finding
// names the popular package and the rule. Remediation: check that the new
// name is the package you meant; if it is, accept it with an ignore entry.
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
		f := finding(c, High, fmt.Sprintf("%s is a new package whose name resembles the popular package %q (%s: %s)", versionText(c), target, rule, detail),
			fmt.Sprintf("Make sure you meant %q and not %q: compare the two on npmjs.com (owner, downloads, repository) before merging.", c.Name, target))
		f.Target = target
		f.Values = map[string]string{"rule": rule}
		out = append(out, f)
	}
	return out
}
