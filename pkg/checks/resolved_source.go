package checks

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

const fixSource = "Make sure the new source is intended (a fork or mirror you trust); otherwise restore the registry version and regenerate the lockfile."

// SourceChanges reports updates whose source kind or host changed.
//
// Motivation: moving a dependency from the registry to a git fork or another
// host swaps whose code you run while the name stays the same. What it looks
// at: the resolved URL of the old and new version of every update. It fires
// high when the kind (registry, git, tarball, file) or host differs, and low
// for a pure scheme upgrade of the same location (http → https, git+https →
// git+ssh at the same repository). Remediation: confirm the new source is
// trusted, or go back to the registry.
func SourceChanges(in *Input) []Finding {
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.Updated || len(c.Before) == 0 || len(c.After) == 0 {
			continue
		}
		// Every copy of the new version counts: one of two install paths
		// can come from somewhere else.
		var before, after lockfile.Source
		var node *lockfile.Package
		for _, a := range c.After {
			if a.Source.Kind == lockfile.SourceMissing || a.Link || a.Workspace {
				continue
			}
			b, ok := closestSource(c.Before, a.Source)
			if !ok || sameOrigin(b, a.Source) {
				continue
			}
			if node == nil || (upgradeOnly(before, after) && !upgradeOnly(b, a.Source)) {
				before, after, node = b, a.Source, a
			}
		}
		if node == nil {
			continue
		}
		f := finding(c, High, fmt.Sprintf("%s now comes from %s instead of %s", versionText(c), describe(after), describe(before)), fixSource)
		if before.Kind == lockfile.SourceGit && after.Kind == lockfile.SourceGit {
			f.Message = fmt.Sprintf("%s now comes from the git repository %s instead of %s", versionText(c), gitRepo(after), gitRepo(before))
		}
		if upgradeOnly(before, after) {
			f.Severity = Low
			f.Message = fmt.Sprintf("%s moved from %s to %s (same location, other scheme)", versionText(c), before.Scheme, after.Scheme)
		}
		f.Line, f.Path = node.Line, node.Path
		f.Values = map[string]string{"before": before.URL, "after": after.URL}
		out = append(out, f)
	}
	return append(out, linkChanges(in)...)
}

// linkChanges reports install paths that became a link, stopped being one,
// or link to another folder. The diff compares packages by name and leaves
// links and workspace folders out, so these would pass unseen: a direct
// dependency turned into a link to a folder an attacker controls, or a
// workspace package replaced by a public package of the same name.
func linkChanges(in *Input) []Finding {
	base, head := in.base(), in.head()
	var out []Finding
	for _, h := range head.Packages {
		b := base.Package(h.Path)
		if b == nil {
			continue
		}
		if !h.Link && !b.Link {
			if b.Source.Kind == lockfile.SourceGit && b.Source.Commit != "" && h.Resolved == "" && !h.Workspace {
				// An omitted resolved is unknown, not a change, except here:
				// without its pinned commit npm resolves the git spec again,
				// and a branch can point anywhere by then.
				out = append(out, Finding{
					Severity: Medium, Package: h.Name, Version: h.Version, Line: h.Line, Path: h.Path,
					Message:     fmt.Sprintf("%s (%s) no longer pins the git commit %s (%s): npm will resolve its git spec again", h.Path, h.Name, b.Source.Commit, b.Source.URL),
					Remediation: "Restore the resolved URL with its commit, or regenerate the lockfile so the dependency is pinned again.",
					Values:      map[string]string{"before": b.Resolved},
				})
			}
			continue
		}
		var msg string
		switch {
		case h.Link && b.Link:
			if h.Resolved == b.Resolved {
				continue
			}
			msg = fmt.Sprintf("%s now links to %s instead of %s%s", h.Path, linkTarget(h.Resolved), linkTarget(b.Resolved), outside(h.Resolved))
		case h.Link:
			msg = fmt.Sprintf("%s (%s %s, from %s) is now a link to %s%s", h.Path, b.Name, b.Version, describe(b.Source), linkTarget(h.Resolved), outside(h.Resolved))
		default:
			msg = fmt.Sprintf("%s was a link to %s and now installs %s %s from %s", h.Path, linkTarget(b.Resolved), h.Name, h.Version, describe(h.Source))
		}
		f := Finding{
			Severity: High, Package: h.Name, Version: h.Version, Line: h.Line, Path: h.Path, Message: msg,
			Remediation: "Make sure the new target is intended: a link or a package that replaces the other one changes whose code the name loads.",
			Values:      map[string]string{"before": b.Resolved, "after": h.Resolved},
		}
		if h.Link {
			if t := head.Target(h); t != nil {
				f.Version = t.Version
			}
		}
		out = append(out, f)
	}
	return out
}

