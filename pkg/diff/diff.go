// Package diff compares two parsed npm lockfiles and groups what changed by
// package name, so a reviewer sees "lodash 4.17.11 → 4.17.15 (2 paths)" once.
// It is pure: no I/O, no clock.
package diff

import (
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// Kind is what happened to one package name@version.
type Kind int

// Change kinds.
const (
	// Added: a version of a package that the base tree did not contain at all.
	Added Kind = iota
	// Removed: a version the head tree no longer contains.
	Removed
	// Updated: one version replaced by another (see Update for the semver kind).
	Updated
	// SourceChanged: the same name@version now resolves from another URL.
	SourceChanged
	// IntegrityChanged: the same name@version now has a different integrity.
	IntegrityChanged
)

var kindNames = [...]string{"added", "removed", "updated", "source-changed", "integrity-changed"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// MarshalText makes kinds readable in JSON reports.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UpdateKind classifies a version update by semver.
type UpdateKind int

// Update kinds. NotUpdate is the zero value for changes that are not updates.
const (
	NotUpdate UpdateKind = iota
	Major
	Minor
	Patch
	Prerelease
	Downgrade
	NonSemver
)

var updateNames = [...]string{"", "major", "minor", "patch", "prerelease", "downgrade", "non-semver"}

func (u UpdateKind) String() string {
	if int(u) < len(updateNames) {
		return updateNames[u]
	}
	return "unknown"
}

// MarshalText makes update kinds readable in JSON reports.
func (u UpdateKind) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// Change is one grouped change of one package name.
type Change struct {
	Kind Kind
	Name string
	// From is the base version (empty for Added); To the head version (empty
	// for Removed). For SourceChanged and IntegrityChanged both are the same.
	From, To string
	Update   UpdateKind
	// Before holds the base nodes of From, After the head nodes of To, sorted
	// by path. For Added, Before is empty; for Removed, After is empty.
	Before, After []*lockfile.Package
	// Direct: a root or workspace package declares the dependency.
	Direct bool
	// DirectKind is how it is declared ("prod", "dev", "optional", "peer"), or
	// "" for transitive dependencies.
	DirectKind string
	// Dev: every node of this change is installed only for development.
	Dev bool
	// Existing: an update to a version the base tree already installed
	// elsewhere (npm deduplicated onto it), so no new code enters the tree.
	Existing bool
}

// Node returns the node a finding about the change should point at: the
// first head node, or for removals the first base node.
func (c *Change) Node() *lockfile.Package {
	if len(c.After) > 0 {
		return c.After[0]
	}
	if len(c.Before) > 0 {
		return c.Before[0]
	}
	return nil
}

// Paths returns the install paths of the change (head paths, or base paths for removals).
func (c *Change) Paths() []string {
	nodes := c.After
	if len(nodes) == 0 {
		nodes = c.Before
	}
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Path
	}
	return out
}

// Changes is the comparison of one lockfile between base and head.
type Changes struct {
	Base, Head *lockfile.Lockfile
	// List is sorted by name, then kind, then versions.
	List []Change
}

// Count returns how many changes have kind k.
func (cs *Changes) Count(k Kind) int {
	n := 0
	for i := range cs.List {
		if cs.List[i].Kind == k {
			n++
		}
	}
	return n
}

// Compare compares base with head. Either may be nil (the lockfile was added or
// deleted), in which case it is treated as an empty tree.
func Compare(base, head *lockfile.Lockfile) *Changes {
	cs := &Changes{Base: base, Head: head}
	baseNodes := byName(base)
	headNodes := byName(head)
	if base != nil && head != nil && base.Version == 1 && head.Version >= 2 {
		rekeyUpgradedSources(baseNodes, headNodes)
	}

	names := make([]string, 0, len(baseNodes)+len(headNodes))
	for n := range baseNodes {
		names = append(names, n)
	}
	for n := range headNodes {
		if _, ok := baseNodes[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)

	for _, name := range names {
		cs.List = append(cs.List, compareName(name, baseNodes[name], headNodes[name], base, head)...)
	}
	return cs
}

// versions groups the real (non-link, non-workspace) nodes of one name by version.
type versions map[string][]*lockfile.Package

func byName(l *lockfile.Lockfile) map[string]versions {
	out := map[string]versions{}
	if l == nil {
		return out
	}
	for _, p := range l.Packages {
		if p.Link || p.Workspace || p.Name == "" {
			continue
		}
		vs := out[p.Name]
		if vs == nil {
			vs = versions{}
			out[p.Name] = vs
		}
		v := p.Version
		if v == "" {
			v = NoVersion
		}
		vs[v] = append(vs[v], p)
	}
	return out
}

// NoVersion stands for the version of an installed entry that records none
// (npm writes a version for every package it installs from node_modules).
// Such an entry still installs whatever its resolved names, so it is
// compared as a version of its own rather than taken for a removal; the
// string cannot be an npm version.
const NoVersion = "(no version)"

// rekeyUpgradedSources lines up git and file dependencies across a v1 → v2/v3
// upgrade. v1 records such a dependency's source as its version
// ("github:owner/repo#commit"), v2 its package.json version and the source
// in resolved, often in another form ("git+ssh://git@github.com/owner/repo.git#commit").
// A head node whose resolved is a URL-like base version of the same name, or
// the same commit of the same repository (lockfile.Source.GitLocation), is
// compared under that key, so an upgrade alone is no change, and a commit
// that moved during the upgrade reads URL → URL.
func rekeyUpgradedSources(base, head map[string]versions) {
	for name, hv := range head {
		bv := base[name]
		var urlLike bool
		var gitKeys map[string]string // GitLocation → base version
		for v, nodes := range bv {
			if !strings.ContainsAny(v, ":/") {
				continue
			}
			urlLike = true
			if loc := nodes[0].Source.GitLocation(); loc != "" {
				if gitKeys == nil {
					gitKeys = map[string]string{}
				}
				gitKeys[loc] = v
			}
		}
		if !urlLike {
			continue
		}
		moved := versions{}
		for v, nodes := range hv {
			keep := nodes[:0:0]
			for _, n := range nodes {
				k := n.Source.Kind
				if (k != lockfile.SourceGit && k != lockfile.SourceFile) || n.Resolved == "" || n.Resolved == v {
					keep = append(keep, n)
					continue
				}
				key := n.Resolved
				if bk, ok := gitKeys[n.Source.GitLocation()]; ok && k == lockfile.SourceGit {
					key = bk
				}
				moved[key] = append(moved[key], n)
			}
			if len(keep) == 0 {
				delete(hv, v)
			} else {
				hv[v] = keep
			}
		}
		for v, nodes := range moved {
			hv[v] = append(hv[v], nodes...)
		}
	}
}

func compareName(name string, base, head versions, bl, hl *lockfile.Lockfile) []Change {
	var out []Change
	var removed, added []string
	for v := range base {
		if _, ok := head[v]; !ok {
			removed = append(removed, v)
		}
	}
	for v := range head {
		if _, ok := base[v]; !ok {
			added = append(added, v)
		} else {
			out = append(out, sameVersion(name, v, base[v], head[v])...)
		}
	}
	sortVersions(removed)
	sortVersions(added)

	for _, pr := range pairVersions(removed, added, base, head) {
		c := Change{Name: name, From: pr.from, To: pr.to}
		switch {
		case pr.from == "":
			c.Kind = Added
		case pr.to == "":
			c.Kind = Removed
		default:
			c.Kind = Updated
			c.Update = Classify(pr.from, pr.to)
		}
		if pr.from != "" {
			c.Before = base[pr.from]
		}
		if pr.to != "" {
			c.After = head[pr.to]
			_, c.Existing = base[pr.to]
		}
		out = append(out, c)
	}
	for i := range out {
		annotate(&out[i], bl, hl)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return out
}

// sameVersion reports integrity and resolved changes of one name@version
// present in both trees. A side that records nothing (an omitted resolved or
// integrity) is unknown, not a change.
func sameVersion(name, v string, base, head []*lockfile.Package) []Change {
	var out []Change
	if CompareIntegrity(base, head) != IntegritySame {
		out = append(out, Change{Kind: IntegrityChanged, Name: name, From: v, To: v, Before: base, After: head})
	}
	baseRes := set(base, func(p *lockfile.Package) string { return p.Resolved })
	headRes := set(head, func(p *lockfile.Package) string { return p.Resolved })
	if len(baseRes) > 0 && len(headRes) > 0 && !subset(headRes, baseRes) {
		out = append(out, Change{Kind: SourceChanged, Name: name, From: v, To: v, Before: base, After: head})
	}
	return out
}

func set(ps []*lockfile.Package, f func(*lockfile.Package) string) map[string]bool {
	m := map[string]bool{}
	for _, p := range ps {
		if s := f(p); s != "" {
			m[s] = true
		}
	}
	return m
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

type pair struct{ from, to string }

// pairVersions turns the versions that left the tree and those that entered it
// into updates, additions and removals. A version pair that shares an install
// path is an update first; the rest pair within the same major line, then in
// order; what is left over was added or removed.
func pairVersions(removed, added []string, base, head versions) []pair {
	var out []pair
	usedR := map[string]bool{}
	usedA := map[string]bool{}
	// 1. by shared install path.
	for _, a := range added {
		paths := map[string]bool{}
		for _, p := range head[a] {
			paths[p.Path] = true
		}
		for _, r := range removed {
			if usedR[r] {
				continue
			}
			for _, p := range base[r] {
				if paths[p.Path] {
					out = append(out, pair{r, a})
					usedR[r], usedA[a] = true, true
					break
				}
			}
			if usedA[a] {
				break
			}
		}
	}
	// 2. by major line, 3. in order.
	for pass := 0; pass < 2; pass++ {
		for _, a := range added {
			if usedA[a] {
				continue
			}
			for _, r := range removed {
				if usedR[r] || (pass == 0 && major(r) != major(a)) {
					continue
				}
				out = append(out, pair{r, a})
				usedR[r], usedA[a] = true, true
				break
			}
		}
	}
	for _, a := range added {
		if !usedA[a] {
			out = append(out, pair{"", a})
		}
	}
	for _, r := range removed {
		if usedR[r] {
			continue
		}
		// 4. a version that left the tree where its path now holds a version
		// the base already had elsewhere (npm deduplicated onto it) is an
		// update to that version: "lodash 4.17.11 → 4.17.15", not a removal.
		out = append(out, pair{r, replacement(base[r], head)})
	}
	return out
}

// replacement returns the head version now installed at one of the paths of
// nodes, or "".
func replacement(nodes []*lockfile.Package, head versions) string {
	paths := map[string]bool{}
	for _, p := range nodes {
		paths[p.Path] = true
	}
	var vs []string
	for v, ps := range head {
		for _, p := range ps {
			if paths[p.Path] {
				vs = append(vs, v)
				break
			}
		}
	}
	if len(vs) == 0 {
		return ""
	}
	sortVersions(vs)
	return vs[len(vs)-1]
}

func major(v string) int64 {
	sv, err := semver.NewVersion(v)
	if err != nil {
		return -1
	}
	return int64(sv.Major())
}

// sortVersions orders semver versions ascending, non-semver ones after them by text.
func sortVersions(vs []string) {
	sort.Slice(vs, func(i, j int) bool {
		a, errA := semver.NewVersion(vs[i])
		b, errB := semver.NewVersion(vs[j])
		switch {
		case errA == nil && errB == nil:
			if c := a.Compare(b); c != 0 {
				return c < 0
			}
			return vs[i] < vs[j]
		case errA == nil:
			return true
		case errB == nil:
			return false
		}
		return vs[i] < vs[j]
	})
}

// Classify returns the semver kind of an update from → to: Prerelease when
// the new version is a prerelease or only the prerelease part changed, else
// the highest of major, minor and patch that changed.
func Classify(from, to string) UpdateKind {
	a, errA := semver.StrictNewVersion(strings.TrimPrefix(from, "v"))
	b, errB := semver.StrictNewVersion(strings.TrimPrefix(to, "v"))
	if errA != nil || errB != nil {
		if a, errA = semver.NewVersion(from); errA != nil {
			return NonSemver
		}
		if b, errB = semver.NewVersion(to); errB != nil {
			return NonSemver
		}
	}
	switch c := b.Compare(a); {
	case c < 0:
		return Downgrade
	case c == 0:
		return NonSemver // same precedence, different text (build metadata)
	}
	if b.Prerelease() != "" {
		// Moving onto a prerelease (1.0.0 → 1.0.1-beta.1) is what a
		// reviewer needs to know first: ranges never pick one by accident.
		return Prerelease
	}
	switch {
	case a.Major() != b.Major():
		return Major
	case a.Minor() != b.Minor():
		return Minor
	case a.Patch() != b.Patch():
		return Patch
	}
	return Prerelease
}

// annotate fills Direct, DirectKind and Dev from the nodes and the trees.
func annotate(c *Change, base, head *lockfile.Lockfile) {
	nodes, tree := c.After, head
	if len(nodes) == 0 {
		nodes, tree = c.Before, base
	}
	c.Dev = len(nodes) > 0
	for _, n := range nodes {
		if !n.Dev {
			c.Dev = false
		}
		if c.DirectKind == "" && tree != nil {
			c.DirectKind = directKind(tree, n)
		}
	}
	c.Direct = c.DirectKind != ""
}

// directKind reports how the root or the workspace that owns node n declares
// it, when n is that root's or workspace's own direct install.
func directKind(l *lockfile.Lockfile, n *lockfile.Package) string {
	owner := ""
	rest := n.Path
	if i := strings.LastIndex(n.Path, "node_modules/"); i > 0 {
		owner = strings.TrimSuffix(n.Path[:i], "/")
		rest = n.Path[i:]
	}
	installName := strings.TrimPrefix(rest, "node_modules/")
	if strings.Contains(installName, "/node_modules/") {
		return ""
	}
	if owner == "" {
		if k := lockfile.DirectDependency(l.Root, installName); k != "" {
			return k
		}
		// Hoisted workspace dependencies live in the root node_modules.
		for _, p := range l.Workspaces() {
			if k := lockfile.DirectDependency(p, installName); k != "" {
				return k
			}
		}
		return ""
	}
	if ws := l.Package(owner); ws != nil && ws.Workspace {
		return lockfile.DirectDependency(ws, installName)
	}
	return ""
}
