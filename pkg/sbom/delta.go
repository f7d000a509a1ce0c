package sbom

import (
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/Masterminds/semver/v3"

	"github.com/lockreview/lockreview/pkg/license"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// BOMDelta is what changed between the BOM of a lockfile's base and that of
// its head. Components are identified by purl, which includes the version,
// so every purl present on one side only is accounted for exactly once:
//
//   - Updated: a version of a package replaced by another version of the same
//     package name (paired as pkg/diff pairs them: a shared install path
//     first, then the same major version, then in version order; a version
//     that left the tree where its path now holds a version the base already
//     had is an update to that version). Neither side of an update appears
//     in Added or Removed.
//   - Added, Removed: the purls left over.
//   - Changed: the same name@version on both sides whose hashes, license,
//     distribution URL or scope differ. Usually that is one purl; for a git
//     dependency whose URL changed it is two (PURLBefore and PURL), since
//     the URL is the purl's vcs_url qualifier.
//   - EdgesAdded, EdgesRemoved: the direct dependency edges (the dependsOn of
//     the root and of workspace packages) present on one side only.
//
// Slices are never nil, so the JSON always has every key. The JSON form is
// the `delta` object of lockreview's JSON report.
type BOMDelta struct {
	Added        []ComponentRef    `json:"added"`
	Removed      []ComponentRef    `json:"removed"`
	Changed      []ComponentChange `json:"changed"`
	Updated      []Update          `json:"updated"`
	EdgesAdded   []Edge            `json:"edgesAdded"`
	EdgesRemoved []Edge            `json:"edgesRemoved"`
}

// ComponentRef names one component.
type ComponentRef struct {
	PURL    string `json:"purl"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ComponentChange is a component present on both sides (the same purl) whose
// recorded facts differ.
type ComponentChange struct {
	PURL string `json:"purl"`
	// PURLBefore is set when the purl itself changed with the source: a git
	// dependency now resolved from another URL (its vcs_url qualifier).
	PURLBefore string `json:"purlBefore,omitempty"`
	Name       string `json:"name"`
	Version    string `json:"version"`
	Fields     Fields `json:"fields"`
}

// Fields holds the fields that changed; a nil field did not change.
//
// Rules: hashes compare per algorithm (an algorithm recorded on one side only
// is not a change, a different digest for the same algorithm is, and so is
// losing every hash, but not gaining some where none were recorded); a license or distribution recorded on one side only is
// unknown, not a change (lockfileVersion 1 records no licenses, and npm can
// omit resolved URLs); scope compares as is.
type Fields struct {
	Hashes       *FieldChange `json:"hashes,omitempty"`
	License      *FieldChange `json:"license,omitempty"`
	Distribution *FieldChange `json:"distribution,omitempty"`
	Scope        *FieldChange `json:"scope,omitempty"`
}

// FieldChange is a field's values before and after. Hashes are written
// "SHA-512:<hex>"; a license as its SPDX id, expression or name;
// distribution as URLs; scope as "required", "optional" or "excluded".
type FieldChange struct {
	Before []string `json:"before"`
	After  []string `json:"after"`
}

// Update is one version of a package replaced by another.
type Update struct {
	Name     string `json:"name"`
	From     string `json:"from"`
	To       string `json:"to"`
	PURLFrom string `json:"purlFrom"`
	PURLTo   string `json:"purlTo"`
	// Fields holds the license and scope changes that came with the update
	// (hashes and distribution always change with the version).
	Fields *Fields `json:"fields,omitempty"`
}

// Edge is one direct dependency edge. From is the npm name of the root
// project or workspace package that depends (names, not purls, so that
// bumping the project's own version does not re-add every edge); To is the
// purl of the installed package it resolves to, so a version update of a
// direct dependency is one edge removed and one added, beside its Update.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Empty reports whether nothing changed.
func (d *BOMDelta) Empty() bool {
	return d == nil || len(d.Added)+len(d.Removed)+len(d.Changed)+len(d.Updated)+len(d.EdgesAdded)+len(d.EdgesRemoved) == 0
}

// DeltaOf builds the BOMs of base and head and returns their Delta. A nil
// lockfile (the file was added or deleted) is an empty tree.
func DeltaOf(base, head *lockfile.Lockfile, opts ...Option) (*BOMDelta, error) {
	var b, h *cdx.BOM
	var err error
	if base != nil {
		if b, err = BOM(base, opts...); err != nil {
			return nil, err
		}
	}
	if head != nil {
		if h, err = BOM(head, opts...); err != nil {
			return nil, err
		}
	}
	return Delta(b, h), nil
}

// view is what Delta reads of one component; the fields that cost an
// allocation are read only for the components that need them.
type view struct {
	c                   *cdx.Component
	purl, name, version string
	paths               []string // read by pathsOf
	pathsRead           bool
}

func (v *view) pathsOf() []string {
	if !v.pathsRead {
		v.pathsRead = true
		if v.c.Properties != nil {
			for _, p := range *v.c.Properties {
				if p.Name == PropPath {
					v.paths = append(v.paths, p.Value)
				}
			}
		}
	}
	return v.paths
}

func (v *view) scope() string {
	if v.c.Scope == "" {
		return string(cdx.ScopeRequired) // the schema's default
	}
	return string(v.c.Scope)
}

func (v *view) hashes() []cdx.Hash {
	if v.c.Hashes == nil {
		return nil
	}
	return *v.c.Hashes
}

func (v *view) dists() []string {
	var out []string
	if v.c.ExternalReferences != nil {
		for _, r := range *v.c.ExternalReferences {
			if r.Type == cdx.ERTypeDistribution {
				out = append(out, r.URL)
			}
		}
	}
	slices.Sort(out)
	return out
}

type side struct {
	views  []view
	byPURL map[string]*view
	edges  map[Edge]bool
}

// group is one package name with purls on one side only.
type group struct {
	removed, added []*view
	// existing holds the head versions of the name present on both sides,
	// which a removed version may have been deduplicated onto.
	existing []*view
}

// Delta compares two BOMs built by BOM (it reads their purls, hashes,
// licenses, distribution references, scopes, install-path properties and
// dependency graphs). A nil BOM is empty. The result is sorted: components
// by purl, updates by name and versions, edges by from and to.
func Delta(base, head *cdx.BOM) *BOMDelta {
	b, h := index(base), index(head)
	d := &BOMDelta{
		Added: []ComponentRef{}, Removed: []ComponentRef{}, Changed: []ComponentChange{},
		Updated: []Update{}, EdgesAdded: []Edge{}, EdgesRemoved: []Edge{},
	}
	groups := map[string]*group{}
	get := func(name string) *group {
		g := groups[name]
		if g == nil {
			g = &group{}
			groups[name] = g
		}
		return g
	}
	for i := range b.views {
		bv := &b.views[i]
		if hv, ok := h.byPURL[bv.purl]; ok {
			if f, changed := compareFields(bv, hv, true); changed {
				d.Changed = append(d.Changed, ComponentChange{PURL: bv.purl, Name: hv.name, Version: hv.version, Fields: f})
			}
		} else {
			g := get(bv.name)
			g.removed = append(g.removed, bv)
		}
	}
	for i := range h.views {
		if hv := &h.views[i]; b.byPURL[hv.purl] == nil {
			g := get(hv.name)
			g.added = append(g.added, hv)
		}
	}
	if len(groups) > 0 {
		for i := range h.views {
			hv := &h.views[i]
			if g := groups[hv.name]; g != nil && b.byPURL[hv.purl] != nil {
				g.existing = append(g.existing, hv)
			}
		}
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		pairName(d, groups[n])
	}
	for e := range h.edges {
		if !b.edges[e] {
			d.EdgesAdded = append(d.EdgesAdded, e)
		}
	}
	for e := range b.edges {
		if !h.edges[e] {
			d.EdgesRemoved = append(d.EdgesRemoved, e)
		}
	}
	d.sort()
	return d
}

func (d *BOMDelta) sort() {
	byPURL := func(a, b ComponentRef) int { return strings.Compare(a.PURL, b.PURL) }
	slices.SortFunc(d.Added, byPURL)
	slices.SortFunc(d.Removed, byPURL)
	slices.SortFunc(d.Changed, func(a, b ComponentChange) int { return strings.Compare(a.PURL, b.PURL) })
	slices.SortFunc(d.Updated, func(a, b Update) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := compareVersions(a.From, b.From); c != 0 {
			return c
		}
		if c := strings.Compare(a.PURLFrom, b.PURLFrom); c != 0 {
			return c
		}
		return strings.Compare(a.PURLTo, b.PURLTo)
	})
	byEdge := func(a, b Edge) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	}
	slices.SortFunc(d.EdgesAdded, byEdge)
	slices.SortFunc(d.EdgesRemoved, byEdge)
}

func index(bom *cdx.BOM) *side {
	s := &side{edges: map[Edge]bool{}}
	if bom == nil {
		s.byPURL = map[string]*view{}
		return s
	}
	// from maps the bom-ref of the root and of each workspace package to its name.
	from := map[string]string{}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		r := bom.Metadata.Component
		from[r.BOMRef] = joinName(r.Group, r.Name)
	}
	if bom.Components != nil {
		comps := *bom.Components
		s.views = make([]view, 0, len(comps))
		s.byPURL = make(map[string]*view, len(comps))
		for i := range comps {
			c := &comps[i]
			if c.PackageURL == "" {
				continue
			}
			if _, dup := s.byPURL[c.PackageURL]; dup {
				continue
			}
			s.views = append(s.views, view{c: c, purl: c.PackageURL, name: joinName(c.Group, c.Name), version: c.Version})
			if c.Properties != nil {
				for _, p := range *c.Properties {
					if p.Name == PropWorkspace && p.Value == "true" {
						from[c.BOMRef] = s.views[len(s.views)-1].name
					}
				}
			}
		}
		for i := range s.views {
			s.byPURL[s.views[i].purl] = &s.views[i]
		}
	} else {
		s.byPURL = map[string]*view{}
	}
	if bom.Dependencies != nil {
		for _, dep := range *bom.Dependencies {
			name, ok := from[dep.Ref]
			if !ok || dep.Dependencies == nil {
				continue
			}
			for _, to := range *dep.Dependencies {
				s.edges[Edge{From: name, To: to}] = true
			}
		}
	}
	return s
}

func byVersion(vs []*view) {
	if len(vs) > 1 {
		slices.SortFunc(vs, func(a, b *view) int {
			if c := compareVersions(a.version, b.version); c != 0 {
				return c
			}
			return strings.Compare(a.purl, b.purl)
		})
	}
}

// pairName splits the purls of one package name present on one side only
// into changes, updates, additions and removals.
func pairName(d *BOMDelta, g *group) {
	removed, added := g.removed, g.added
	byVersion(removed)
	byVersion(added)
	usedR := make([]bool, len(removed))
	usedA := make([]bool, len(added))
	update := func(from, to *view) {
		u := Update{Name: to.name, From: from.version, To: to.version, PURLFrom: from.purl, PURLTo: to.purl}
		if f, changed := compareFields(from, to, false); changed {
			u.Fields = &f
		}
		d.Updated = append(d.Updated, u)
	}
	// 0. the same name@version under another purl: a git dependency whose
	// URL (the vcs_url qualifier) changed. That is a change, not an update.
	for i, a := range added {
		for j, r := range removed {
			if !usedR[j] && r.version == a.version {
				f, _ := compareFields(r, a, true)
				d.Changed = append(d.Changed, ComponentChange{PURL: a.purl, PURLBefore: r.purl, Name: a.name, Version: a.version, Fields: f})
				usedA[i], usedR[j] = true, true
				break
			}
		}
	}
	// 1. a shared install path.
	for i, a := range added {
		if usedA[i] {
			continue
		}
		for j, r := range removed {
			if !usedR[j] && sharePath(a, r) {
				update(r, a)
				usedA[i], usedR[j] = true, true
				break
			}
		}
	}
	// 2. the same major version, 3. in version order.
	for pass := 0; pass < 2; pass++ {
		for i, a := range added {
			if usedA[i] {
				continue
			}
			for j, r := range removed {
				if usedR[j] || (pass == 0 && major(a.version) != major(r.version)) {
					continue
				}
				update(r, a)
				usedA[i], usedR[j] = true, true
				break
			}
		}
	}
	for i, a := range added {
		if !usedA[i] {
			d.Added = append(d.Added, ComponentRef{PURL: a.purl, Name: a.name, Version: a.version})
		}
	}
	byVersion(g.existing)
	for j, r := range removed {
		if usedR[j] {
			continue
		}
		// 4. npm deduplicated onto a version the base already had.
		var repl *view
		for _, v := range g.existing {
			if sharePath(v, r) {
				repl = v // existing is in version order: the last match is the highest.
			}
		}
		if repl != nil {
			update(r, repl)
			continue
		}
		d.Removed = append(d.Removed, ComponentRef{PURL: r.purl, Name: r.name, Version: r.version})
	}
}

func sharePath(a, b *view) bool {
	for _, p := range a.pathsOf() {
		if slices.Contains(b.pathsOf(), p) {
			return true
		}
	}
	return false
}

// compareFields compares two views; sameVersion adds hashes and
// distribution, which always differ between versions.
func compareFields(b, h *view, sameVersion bool) (Fields, bool) {
	var f Fields
	changed := false
	if sameVersion {
		if bh, hh := b.hashes(), h.hashes(); hashesChanged(bh, hh) {
			f.Hashes = &FieldChange{Before: hashStrings(bh), After: hashStrings(hh)}
			changed = true
		}
		if !sameDists(b.c, h.c) {
			if bd, hd := b.dists(), h.dists(); len(bd) > 0 && len(hd) > 0 && !slices.Equal(bd, hd) {
				f.Distribution = &FieldChange{Before: bd, After: hd}
				changed = true
			}
		}
	}
	if !sameLicenses(b.c.Licenses, h.c.Licenses) {
		if bl, hl := licenseString(b.c.Licenses), licenseString(h.c.Licenses); bl != "" && hl != "" && license.Normalize(bl) != license.Normalize(hl) {
			f.License = &FieldChange{Before: []string{bl}, After: []string{hl}}
			changed = true
		}
	}
	if bs, hs := b.scope(), h.scope(); bs != hs {
		f.Scope = &FieldChange{Before: []string{bs}, After: []string{hs}}
		changed = true
	}
	return f, changed
}

// sameDists is the cheap test for the usual case: the same references in
// the same order.
func sameDists(b, h *cdx.Component) bool {
	if b.ExternalReferences == nil || h.ExternalReferences == nil {
		return b.ExternalReferences == h.ExternalReferences
	}
	return slices.Equal(*b.ExternalReferences, *h.ExternalReferences)
}

// sameLicenses is the cheap test for the usual case: identical license
// choices.
func sameLicenses(b, h *cdx.Licenses) bool {
	if b == nil || h == nil {
		return b == h
	}
	if len(*b) != len(*h) {
		return false
	}
	for i := range *b {
		x, y := (*b)[i], (*h)[i]
		if x.Expression != y.Expression || (x.License == nil) != (y.License == nil) {
			return false
		}
		if x.License != nil && (x.License.ID != y.License.ID || x.License.Name != y.License.Name) {
			return false
		}
	}
	return true
}

func hashesChanged(b, h []cdx.Hash) bool {
	if len(h) == 0 || len(b) == 0 {
		// Losing every hash is a change (nothing checks the tarball any
		// more); gaining some where none were recorded (a bundled copy
		// joined by a fetched one) is not.
		return len(b) > 0
	}
	for _, x := range b {
		sameAlg, sameValue := false, false
		for _, y := range h {
			if x.Algorithm == y.Algorithm {
				sameAlg = true
				sameValue = sameValue || x.Value == y.Value
			}
		}
		if sameAlg && !sameValue {
			return true
		}
	}
	for _, y := range h {
		sameAlg, sameValue := false, false
		for _, x := range b {
			if x.Algorithm == y.Algorithm {
				sameAlg = true
				sameValue = sameValue || x.Value == y.Value
			}
		}
		if sameAlg && !sameValue {
			return true
		}
	}
	return false
}

func hashStrings(hs []cdx.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = string(h.Algorithm) + ":" + h.Value
	}
	slices.Sort(out)
	return out
}

func major(v string) int64 {
	sv, err := semver.NewVersion(v)
	if err != nil {
		return -1
	}
	return int64(sv.Major())
}

// compareVersions orders semver versions ascending and other strings after
// them, by text.
func compareVersions(a, b string) int {
	va, errA := semver.NewVersion(a)
	vb, errB := semver.NewVersion(b)
	switch {
	case errA == nil && errB == nil:
		if c := va.Compare(vb); c != 0 {
			return c
		}
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}