func linkTarget(resolved string) string {
	if resolved == "" {
		return "an unrecorded folder"
	}
	return fmt.Sprintf("the folder %q", resolved)
}

// outside notes a link target outside the project.
func outside(resolved string) string {
	if strings.HasPrefix(resolved, "../") || strings.HasPrefix(resolved, "/") || resolved == ".." {
		return ", outside the project"
	}
	return ""
}

// closestSource returns the source among the base nodes that a head source
// should be compared with: one of the same kind and host if any, else one
// that differs only by scheme, else the first recorded one. ok is false when
// no base node records a source.
func closestSource(base []*lockfile.Package, s lockfile.Source) (lockfile.Source, bool) {
	var first lockfile.Source
	var upgrade *lockfile.Source
	ok := false
	for _, b := range base {
		bs := b.Source
		if bs.Kind == lockfile.SourceMissing || b.Link || b.Workspace {
			continue
		}
		if sameOrigin(bs, s) {
			return bs, true
		}
		if upgrade == nil && upgradeOnly(bs, s) {
			upgrade = &bs
		}
		if !ok {
			first, ok = bs, true
		}
	}
	if upgrade != nil {
		return *upgrade, true
	}
	return first, ok
}

// ResolvedChanged reports a name@version that now resolves from another URL.
//
// Motivation: the same version fetched from another URL is other bytes unless
// proven otherwise (a mirror can serve anything). What it looks at: the
// resolved URLs of each name@version present in both trees. It fires high when
// the head resolves from a URL the base never used, and low when only the
// scheme changed at the same location (http → https; git+https → git+ssh at the
// same commit). Remediation: confirm the new URL serves the registry's bytes.
func ResolvedChanged(in *Input) []Finding {
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.SourceChanged {
			continue
		}
		var before, after lockfile.Source
		var node *lockfile.Package
		for _, a := range c.After {
			if a.Resolved == "" || slices.ContainsFunc(c.Before, func(b *lockfile.Package) bool { return b.Resolved == a.Resolved }) {
				continue
			}
			// Compare with the base URL it most resembles: a bundled or
			// linked base copy records no URL at all.
			b, ok := closestResolved(c.Before, a.Source)
			if !ok {
				continue
			}
			if node == nil || (upgradeOnly(before, after) && !upgradeOnly(b, a.Source)) {
				before, after, node = b, a.Source, a
			}
		}
		if node == nil {
			continue
		}
		f := finding(c, High, fmt.Sprintf("%s@%s now resolves from %s instead of %s", c.Name, c.To, after.URL, before.URL), fixSource)
		if upgradeOnly(before, after) {
			f.Severity = Low
			f.Message = fmt.Sprintf("%s@%s: resolved changed from %s to %s at the same location", c.Name, c.To, before.Scheme, after.Scheme)
		}
		f.Line, f.Path = node.Line, node.Path
		f.Values = map[string]string{"before": before.URL, "after": after.URL}
		out = append(out, f)
	}
	return out
}

