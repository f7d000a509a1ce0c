package sbom

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// Property names. The cdx:npm:package:* names are registered in the
// CycloneDX property taxonomy (cdx:npm namespace) and mean what it says;
// the lockreview:* names are this project's namespace. Boolean properties
// are written only when true, with the value "true".
const (
	// PropBundled (cdx:npm:package:bundled): some copy ships inside its
	// parent's tarball (inBundle), so it is not fetched or checked on its own.
	PropBundled = "cdx:npm:package:bundled"
	// PropDevelopment (cdx:npm:package:development): every copy is installed
	// only for development (scope "excluded").
	PropDevelopment = "cdx:npm:package:development"
	// PropPath (cdx:npm:package:path): an install path; one property per copy.
	PropPath = "cdx:npm:package:path"

	// PropInstallScript (lockreview:installScript): some copy has
	// preinstall/install/postinstall scripts (hasInstallScript). lockfileVersion
	// 1 does not record it: see PropLockfileVersion.
	PropInstallScript = "lockreview:installScript"
	// PropNativeAddon (lockreview:nativeAddon): the package depends on a
	// native build or download helper; the value lists them, comma-separated
	// ("node-gyp-build,node-addon-api").
	PropNativeAddon = "lockreview:nativeAddon"
	// PropWorkspace (lockreview:workspace): a workspace (or other linked
	// folder) of the project itself, not a package from a registry.
	PropWorkspace = "lockreview:workspace"
	// PropAlias (lockreview:alias): the package is installed under another
	// folder name (npm alias "x": "npm:real@1"); one property per alias.
	PropAlias = "lockreview:alias"
	// PropSource (lockreview:source): where the code comes from when it is
	// not a registry tarball: "git", "tarball" (https, not registry layout),
	// "http" or "file".
	PropSource = "lockreview:source"

	// PropLockfileVersion (lockreview:lockfileVersion, metadata): the
	// lockfileVersion the BOM was built from. Version 1 records neither
	// install scripts nor licenses, nor the root's own declarations.
	PropLockfileVersion = "lockreview:lockfileVersion"
)

// isNativeHelper reports whether a dependency builds, loads or downloads
// native code (the list of pkg/checks' native-addon check).
func isNativeHelper(name string) bool {
	switch name {
	case "@mapbox/node-pre-gyp", "bindings", "cmake-js", "nan", "napi-build-utils",
		"node-addon-api", "node-gyp", "node-gyp-build", "node-pre-gyp", "prebuild-install":
		return true
	}
	return false
}

// BOM builds the CycloneDX BOM of a parsed lockfile: metadata.component is
// the root project; there is one library component per installed
// name@version (copies at several install paths are one component;
// workspace packages are components of their own; link entries are not,
// their targets are); and the dependencies graph follows npm's resolution
// (the node that each declared dependency of each installed node resolves
// to), not names.
//
// Components are keyed and ordered by purl, which is also their bom-ref.
// The output is a pure function of the lockfile and the options: no clock,
// no randomness (see WithSerialNumber, WithTimestamp).
//
// lockfileVersion 1 does not record the root's declarations; there the
// root's dependsOn is inferred as the top-level packages nothing else
// depends on.
func BOM(l *lockfile.Lockfile, opts ...Option) (*cdx.BOM, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, fmt.Errorf("build BOM: %w", ErrNilLockfile)
	}
	b := newBuilder(l)
	b.collect()
	b.resolve()
	return b.document(cfg), nil
}

// component accumulates the facts of one purl over its installed copies.
type component struct {
	purl          string
	name, version string
	nodes         []*lockfile.Package
	hashes        []cdx.Hash
	license       string
	dists         []string
	aliases       []string
	sources       []string
	native        []string
	// scope: 0 excluded (dev only), 1 optional, 2 required.
	scope                               int
	allDev, bundled, install, workspace bool
	deps                                []string
	// idx is the component's position in purl order.
	idx int32
	// node1 and dist1 back nodes and dists while there is one of each.
	node1 [1]*lockfile.Package
	dist1 [1]string
	// integrity is the first copy's, so that identical copies are decoded
	// once.
	integrity string
}

