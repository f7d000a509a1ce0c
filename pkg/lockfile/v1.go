package lockfile

import "strings"

// v1 reads the nested `dependencies` tree of lockfileVersion 1, flattening
// it into install paths (node_modules/a/node_modules/b).
func (p *parser) v1(line int) ([]*Package, error) {
	out := make([]*Package, 0, 256)
	err := p.v1deps(&out, "", 1, line)
	return out, err
}

// span is the range of out filled by one key of a dependencies object: the
// entry and everything nested in it.
type span struct{ start, end int }

func (p *parser) v1deps(out *[]*Package, parent string, level, line int) error {
	w := field{name: "dependencies"}
	if parent != "" {
		w = field{section: "dependencies", path: parent, name: "dependencies"}
	}
	if k := p.dec.PeekKind(); k != '{' {
		return p.typeError(w, "an object", k, line)
	}
	if level > p.cfg.maxDepth {
		return p.tooDeep("dependency")
	}
	if err := p.beginObject(); err != nil {
		return err
	}
	var spans []span
	for p.more() {
		name, off, first, _, err := p.key()
		if err != nil {
			return err
		}
		key := p.intern(name)
		var path string
		if parent == "" {
			path = "node_modules/" + key
		} else {
			path = parent + "/node_modules/" + key
		}
		start := len(*out)
		if err := p.v1entry(out, path, key, p.lines.at(off), level); err != nil {
			return err
		}
		sp := span{start, len(*out)}
		if first >= 0 {
			// JSON.parse keeps the last value: drop the first subtree.
			old := spans[first]
			clear((*out)[old.start:old.end])
			spans[first] = sp
		}
		spans = append(spans, sp)
	}
	return p.end()
}

func (p *parser) v1entry(out *[]*Package, path, key string, line, level int) error {
	w := field{section: "dependencies", path: path}
	if k := p.dec.PeekKind(); k != '{' {
		return p.typeError(w, "an object", k, line)
	}
	if err := p.beginObject(); err != nil {
		return err
	}
	pkg := p.newPackage()
	pkg.Path, pkg.Name, pkg.Line = path, key, line
	*out = append(*out, pkg)
	var nested *span    // what the last "dependencies" key added to out
	deps := len(p.deps) // this entry's dependencies are p.deps[deps:]
	for p.more() {
		k, off, _, _, err := p.key()
		if err != nil {
			return err
		}
		switch string(k) {
		case "version", "resolved", "integrity":
			err = p.sourceField(&w, k, pkg)
		case "dev":
			w.name = "dev"
			pkg.Dev, err = p.boolean(w, 0)
		case "optional":
			w.name = "optional"
			pkg.Optional, err = p.boolean(w, 0)
		case "bundled":
			w.name = "bundled"
			pkg.InBundle, err = p.boolean(w, 0)
		case "requires":
			w.name = "requires"
			switch p.dec.PeekKind() {
			case 't', 'f':
				// Some npm 5 files write "requires": true on entries.
				_, err = p.dec.ReadToken()
			default:
				err = p.depMap(w, true, DepProd, deps)
			}
		case "dependencies":
			start := len(*out)
			err = p.v1deps(out, path, level+1, p.lines.at(off))
			if nested != nil {
				// A duplicate "dependencies" replaces the first, as in JSON.parse.
				clear((*out)[nested.start:nested.end])
			}
			nested = &span{start, len(*out)}
		default:
			err = p.skip()
		}
		if err != nil {
			return p.withLine(err, off)
		}
	}
	if err := p.end(); err != nil {
		return err
	}
	pkg.Deps = p.takeDeps(deps)
	if spec, ok := strings.CutPrefix(pkg.Version, "npm:"); ok {
		// npm alias: "x": {"version": "npm:real@1.2.3"}.
		if p.aliasRaw == nil {
			p.aliasRaw = map[*Package]string{}
		}
		p.aliasRaw[pkg] = pkg.Version
		pkg.Alias = key
		pkg.Name, pkg.Version = spec, ""
		if at := strings.LastIndexByte(spec, '@'); at > 0 {
			pkg.Name, pkg.Version = spec[:at], spec[at+1:]
		}
	}
	switch {
	case pkg.Resolved != "":
		pkg.Source = classify(pkg.Resolved)
	case strings.ContainsAny(pkg.Version, ":/"):
		// git and file dependencies record their source as the version.
		pkg.Source = classify(pkg.Version)
	}
	return nil
}