// closestResolved is closestSource for a re-resolved version: among base
// nodes that record a URL, one at the same location by another scheme if
// any, else the first.
func closestResolved(base []*lockfile.Package, s lockfile.Source) (lockfile.Source, bool) {
	var first lockfile.Source
	ok := false
	for _, b := range base {
		if b.Resolved == "" {
			continue
		}
		if upgradeOnly(b.Source, s) {
			return b.Source, true
		}
		if !ok {
			first, ok = b.Source, true
		}
	}
	return first, ok
}

// NonRegistrySources reports new packages that do not come from an allowed registry.
//
// Motivation: git, file and arbitrary tarball sources bypass the registry's
// immutability, its malware takedowns and provenance. What it looks at: the
// source of every added or updated package (http sources are insecure-source's).
// It fires (medium) for git, file and non-registry tarball sources, and for a
// registry-layout URL on a host outside the policy's allowed-hosts.
// Remediation: publish the package to your registry, or add the host to
// allowed-hosts in .github/lockreview.yml if it is yours.
func NonRegistrySources(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(introduced) {
		// Every install path of the version counts, not only the first.
		for _, n := range c.After {
			if n.Link || n.Workspace || bundled(n) {
				continue
			}
			var msg string
			switch s := n.Source; s.Kind {
			case lockfile.SourceGit:
				msg = fmt.Sprintf("%s comes from git (%s), not from a registry", versionText(c), s.URL)
			case lockfile.SourceFile:
				msg = fmt.Sprintf("%s comes from a local file (%s), not from a registry", versionText(c), s.URL)
			case lockfile.SourceTarball:
				msg = fmt.Sprintf("%s comes from a tarball URL on %s, not from a registry", versionText(c), s.Host)
			case lockfile.SourceRegistry:
				if hostAllowed(s.Host, in.Config.AllowedHosts) {
					continue
				}
				msg = fmt.Sprintf("%s comes from %s, which is not an allowed registry host (%s)", versionText(c), s.Host, strings.Join(in.Config.AllowedHosts, ", "))
			default:
				continue
			}
			if len(c.After) > 1 {
				msg += fmt.Sprintf(" (at %s)", n.Path)
			}
			f := finding(c, Medium, msg, "Prefer a registry release; if this host is your own registry, add it to allowed-hosts in .github/lockreview.yml.")
			f.Line, f.Path = n.Line, n.Path
			f.Values = map[string]string{"resolved": n.Source.URL, "kind": n.Source.Kind.String()}
			out = append(out, f)
			break
		}
	}
	return append(out, newOutsideLinks(in)...)
}

// newOutsideLinks reports new links to a folder outside the project ("x":
// "file:../x"): npm links whatever that folder holds on the machine that
// installs, code that is not part of the change. The diff leaves links
// out; a path that was not a link before is source-changed's.
func newOutsideLinks(in *Input) []Finding {
	base, head := in.base(), in.head()
	var out []Finding
	for _, h := range head.Packages {
		if !h.Link || outside(h.Resolved) == "" || base.Package(h.Path) != nil {
			continue
		}
		name, version := h.Name, ""
		if t := head.Target(h); t != nil {
			version = t.Version
		}
		out = append(out, Finding{
			Severity: Medium, Package: name, Version: version, Line: h.Line, Path: h.Path,
			Message:     fmt.Sprintf("%s is a new link to %s%s: npm links whatever that folder holds where it installs, and its code is not part of this change", h.Path, linkTarget(h.Resolved), outside(h.Resolved)),
			Remediation: "Prefer a registry release or a workspace inside the repository; review the linked folder's code where it comes from.",
			Values:      map[string]string{"resolved": h.Resolved, "kind": "link"},
		})
	}
	return out
}