type builder struct {
	l      *lockfile.Lockfile
	byPURL map[string]*component
	byNode map[*lockfile.Package]*component
	comps  []*component
	// slab holds the components comps points into, allocated in chunks
	// rather than one by one (a large lockfile has thousands).
	slab []component
	root []string
}

func newBuilder(l *lockfile.Lockfile) *builder {
	return &builder{
		l:      l,
		byPURL: make(map[string]*component, len(l.Packages)),
		byNode: make(map[*lockfile.Package]*component, len(l.Packages)),
		comps:  make([]*component, 0, len(l.Packages)),
	}
}

// collect groups the installed nodes by purl.
func (b *builder) collect() {
	for _, p := range b.l.Packages {
		if p.Link || p.Name == "" {
			continue
		}
		vcs := ""
		if p.Source.Kind == lockfile.SourceGit {
			vcs = p.Source.URL
		}
		ref := purl(p.Name, p.Version, vcs)
		c := b.byPURL[ref]
		if c == nil {
			if len(b.slab) == cap(b.slab) {
				b.slab = make([]component, 0, min(512, len(b.l.Packages)))
			}
			b.slab = append(b.slab, component{purl: ref, name: p.Name, version: p.Version, allDev: true})
			c = &b.slab[len(b.slab)-1]
			b.byPURL[ref] = c
			b.comps = append(b.comps, c)
		}
		b.byNode[p] = c
		c.add(p)
	}
	slices.SortFunc(b.comps, func(x, y *component) int { return strings.Compare(x.purl, y.purl) })
}

func (c *component) add(p *lockfile.Package) {
	if c.nodes == nil {
		// Most packages have one copy: keep it in the component.
		c.nodes = c.node1[:0]
		c.dists = c.dist1[:0]
	}
	c.nodes = append(c.nodes, p)
	if len(c.nodes) == 1 {
		c.integrity = p.Integrity
		c.hashes = sriHashes(p.Integrity)
	} else if p.Integrity != c.integrity {
		hs := sriHashes(p.Integrity)
		for _, h := range hs {
			if !slices.Contains(c.hashes, h) {
				c.hashes = append(c.hashes, h)
			}
		}
	}
	if c.license == "" {
		c.license = p.License
	}
	dist := p.Resolved
	if dist == "" && p.Source.Kind != lockfile.SourceMissing {
		// lockfileVersion 1 git and file dependencies record their source as
		// the version.
		dist = p.Source.URL
	}
	if dist != "" && !p.Workspace {
		c.dists = appendUnique(c.dists, dist)
	}
	if p.Alias != "" {
		c.aliases = appendUnique(c.aliases, p.Alias)
	}
	switch p.Source.Kind {
	case lockfile.SourceGit, lockfile.SourceTarball, lockfile.SourceHTTP, lockfile.SourceFile:
		c.sources = appendUnique(c.sources, p.Source.Kind.String())
	}
	scope := 2
	switch {
	case p.Dev:
		scope = 0
	case p.Optional || p.DevOptional:
		scope = 1
	}
	if len(c.nodes) == 1 || scope > c.scope {
		c.scope = scope
	}
	c.allDev = c.allDev && p.Dev
	c.bundled = c.bundled || p.InBundle
	c.install = c.install || p.HasInstallScript
	c.workspace = c.workspace || p.Workspace
}

