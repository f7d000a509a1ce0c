package lockfile

import (
	"slices"
	"strings"
)

// packagesResult is the `packages` map of lockfileVersion 2 and 3.
type packagesResult struct {
	root *Package
	pkgs []*Package // in file order; nil where a duplicate key replaced an entry
}

// packages reads the `packages` object.
func (p *parser) packages(line int) (*packagesResult, error) {
	w := field{name: "packages"}
	if k := p.dec.PeekKind(); k != '{' {
		return nil, p.typeError(w, "an object", k, line)
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	res := &packagesResult{pkgs: make([]*Package, 0, 256)}
	// slot[pos] is the index in res.pkgs of the entry of the pos-th key
	// (-1 for the root), so that a duplicate key replaces the first entry.
	slot := make([]int32, 0, 256)
	for p.more() {
		name, off, first, _, err := p.key()
		if err != nil {
			return nil, err
		}
		path := string(name)
		line := p.lines.at(off)
		if why := oddPath(path); why != "" {
			if len(p.odd) < maxDuplicates {
				p.odd = append(p.odd, OddPath{Path: path, Line: line, Why: why})
			} else {
				p.cut |= CutOddPaths
			}
		}
		pkg, err := p.entry(path, line)
		if err != nil {
			return nil, err
		}
		idx := int32(-1)
		if path == "" {
			res.root = pkg
		} else {
			idx = int32(len(res.pkgs))
			res.pkgs = append(res.pkgs, pkg)
		}
		if first >= 0 {
			if old := slot[first]; old >= 0 {
				res.pkgs[old] = nil
			}
			slot[first] = idx
		}
		slot = append(slot, idx)
	}
	return res, p.end()
}

// entry reads one value of the `packages` map.
func (p *parser) entry(path string, line int) (*Package, error) {
	w := field{section: "packages", path: path}
	if k := p.dec.PeekKind(); k != '{' {
		return nil, p.typeError(w, "an object", k, line)
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	pkg := p.newPackage()
	pkg.Path, pkg.Line = path, line
	var (
		name      string
		hasName   bool
		binString bool          // `bin` was a string: the command is the package's name
		deps      = len(p.deps) // this entry's dependencies are p.deps[deps:]
	)
	for p.more() {
		key, off, _, _, err := p.key()
		if err != nil {
			return nil, err
		}
		switch string(key) {
		case "version", "resolved", "integrity":
			err = p.sourceField(&w, key, pkg)
		case "name":
			w.name = "name"
			var b []byte
			if b, err = p.strBytes(w, 0); err == nil {
				name, hasName = p.intern(b), true
			}
		case "license":
			pkg.License, err = p.license()
		case "os":
			w.name = "os"
			pkg.OS, err = p.stringList(w, 0)
		case "cpu":
			w.name = "cpu"
			pkg.CPU, err = p.stringList(w, 0)
		case "bin":
			w.name = "bin"
			pkg.Bin, binString, err = p.binNames(w)
		case "scripts":
			w.name = "scripts"
			pkg.Scripts, err = p.scriptNames()
		default:
			if field, flag := entryFlag(pkg, key); flag != nil {
				w.name = field
				*flag, err = p.boolean(w, 0)
			} else if field, typ := depField(key); field != "" {
				w.name = field
				err = p.depMap(w, false, typ, deps)
			} else {
				err = p.skip()
			}
		}
		if err != nil {
			return nil, p.withLine(err, off)
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	pkg.Deps = p.takeDeps(deps)
	if slices.ContainsFunc(pkg.Scripts, isInstallScript) {
		// What Arborist's Node.hasInstallScript says of such an entry.
		pkg.HasInstallScript = true
	}
	nameEntry(pkg, name, hasName)
	if binString && pkg.Name != "" {
		pkg.Bin = []string{pkg.Name[strings.LastIndexByte(pkg.Name, '/')+1:]}
	}
	switch {
	case pkg.Link:
		pkg.Source = Source{Kind: SourceLink, URL: pkg.Resolved}
	case pkg.Resolved == "" && !pkg.Workspace && strings.ContainsAny(pkg.Version, ":/"):
		specVersion(pkg)
	default:
		pkg.Source = classify(pkg.Resolved)
	}
	return pkg, nil
}

// specVersion reads an installed entry that records no resolved and whose
// version is a spec, not a version: npm then fetches "<name>@<version>"
// (Arborist's reify), so "npm:evil@1.0.0" installs evil from the registry
// and a URL, git or file spec installs from there. npm never writes such an
// entry; the source is what npm would fetch.
func specVersion(pkg *Package) {
	if rest, ok := strings.CutPrefix(pkg.Version, "npm:"); ok {
		// npm:<name>@<range>; a scoped name starts with "@".
		name, rng := rest, ""
		if at := strings.LastIndexByte(rest, '@'); at > 0 {
			name, rng = rest[:at], rest[at+1:]
		}
		if name != pkg.Name && pkg.Alias == "" {
			pkg.Name, pkg.Alias = name, pkg.Name
		}
		pkg.Version = rng
		pkg.Source = Source{Kind: SourceMissing}
		return
	}
	pkg.Source = classify(pkg.Version)
}

// newPackage returns a zero Package. Packages are allocated in blocks: one
// allocation per entry costs more (in the allocator and the garbage
// collector) than the entries' own parsing.
func (p *parser) newPackage() *Package {
	if len(p.slab) == 0 {
		p.slab = make([]Package, 128)
	}
	pkg := &p.slab[0]
	p.slab = p.slab[1:]
	return pkg
}

// withLine gives a *FieldError raised without a line the line of the key at
// off: lines are computed only when an error is reported.
func (p *parser) withLine(err error, off int64) error {
	if fe, ok := err.(*FieldError); ok && fe.Line == 0 {
		fe.Line = p.lines.at(off)
	}
	return err
}

// nameEntry sets Name, Alias and Workspace from the install path and the
// entry's own `name`.
func nameEntry(pkg *Package, name string, hasName bool) {
	if pkg.Path == "" {
		pkg.Name = name
		return
	}
	folder, ok := folderName(pkg.Path)
	if !ok {
		// Not under node_modules: a workspace (or linked) folder.
		pkg.Workspace = true
		if hasName {
			pkg.Name = name
		} else {
			pkg.Name = pkg.Path[strings.LastIndexByte(pkg.Path, '/')+1:]
		}
		return
	}
	pkg.Name = folder
	if hasName && name != folder {
		// npm alias: node_modules/<alias> holds package <name>.
		pkg.Name, pkg.Alias = name, folder
	}
}

// folderName returns the segment after the last "node_modules/" of an
// install path ("@scope/name" for scoped packages).
func folderName(path string) (string, bool) {
	const nm = "node_modules/"
	i := strings.LastIndex(path, nm)
	for i > 0 && path[i-1] != '/' {
		// "x_node_modules/..." is not a node_modules folder.
		i = strings.LastIndex(path[:i], nm)
	}
	if i < 0 {
		return "", false
	}
	return path[i+len(nm):], true
}

// sourceField reads the version, resolved or integrity field of an entry;
// every lockfile version spells them alike.
func (p *parser) sourceField(w *field, key []byte, pkg *Package) (err error) {
	switch string(key) {
	case "version":
		w.name = "version"
		var b []byte
		if b, err = p.strBytes(*w, 0); err == nil {
			pkg.Version = p.intern(b)
		}
	case "resolved":
		w.name = "resolved"
		pkg.Resolved, err = p.str(*w, 0)
	case "integrity":
		w.name = "integrity"
		pkg.Integrity, err = p.str(*w, 0)
	}
	return err
}

// depField returns the name and type of a dependency field of an entry, or
// "" for another key.
func depField(key []byte) (string, DepType) {
	switch string(key) {
	case "dependencies":
		return "dependencies", DepProd
	case "optionalDependencies":
		return "optionalDependencies", DepOptional
	case "peerDependencies":
		return "peerDependencies", DepPeer
	case "devDependencies":
		return "devDependencies", DepDev
	}
	return "", 0
}

// entryFlag returns the name of a boolean field of a `packages` entry and
// the flag it sets, or a nil flag for another key.
func entryFlag(pkg *Package, key []byte) (string, *bool) {
	switch string(key) {
	case "dev":
		return "dev", &pkg.Dev
	case "optional":
		return "optional", &pkg.Optional
	case "devOptional":
		return "devOptional", &pkg.DevOptional
	case "peer":
		return "peer", &pkg.Peer
	case "inBundle":
		return "inBundle", &pkg.InBundle
	case "link":
		return "link", &pkg.Link
	case "hasInstallScript":
		return "hasInstallScript", &pkg.HasInstallScript
	}
	return "", nil
}