// InsecureSources reports changed packages fetched over an unauthenticated transport.
//
// Motivation: anyone on the network path can replace a package fetched over
// http:// or git://, and an integrity hash does not protect a first install
// of a git dependency. What it looks at: the resolved URL of every added,
// updated or re-resolved package. It fires (high) for http://, git:// and
// git+http:// sources. Remediation: switch the URL to https (npm does this
// with a fresh lockfile).
func InsecureSources(in *Input) []Finding {
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if !introduced(c) && c.Kind != diff.SourceChanged {
			continue
		}
		for _, n := range c.After {
			s := n.Source
			if !insecure(s) || (c.Kind == diff.SourceChanged && slices.ContainsFunc(c.Before, func(b *lockfile.Package) bool { return b.Resolved == n.Resolved })) {
				continue // an http URL the base already used is not new
			}
			f := finding(c, High, fmt.Sprintf("%s is fetched over %s (%s): anyone on the network path can swap it", versionText(c), s.Scheme, s.URL),
				"Use an https (or git+ssh) URL; regenerating the lockfile with a current npm does this for registry packages.")
			f.Line, f.Path = n.Line, n.Path
			f.Values = map[string]string{"resolved": s.URL}
			out = append(out, f)
			break
		}
	}
	return out
}

// NameMismatch reports registry tarball URLs that name another package or version.
//
// Motivation: lockfile injection. An attacker edits `resolved` of a popular
// entry to the tarball of their own package; the entry still says "lodash",
// npm installs the attacker's code (lockfile-lint's validate-package-names).
// What it looks at: the package name and version encoded in the registry path
// (/<name>/-/<name>-<version>.tgz) of every changed node. It fires (critical)
// when either differs from the entry, or when the file name is not the
// name part followed by "-" (/lodash/-/evil-4.17.21.tgz). Remediation:
// regenerate the lockfile from the registry and find out who edited it.
func NameMismatch(in *Input) []Finding {
	var out []Finding
	seen := map[string]bool{} // one node can be in two changes (integrity and source)
	for c := range in.changes(notRemoved) {
		for _, n := range c.After {
			s := n.Source
			if s.TarballName == "" || seen[n.Path] {
				continue
			}
			seen[n.Path] = true
			var msg string
			switch {
			case s.TarballName != n.Name:
				// Exact: registry names and URLs keep their case, and a
				// folder "Lodash" holding lodash's tarball is one that
				// case-insensitive file systems mix up with "lodash".
				msg = fmt.Sprintf("entry %q (%s %s) resolves to the tarball of another package, %q: %s", n.Path, n.Name, n.Version, s.TarballName, s.URL)
			case s.TarballVersion != "" && n.Version == "":
				msg = fmt.Sprintf("entry %q (%s) records no version and resolves to the tarball of version %s: %s", n.Path, n.Name, s.TarballVersion, s.URL)
			case s.TarballVersion != "" && s.TarballVersion != n.Version:
				msg = fmt.Sprintf("entry %q (%s %s) resolves to the tarball of version %s: %s", n.Path, n.Name, n.Version, s.TarballVersion, s.URL)
			case s.TarballVersion == "" && s.TarballFile != "":
				// The registry names each tarball of a package after it
				// (/lodash/-/lodash-4.17.21.tgz); a file named otherwise
				// is not one the registry published for this package.
				msg = fmt.Sprintf("entry %q (%s %s) resolves to a tarball file named for another package, %q: %s", n.Path, n.Name, n.Version, s.TarballFile, s.URL)
			default:
				continue
			}
			f := finding(c, Critical, msg, "Regenerate the lockfile from the registry; an entry whose URL names another package is how lockfile injection hides code.")
			f.Line, f.Path = n.Line, n.Path
			f.Values = map[string]string{"resolved": s.URL, "tarballName": s.TarballName}
			out = append(out, f)
		}
	}
	return append(out, aliasMismatches(in)...)
}