// resolve computes dependsOn of every component and of the root.
func (b *builder) resolve() {
	for i, c := range b.comps {
		c.idx = int32(i)
	}
	r := newResolver(b.l, b.byNode)
	// required is needed only to infer the root's dependencies (v1).
	var required map[*lockfile.Package]bool
	if b.l.Root == nil {
		required = make(map[*lockfile.Package]bool)
	}
	var (
		chain []int32
		deps  []int32 // component indexes: sorting them sorts by purl
	)
	for _, c := range b.comps {
		deps = deps[:0]
		for _, p := range c.nodes {
			types := lockfile.DepRuntime
			if p.Workspace {
				types = lockfile.DepAny
			}
			chain = r.chain(chain[:0], p.Path)
			for _, dep := range p.Deps {
				if dep.Type&types == 0 {
					continue
				}
				name := dep.Name
				if dep.Type&(lockfile.DepProd|lockfile.DepOptional) != 0 && isNativeHelper(name) {
					c.native = appendUnique(c.native, name)
				}
				// A package may declare itself (or resolve to another copy
				// of itself); npm records that edge, and so do we.
				t := r.resolve(chain, p.Path, name)
				if t.pkg == nil {
					continue
				}
				if required != nil && t.pkg != p {
					required[t.pkg] = true
				}
				if t.comp != nil {
					deps = append(deps, t.comp.idx)
				}
			}
		}
		slices.Sort(deps)
		deps = slices.Compact(deps)
		if len(deps) > 0 {
			c.deps = make([]string, len(deps))
			for i, d := range deps {
				c.deps[i] = b.comps[d].purl
			}
		}
	}

	if r := b.l.Root; r != nil {
		for _, dep := range r.Deps {
			if tc := b.byNode[b.l.Target(b.l.Resolve("", dep.Name))]; tc != nil {
				b.root = append(b.root, tc.purl)
			}
		}
		// npm links every workspace into node_modules/<name>; the root
		// depends on them although it does not declare them.
		for _, p := range b.l.Packages {
			if p.Link && topLevel(p.Path) {
				if t := b.l.Target(p); t != nil && t.Workspace {
					if tc := b.byNode[t]; tc != nil {
						b.root = append(b.root, tc.purl)
					}
				}
			}
		}
	} else {
		// lockfileVersion 1: the top-level packages that nothing requires
		// can only be there because the root declared them.
		for _, p := range b.l.Packages {
			if topLevel(p.Path) && !required[b.l.Target(p)] {
				if tc := b.byNode[b.l.Target(p)]; tc != nil {
					b.root = append(b.root, tc.purl)
				}
			}
		}
	}
	b.root = sortUnique(b.root)
}

// resolver answers l.Target(l.Resolve(from, name)) without building a
// candidate path per lookup (building the BOM of a 4,000-entry lockfile
// does ~100,000 lookups): it indexes the installed nodes by the folder whose
// node_modules holds them.
type resolver struct {
	l *lockfile.Lockfile
	// owners numbers the install folders that have a node_modules ("" for
	// the root, "node_modules/a", "packages/x").
	owners map[string]int32
	// kids[owner] maps a name to the node at folder/node_modules/name,
	// links already followed (nil for a link to a missing target, which
	// still ends the lookup, as in lockfile.Resolve), and its component.
	kids   []map[string]target
	byNode map[*lockfile.Package]*component
}

type target struct {
	pkg  *lockfile.Package
	comp *component
}

func newResolver(l *lockfile.Lockfile, byNode map[*lockfile.Package]*component) *resolver {
	r := &resolver{l: l, owners: make(map[string]int32), byNode: byNode}
	type kid struct {
		owner int32
		name  string
		p     *lockfile.Package
	}
	kids := make([]kid, 0, len(l.Packages))
	var counts []int
	for _, p := range l.Packages {
		var owner, name string
		if i := strings.LastIndex(p.Path, "/node_modules/"); i >= 0 {
			owner, name = p.Path[:i], p.Path[i+len("/node_modules/"):]
		} else if rest, ok := strings.CutPrefix(p.Path, "node_modules/"); ok {
			name = rest
		} else {
			continue // a workspace folder: never a lookup candidate
		}
		id, ok := r.owners[owner]
		if !ok {
			id = int32(len(counts))
			r.owners[owner] = id
			counts = append(counts, 0)
		}
		counts[id]++
		kids = append(kids, kid{id, name, p})
	}
	r.kids = make([]map[string]target, len(counts))
	for id, n := range counts {
		r.kids[id] = make(map[string]target, n)
	}
	for _, k := range kids {
		t := l.Target(k.p)
		r.kids[k.owner][k.name] = target{t, byNode[t]}
	}
	return r
}

// chain appends to out the folders a lookup from path visits, nearest
// first, as lockfile.Resolve walks them (only those with a node_modules).
func (r *resolver) chain(out []int32, path string) []int32 {
	for dir := path; ; {
		if id, ok := r.owners[dir]; ok {
			out = append(out, id)
		}
		if dir == "" {
			return out
		}
		if i := strings.LastIndex(dir, "/node_modules/"); i >= 0 {
			dir = dir[:i]
		} else {
			dir = ""
		}
	}
}

// resolve is l.Target(l.Resolve(from, name)) over chain(from), with its
// component.
func (r *resolver) resolve(chain []int32, from, name string) target {
	if strings.Contains(name, "node_modules") {
		// A hostile dependency name that is itself a path: let the
		// lockfile's own lookup decide.
		t := r.l.Target(r.l.Resolve(from, name))
		return target{t, r.byNode[t]}
	}
	for _, id := range chain {
		if t, ok := r.kids[id][name]; ok {
			return t
		}
	}
	return target{}
}

// topLevel reports whether path is node_modules/<name> (or
// node_modules/@scope/name) of the root.
func topLevel(path string) bool {
	rest, ok := strings.CutPrefix(path, "node_modules/")
	return ok && !strings.Contains(rest, "/node_modules/")
}

// document renders the collected components as a CycloneDX BOM.
func (b *builder) document(cfg config) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SpecVersion = cfg.spec
	bom.SerialNumber = cfg.serial
	bom.JSONSchema = schemaURL(cfg.spec)

	rootName := b.l.Name
	if rootName == "" {
		rootName = "root"
	}
	root := cdx.Component{
		Type:    cdx.ComponentTypeApplication,
		Name:    rootName,
		Version: b.l.RootVersion,
	}
	root.Group, root.Name = splitName(rootName)
	root.PackageURL = PURL(rootName, b.l.RootVersion)
	root.BOMRef = root.PackageURL
	if _, clash := b.byPURL[root.BOMRef]; clash {
		root.BOMRef = "root:" + root.PackageURL
	}
	if b.l.Root != nil {
		root.Licenses = licenseChoice(b.l.Root.License)
	}

	tool := cdx.Component{Type: cdx.ComponentTypeApplication, Name: cfg.toolName, Version: cfg.toolVersion}
	bom.Metadata = &cdx.Metadata{
		Tools:      &cdx.ToolsChoice{Components: &[]cdx.Component{tool}},
		Component:  &root,
		Properties: &[]cdx.Property{{Name: PropLockfileVersion, Value: strconv.Itoa(b.l.Version)}},
	}
	if !cfg.timestamp.IsZero() {
		bom.Metadata.Timestamp = cfg.timestamp.UTC().Truncate(time.Second).Format(time.RFC3339)
	}

	n := len(b.comps)
	comps := make([]cdx.Component, n)
	deps := make([]cdx.Dependency, n+1)
	// The cdx types hold slices by pointer; these slabs give each pointer a
	// home without one allocation per component.
	nProps, nRefs := 0, 0
	for _, c := range b.comps {
		nProps += c.propCount()
		nRefs += len(c.dists)
	}
	s := &slabs{
		deps:     make([][]string, n+1),
		hashes:   make([][]cdx.Hash, n),
		refs:     make([][]cdx.ExternalReference, n),
		props:    make([][]cdx.Property, n),
		lics:     make([]cdx.Licenses, n),
		choices:  make([]cdx.LicenseChoice, n),
		licenses: make([]cdx.License, n),
		propSlab: make([]cdx.Property, 0, nProps),
		refSlab:  make([]cdx.ExternalReference, 0, nRefs),
		kinds:    map[string]licenseKind{},
	}
	s.deps[0] = b.root
	if s.deps[0] == nil {
		s.deps[0] = []string{}
	}
	deps[0] = cdx.Dependency{Ref: root.BOMRef, Dependencies: &s.deps[0]}
	for i, c := range b.comps {
		comps[i] = c.cdx(s, i)
		s.deps[i+1] = c.deps
		if c.deps == nil {
			s.deps[i+1] = []string{}
		}
		deps[i+1] = cdx.Dependency{Ref: c.purl, Dependencies: &s.deps[i+1]}
	}
	bom.Components = &comps
	bom.Dependencies = &deps
	return bom
}