// aliasMismatches reports folders that install another package than their
// name without an npm alias asking for it: node_modules/lodash holding
// "evil-pkg" while whatever requires lodash declares "^4.17.21", not
// "npm:evil-pkg@…". npm accepts such an entry (only alias specs are checked
// against the package name), so require("lodash") loads evil-pkg.
func aliasMismatches(in *Input) []Finding {
	head := in.head()
	type aliased struct {
		c *diff.Change
		n *lockfile.Package
	}
	var nodes []aliased
	names := map[string]bool{}
	seen := map[string]bool{}
	for c := range in.changes(notRemoved) {
		for _, n := range c.After {
			if n.Alias == "" || n.Link || n.Workspace || seen[n.Path] {
				continue
			}
			seen[n.Path] = true
			nodes = append(nodes, aliased{c, n})
			names[n.Alias] = true
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	// Who requires each aliased node, found in one pass over every declared
	// dependency (root first), each resolved once: linear in the tree,
	// however many aliased nodes share a name.
	type requirer struct {
		p    *lockfile.Package
		spec string
	}
	byNode := map[*lockfile.Package][]requirer{}
	consider := func(p *lockfile.Package) {
		for i, d := range p.Deps {
			if !names[d.Name] || (i > 0 && p.Deps[i-1].Name == d.Name) {
				continue
			}
			r := head.Resolve(p.Path, d.Name)
			if r == nil {
				continue
			}
			spec, _ := p.Deps.Get(d.Name, lockfile.DepAny)
			byNode[r] = append(byNode[r], requirer{p, spec})
			if t := head.Target(r); t != nil && t != r {
				byNode[t] = append(byNode[t], requirer{p, spec})
			}
		}
	}
	if head.Root != nil {
		consider(head.Root)
	}
	for _, p := range head.Packages {
		consider(p)
	}
	// npm reads package.json, not the lockfile's copy of it: a copy that no
	// longer declares a dependency the base's copy declared does not make
	// npm stop requiring it. The base's declaration stands in for it.
	if in.Changes.Base != nil {
		for _, p := range append([]*lockfile.Package{head.Root}, head.Packages...) {
			if p == nil || (p != head.Root && !p.Workspace) {
				continue
			}
			for name := range names {
				if p.Deps.Has(name, lockfile.DepAny) {
					continue
				}
				spec, ok := baseSpec(in, p, name)
				if !ok {
					continue
				}
				if r := head.Resolve(p.Path, name); r != nil {
					byNode[r] = append(byNode[r], requirer{p, spec + " (in the base lockfile; this one no longer declares it)"})
				}
			}
		}
	}
	var out []Finding
	for _, a := range nodes {
		c, n := a.c, a.n
		// The project asking for n through its npm alias (the root's or a
		// workspace's "prettier": "npm:wp-prettier@3") makes the alias
		// intended; a peer or plain range on the folder name
		// (eslint-plugin-prettier's "prettier": ">=3") then gets it as npm
		// means it to. Only the project's own declarations count, and only
		// as the base lockfile already had them (projectAliased): a package
		// entry, a made-up "workspace" entry, or the lockfile's copy of the
		// root manifest (npm reads package.json, not that copy) could list
		// the alias just to vouch for the swap.
		var plain *requirer
		intended := false
		for i, r := range byNode[n] {
			if isAliasOf(r.spec, n.Name) {
				// This requirer asks for exactly n.
				if r.p == head.Root || r.p.Workspace {
					if projectAliased(in, r.p, n.Alias, n.Name) {
						intended = true
						break
					}
					// The lockfile's copy of the manifest now says alias,
					// where the base said a plain range: npm reads
					// package.json, so that range is what it resolves.
					if spec, ok := baseSpec(in, r.p, n.Alias); ok && !isAliasOf(spec, n.Name) && plain == nil {
						byNode[n][i].spec = spec + " (in the base lockfile; this one now says " + r.spec + ")"
						plain = &byNode[n][i]
					}
				}
				continue
			}
			if plain == nil {
				plain = &byNode[n][i]
			}
		}
		if !intended && plain == nil && len(byNode[n]) == 0 {
			// Nothing in this lockfile requires the folder (a v1 lockfile
			// records no root dependencies at all): the base installing
			// the real package there is what the project asked for.
			if b := in.base().Package(n.Path); b != nil && b.Alias == "" && b.Name == n.Alias && !b.Link {
				f := finding(c, Critical,
					fmt.Sprintf("entry %q now installs the package %q where the base lockfile installed %s %s itself, and nothing in this lockfile asks for %q as an npm alias of %s: npm will load %s in its place", n.Path, n.Name, b.Name, b.Version, n.Alias, n.Name, n.Name),
					"Regenerate the lockfile from the registry; a folder holding another package than its name is how lockfile injection hides code.")
				f.Line, f.Path = n.Line, n.Path
				f.Values = map[string]string{"folder": n.Alias, "package": n.Name, "base": b.Name + "@" + b.Version}
				out = append(out, f)
				continue
			}
		}
		if intended || plain == nil {
			continue
		}
		where := "the project"
		if plain.p.Path != "" {
			where = plain.p.Path
		}
		f := finding(c, Critical,
			fmt.Sprintf("entry %q installs the package %q, but %s requires %q as %q, not as an npm alias of %s: npm will load %s in its place", n.Path, n.Name, where, n.Alias, plain.spec, n.Name, n.Name),
			"Regenerate the lockfile from the registry; a folder holding another package than its name is how lockfile injection hides code.")
		f.Line, f.Path = n.Line, n.Path
		f.Values = map[string]string{"folder": n.Alias, "package": n.Name, "spec": plain.spec}
		out = append(out, f)
	}
	return out
}

func isAliasOf(spec, name string) bool {
	return strings.HasPrefix(spec, "npm:"+name+"@") || spec == "npm:"+name
}

// projectAliased reports whether the base lockfile's copy of the project
// manifest at p's path (the root, or the same workspace folder) already
// declared folder as an npm alias of name. For a new lockfile there is no
// base to go by: the head's declaration is taken as the project's.
func projectAliased(in *Input, p *lockfile.Package, folder, name string) bool {
	if in.Changes.Base == nil {
		return true
	}
	spec, ok := baseSpec(in, p, folder)
	return ok && isAliasOf(spec, name)
}

// baseSpec is what the base lockfile's copy of the manifest at p's path
// (the root, or the same workspace folder) declared for folder.
func baseSpec(in *Input, p *lockfile.Package, folder string) (string, bool) {
	base := in.base()
	b := base.Root
	if p.Path != "" {
		if b = base.Package(p.Path); b == nil || !b.Workspace {
			return "", false
		}
	}
	if b == nil {
		return "", false
	}
	return b.Deps.Get(folder, lockfile.DepAny)
}

func hostAllowed(host string, allowed []string) bool {
	for _, a := range allowed {
		if strings.EqualFold(host, a) {
			return true
		}
	}
	return false
}

func describe(s lockfile.Source) string {
	switch s.Kind {
	case lockfile.SourceRegistry:
		return "the registry at " + s.Host
	case lockfile.SourceGit:
		return "git (" + s.URL + ")"
	case lockfile.SourceFile:
		return "a local file (" + s.URL + ")"
	case lockfile.SourceLink:
		return "a link"
	}
	return s.URL
}

// sameOrigin reports whether two sources are the same kind from the same
// publisher: the same registry or tarball host, or, where one host serves
// everyone's code (a git host, a tarball from GitHub), the same repository.
// github:octo/foo and git+ssh://git@github.com/evil/foo.git share a host but
// not an owner: that is the git fork the source-changed check is about.
func sameOrigin(a, b lockfile.Source) bool {
	if !sameKind(a, b) || a.Host != b.Host {
		return false
	}
	switch {
	case a.Kind == lockfile.SourceGit:
		return strings.EqualFold(gitRepo(a), gitRepo(b))
	case codeHosts[a.Host]:
		return strings.EqualFold(ownerRepo(a.URL), ownerRepo(b.URL))
	}
	return true
}

// codeHosts serve tarballs of anyone's repository under /owner/repo/ (the
// GitHub API under /repos/owner/repo/).
var codeHosts = map[string]bool{
	"github.com": true, "codeload.github.com": true, "raw.githubusercontent.com": true, "api.github.com": true,
	"gitlab.com": true, "bitbucket.org": true,
}

// gitRepo is the repository of a git source, or for a URL form that
// lockfile cannot read, the whole URL without its commit.
func gitRepo(s lockfile.Source) string {
	if r := s.GitRepository(); r != "" {
		return r
	}
	u, _, _ := strings.Cut(s.URL, "#")
	return u
}

// ownerRepo is "owner/repo" of a tarball URL on a code host, read as npm's
// URL parser reads the path ("\\" is "/", dot segments, also percent-encoded,
// are resolved: /octo/foo/../../evil/foo is evil/foo), or the whole URL when
// it has no such path.
func ownerRepo(raw string) string {
	u, err := url.Parse(strings.ReplaceAll(raw, "\\", "/"))
	if err != nil {
		return raw
	}
	// Split the escaped path: "%2F" stays inside its segment, as npm's
	// parser keeps it; only "%2e" is a dot there.
	p := strings.NewReplacer("%2e", ".", "%2E", ".").Replace(u.EscapedPath())
	segs := strings.Split(strings.TrimPrefix(path.Clean("/"+p), "/"), "/")
	if strings.EqualFold(u.Host, "api.github.com") && len(segs) > 0 && strings.EqualFold(segs[0], "repos") {
		segs = segs[1:]
	}
	if len(segs) < 2 || segs[0] == "" || segs[1] == "" {
		return raw
	}
	return segs[0] + "/" + segs[1]
}

// sameKind treats plain-http registry layout as the registry for comparison.
func sameKind(a, b lockfile.Source) bool {
	return kindClass(a) == kindClass(b)
}

func kindClass(s lockfile.Source) lockfile.SourceKind {
	if s.Kind == lockfile.SourceHTTP {
		if s.TarballName != "" {
			return lockfile.SourceRegistry
		}
		return lockfile.SourceTarball
	}
	return s.Kind
}

// upgradeOnly reports whether b is a at the same location with only a
// scheme change: http → https on the same host and path, or git+https →
// git+ssh (or the reverse) of the same repository at the same commit.
func upgradeOnly(a, b lockfile.Source) bool {
	if insecure(b) {
		return false // https → http is a downgrade, never "only a scheme change"
	}
	la, lb := location(a), location(b)
	return la != "" && la == lb
}

// insecure reports an unauthenticated transport: http://, git://, git+http://.
func insecure(s lockfile.Source) bool {
	return s.Kind == lockfile.SourceHTTP || (s.Kind == lockfile.SourceGit && (s.Scheme == "git" || s.Scheme == "git+http"))
}

// location strips the scheme (and a git user) from a URL.
func location(s lockfile.Source) string {
	if s.Kind == lockfile.SourceGit {
		// The same commit of the same repository, whatever the URL form;
		// "" for a moving ref, which is not provably the same code.
		return strings.ToLower(s.GitLocation())
	}
	u := s.URL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else {
		return ""
	}
	return strings.ToLower(u)
}

// bundled reports whether n really is a bundled dependency: npm decides that
// from the parent's bundleDependencies and ignores the lockfile's flag, and
// it never records a resolved URL for a bundled copy (it may keep the
// integrity the bundled package.json carried: ganache's bundled brorand
// has a sha1). A top-level entry, or one with a source of its own, marked
// inBundle is fetched like any other, so the flag must not hide it from
// the checks.
func bundled(n *lockfile.Package) bool {
	return n.InBundle && n.Resolved == "" && strings.Contains(n.Path, "/node_modules/")
}