var scopeNames = [...]cdx.Scope{cdx.ScopeExcluded, cdx.ScopeOptional, cdx.ScopeRequired}

// slabs back the slices that cdx.Component refers to by pointer, and the
// slices themselves, so that a component costs no allocation of its own.
// Every slice handed out has its capacity capped, so an append by a caller
// copies instead of writing into the next component's elements.
type slabs struct {
	deps     [][]string
	hashes   [][]cdx.Hash
	refs     [][]cdx.ExternalReference
	props    [][]cdx.Property
	lics     []cdx.Licenses
	choices  []cdx.LicenseChoice
	licenses []cdx.License
	propSlab []cdx.Property
	refSlab  []cdx.ExternalReference
	// kinds caches licenseKindOf: a lockfile names few distinct licenses.
	kinds map[string]licenseKind
}

func (c *component) propCount() int {
	n := len(c.nodes) + len(c.aliases) + len(c.sources)
	for _, ok := range []bool{c.bundled, c.allDev, c.install, len(c.native) > 0, c.workspace} {
		if ok {
			n++
		}
	}
	return n
}

func (c *component) cdx(s *slabs, i int) cdx.Component {
	out := cdx.Component{
		BOMRef:     c.purl,
		Type:       cdx.ComponentTypeLibrary,
		Version:    c.version,
		Scope:      scopeNames[c.scope],
		PackageURL: c.purl,
	}
	out.Group, out.Name = splitName(c.name)
	k, ok := s.kinds[c.license]
	if !ok {
		k = licenseKindOf(c.license)
		s.kinds[c.license] = k
	}
	if k.field != "" {
		s.choices[i] = k.choice(&s.licenses[i])
		s.lics[i] = s.choices[i : i+1 : i+1]
		out.Licenses = &s.lics[i]
	}
	if len(c.hashes) > 0 {
		sortHashes(c.hashes)
		s.hashes[i] = c.hashes
		out.Hashes = &s.hashes[i]
	}
	if len(c.dists) > 0 {
		slices.Sort(c.dists)
		start := len(s.refSlab)
		for _, u := range c.dists {
			s.refSlab = append(s.refSlab, cdx.ExternalReference{Type: cdx.ERTypeDistribution, URL: u})
		}
		s.refs[i] = s.refSlab[start:len(s.refSlab):len(s.refSlab)]
		out.ExternalReferences = &s.refs[i]
	}
	start := len(s.propSlab)
	props := s.propSlab
	flag := func(ok bool, name string) {
		if ok {
			props = append(props, cdx.Property{Name: name, Value: "true"})
		}
	}
	flag(c.bundled, PropBundled)
	flag(c.allDev, PropDevelopment)
	for _, p := range c.nodes {
		props = append(props, cdx.Property{Name: PropPath, Value: p.Path})
	}
	slices.Sort(c.aliases)
	for _, a := range c.aliases {
		props = append(props, cdx.Property{Name: PropAlias, Value: a})
	}
	flag(c.install, PropInstallScript)
	if len(c.native) > 0 {
		slices.Sort(c.native)
		props = append(props, cdx.Property{Name: PropNativeAddon, Value: strings.Join(c.native, ",")})
	}
	slices.Sort(c.sources)
	for _, src := range c.sources {
		props = append(props, cdx.Property{Name: PropSource, Value: src})
	}
	flag(c.workspace, PropWorkspace)
	// Appended in name order (and paths in path order, as Packages is):
	// the properties are sorted without sorting them.
	s.propSlab = props
	s.props[i] = props[start:len(props):len(props)]
	out.Properties = &s.props[i]
	return out
}

// schemaURL is the $schema of a CycloneDX JSON document.
func schemaURL(v cdx.SpecVersion) string {
	return "http://cyclonedx.org/schema/bom-" + v.String() + ".schema.json"
}

func sortProperties(ps []cdx.Property) {
	slices.SortStableFunc(ps, func(a, b cdx.Property) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func sortUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
