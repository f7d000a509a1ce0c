package lockfile

import (
	"bytes"
	"cmp"
	"path"
	"slices"
	"strings"
)

// A lockfileVersion 2 file records the tree twice: `packages`, which npm 7
// and later read, and the nested `dependencies` of lockfileVersion 1, kept
// so that npm 6 can install from the same file ("lockfileVersion 2: the
// lockfile version used by npm v7 and v8. Backwards compatible to v1
// lockfiles", npm's package-lock.json documentation). The model and every
// check read `packages`, so an edit to `dependencies` alone would be
// installed by npm 6 without being reviewed. The code below compares the two
// and records every entry where `dependencies` makes npm 6 install something
// `packages` does not say.
//
// The rules follow what npm 7+ writes into `dependencies`
// (@npmcli/arborist's Shrinkwrap, buildLegacyLockfile), so that no file npm
// wrote disagrees with itself:
//   - version: a link is "file:" + its target folder ('#' escaped as %23); a
//     git dependency is the resolved git URL; a file or remote tarball
//     requested as such is its spec (the resolved value); an npm alias is
//     "npm:<name>@<version>"; anything else is the version.
//   - resolved and integrity: the same values as in `packages`; resolved is
//     left out for links and for git, file and remote dependencies.
//   - the children of a link are written under the link, while `packages`
//     has them under the link's target folder (workspaces).
//   - npm also writes entries without version or resolved (optional platform
//     packages that were not in the tree): they name nothing to install and
//     are not compared.
//
// A `packages` entry that `dependencies` lacks is no mismatch: npm 6 does not
// install it, and older npm versions wrote partial trees.

// SectionMismatch is one place where the `dependencies` section of a
// lockfileVersion 2 or 3 file disagrees with `packages`.
type SectionMismatch struct {
	// Path is the install path in the `packages` form
	// ("node_modules/a/node_modules/b"; under a link, the link's target
	// folder: "packages/x/node_modules/b").
	Path string
	// Name is the package's name: `packages`' (alias-aware) when it has the
	// entry, otherwise the `dependencies` key.
	Name string
	// Field is "version", "resolved", "integrity", or "entry" for a
	// `dependencies` entry that `packages` does not have.
	Field string
	// Packages is what `packages` records for the field, in the form
	// `dependencies` would spell it ("" when absent; for "entry", always "").
	// Dependencies is the value in `dependencies` (for "entry", its version).
	Packages, Dependencies string
	// Line is the 1-based line of the `dependencies` entry's key.
	Line int
}

// fieldRank orders the mismatches of one entry.
func fieldRank(f string) int {
	switch f {
	case "entry":
		return 0
	case "version":
		return 1
	case "resolved":
		return 2
	}
	return 3
}

// legacyVersion returns the `dependencies` version npm writes for the
// `packages` entry pk.
func legacyVersion(pk *Package) string {
	switch {
	case pk.Link:
		return "file:" + pk.Resolved
	case pk.Source.Kind == SourceGit:
		return pk.Resolved
	case pk.Alias != "" && !pk.Workspace:
		return "npm:" + pk.Name + "@" + pk.Version
	}
	return pk.Version
}

// versionAgrees reports whether the `dependencies` version v of an entry
// names what the `packages` entry pk installs. parent is the real install
// path of the entry's parent ("" for the root), against which a nested
// file: spec may be relative.
func versionAgrees(pk *Package, v, parent []byte) bool {
	if pk.Link {
		rest, ok := bytes.CutPrefix(v, []byte("file:"))
		if !ok {
			return false
		}
		if string(rest) == pk.Resolved {
			return true
		}
		return bytes.Contains(rest, []byte("%23")) &&
			string(bytes.ReplaceAll(rest, []byte("%23"), []byte("#"))) == pk.Resolved
	}
	if pk.Resolved != "" && string(v) == pk.Resolved {
		// git, file and remote dependencies record their spec.
		return true
	}
	switch {
	case pk.Source.Kind == SourceGit:
		// npm 6 would fetch a registry version instead of the git
		// commit unless v names the same commit of the same repository.
		return sameGit(string(v), pk.Source)
	case pk.Alias != "" && !pk.Workspace:
		rest, ok := bytes.CutPrefix(v, []byte("npm:"))
		return ok && len(rest) == len(pk.Name)+1+len(pk.Version) &&
			string(rest[:len(pk.Name)]) == pk.Name && rest[len(pk.Name)] == '@' &&
			string(rest[len(pk.Name)+1:]) == pk.Version
	case string(v) == pk.Version:
		return true
	case pk.Source.Kind == SourceFile && bytes.HasPrefix(v, []byte("file:")):
		return sameFile(string(v), pk.Resolved, string(parent))
	}
	return false
}

// gitWebHosts are the hosts whose https URLs npm reads as git repositories
// (hosted-git-info), as npm 6 wrote them: "https://github.com/o/r.git#sha".
var gitWebHosts = map[string]bool{"github.com": true, "gitlab.com": true, "bitbucket.org": true, "gist.github.com": true}

// sameGit reports whether the git spec v fetches the same commit of the same
// repository as the git source s. Both must pin a full commit hash.
func sameGit(v string, s Source) bool {
	want := s.GitLocation()
	if want == "" {
		return false
	}
	got := classify(v)
	if got.Kind == SourceTarball && got.Scheme == "https" && gitWebHosts[got.Host] {
		got.Kind = SourceGit
		_, got.Commit, _ = strings.Cut(v, "#")
	}
	return got.GitLocation() == want
}

// sameFile reports whether the file: spec v names the file: source resolved:
// `packages` records it relative to the root, `dependencies` relative to
// the package that requires it, which is the parent or the root.
func sameFile(v, resolved, parent string) bool {
	r, ok := strings.CutPrefix(resolved, "file:")
	if !ok {
		return false
	}
	want := path.Clean(r)
	rel := strings.TrimPrefix(v, "file:")
	return path.Clean(rel) == want || (parent != "" && path.Join(parent, rel) == want)
}

// addMismatch records a mismatch unless the list is full; it returns its
// index, or -1.
func (p *parser) addMismatch(m SectionMismatch) int {
	if p.mmLive >= maxDuplicates {
		p.cut |= CutSectionMismatches
		return -1
	}
	p.mm = append(p.mm, m)
	p.mmLive++
	return len(p.mm) - 1
}

// dropMismatches forgets the mismatches p.mm[s.start:s.end], found in a
// value that a later duplicate key replaced (JSON.parse keeps the last).
func (p *parser) dropMismatches(s span) {
	for i := s.start; i < s.end; i++ {
		if p.mm[i].Field != "" {
			p.mm[i].Field = ""
			p.mmLive--
		}
	}
}

func (p *parser) dropMismatch(i int) {
	if i >= 0 {
		p.dropMismatches(span{i, i + 1})
	}
}

// mismatches returns the recorded mismatches, by line.
func (p *parser) mismatches() []SectionMismatch {
	out := slices.DeleteFunc(p.mm, func(m SectionMismatch) bool { return m.Field == "" })
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b SectionMismatch) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Path, b.Path), cmp.Compare(fieldRank(a.Field), fieldRank(b.Field)))
	})
	return slices.Clip(out)
}

// indexPackages maps the install paths of `packages` to their entries.
func indexPackages(pkgs []*Package) map[string]*Package {
	m := make(map[string]*Package, len(pkgs))
	for _, pk := range pkgs {
		if pk != nil {
			m[pk.Path] = pk
		}
	}
	return m
}

// legacy walks the `dependencies` section of a file whose `packages` was
// already read (the order npm writes), comparing each entry with
// byPath's as it goes. It reads only version, resolved, integrity and the
// nested dependencies, and allocates only for a mismatch; duplicate keys,
// depth limits and type errors are handled as when the section is built.
func (p *parser) legacy(off int64, byPath map[string]*Package) error {
	p.mm, p.mmLive = p.mm[:0], 0
	p.rpath, p.vpath = p.rpath[:0], p.vpath[:0]
	return p.legacyDeps(byPath, 1, off)
}

// legacyDeps reads one `dependencies` object; p.rpath holds the real
// install path of its owner and p.vpath the path as nested.
func (p *parser) legacyDeps(byPath map[string]*Package, level int, off int64) error {
	if k := p.dec.PeekKind(); k != '{' {
		return p.typeError(p.legacyField("dependencies"), "an object", k, p.lines.at(off))
	}
	if level > p.cfg.maxDepth {
		return p.tooDeep("dependency")
	}
	if err := p.beginObject(); err != nil {
		return err
	}
	base := len(p.lspans)
	p.lobj++
	obj := p.lobj
	rlen, vlen := len(p.rpath), len(p.vpath)
	for p.more() {
		name, off, first, pos, err := p.key()
		if err != nil {
			return err
		}
		if rlen > 0 {
			p.rpath = append(p.rpath, "/node_modules/"...)
		} else {
			p.rpath = append(p.rpath, "node_modules/"...)
		}
		if vlen > 0 {
			p.vpath = append(p.vpath, "/node_modules/"...)
		} else {
			p.vpath = append(p.vpath, "node_modules/"...)
		}
		p.rpath = append(p.rpath, name...)
		p.vpath = append(p.vpath, name...)
		start := len(p.mm)
		if err := p.legacyEntry(byPath, rlen, len(p.rpath)-len(name), off, level); err != nil {
			return err
		}
		if first >= 0 {
			// JSON.parse keeps the last value: forget what the
			// first one found.
			for i := len(p.lspans) - 1; i >= base; i-- {
				if l := p.lspans[i]; l.obj == obj && l.pos == first {
					p.dropMismatches(l.span)
					break
				}
			}
			pos = first
		}
		if start != len(p.mm) {
			p.lspans = append(p.lspans, legacySpan{obj, pos, span{start, len(p.mm)}})
		}
		p.rpath, p.vpath = p.rpath[:rlen], p.vpath[:vlen]
	}
	p.lspans = p.lspans[:base]
	return p.end()
}

// legacySpan is the range of mismatches found in the value of the pos-th
// key of the obj-th `dependencies` object. Only keys that found some are
// recorded: the list is empty for a file npm wrote.
type legacySpan struct {
	obj, pos int
	span
}

// legacyField names a field of the entry at p.vpath for an error.
func (p *parser) legacyField(name string) field {
	if len(p.vpath) == 0 {
		return field{name: name}
	}
	return field{section: "dependencies", path: string(p.vpath), name: name}
}

// legacyString reads a string field of a `dependencies` entry; the result is
// valid until the next read.
func (p *parser) legacyString(name string) ([]byte, error) {
	if k := p.dec.PeekKind(); k != '"' {
		return nil, p.typeError(p.legacyField(name), "a string", k, 0)
	}
	return p.strBytes(field{}, 0)
}

// legacyFields names the fields legacyEntry compares, by index.
var legacyFields = [3]string{"version", "resolved", "integrity"}

// legacyEntry reads the entry whose real path is p.rpath; parentLen is the
// length of its parent's path in p.rpath and nameAt where its key starts.
func (p *parser) legacyEntry(byPath map[string]*Package, parentLen, nameAt int, off int64, level int) error {
	if k := p.dec.PeekKind(); k != '{' {
		return p.typeError(p.legacyField(""), "an object", k, p.lines.at(off))
	}
	if err := p.beginObject(); err != nil {
		return err
	}
	pk := byPath[string(p.rpath)]
	var (
		installs bool   // a version or resolved names something to install
		version  string // kept only when pk is nil
		found    = [3]int{-1, -1, -1}
		nested   = span{-1, -1} // what the last "dependencies" found
	)
	for p.more() {
		k, koff, _, _, err := p.key()
		if err != nil {
			return err
		}
		i := -1
		switch string(k) {
		case "version":
			i = 0
		case "resolved":
			i = 1
		case "integrity":
			i = 2
		case "dependencies":
			var own string
			if pk != nil && pk.Link {
				// The children of a link are its target's: packages
				// has them under the target folder.
				own = string(p.rpath)
				p.rpath = append(p.rpath[:0], pk.Resolved...)
			}
			start := len(p.mm)
			err := p.legacyDeps(byPath, level+1, koff)
			if pk != nil && pk.Link {
				p.rpath = append(p.rpath[:0], own...)
			}
			if err != nil {
				return err
			}
			if nested.start >= 0 {
				// A duplicate "dependencies" replaces the first.
				p.dropMismatches(nested)
			}
			nested = span{start, len(p.mm)}
			continue
		default:
			if err := p.skip(); err != nil {
				return err
			}
			continue
		}
		v, err := p.legacyString(legacyFields[i])
		if err != nil {
			return p.withLine(err, koff)
		}
		// The last of a repeated field counts.
		p.dropMismatch(found[i])
		found[i] = -1
		if i == 0 {
			version = ""
		}
		if len(v) == 0 {
			continue // absent, as when the section is built
		}
		installs = installs || i < 2
		switch {
		case pk == nil && i == 0:
			version = string(v)
		case pk == nil:
		default:
			if want, ok := legacyAgrees(pk, i, v, p.rpath[:parentLen]); !ok {
				found[i] = p.addMismatch(SectionMismatch{
					Path: string(p.rpath), Name: pk.Name, Field: legacyFields[i],
					Packages: want, Dependencies: string(v), Line: p.lines.at(off),
				})
			}
		}
	}
	if err := p.end(); err != nil {
		return err
	}
	if pk == nil && installs {
		p.addMismatch(SectionMismatch{
			Path: string(p.rpath), Name: string(p.rpath[nameAt:]), Field: "entry",
			Dependencies: version, Line: p.lines.at(off),
		})
	}
	return nil
}

// legacyAgrees compares field i (0 version, 1 resolved, 2 integrity) of a
// `dependencies` entry with the `packages` entry pk; when they disagree it
// returns what `packages` records, in the form `dependencies` would spell it.
func legacyAgrees(pk *Package, i int, v, parent []byte) (string, bool) {
	switch i {
	case 0:
		if versionAgrees(pk, v, parent) {
			return "", true
		}
		return legacyVersion(pk), false
	case 1:
		want := pk.Resolved
		if pk.Link {
			want = "" // a link's resolved is its folder, not a source
		}
		return want, string(v) == want
	default:
		return pk.Integrity, string(v) == pk.Integrity
	}
}

// compareBuilt compares the `dependencies` section read in full by v1 (it
// came before `packages`, or before lockfileVersion) with `packages`, by the
// rules legacy applies while reading.
func (p *parser) compareBuilt(v1 []*Package, byPath map[string]*Package) []SectionMismatch {
	p.mm, p.mmLive = p.mm[:0], 0
	// real maps a nested path to the real path of its children's folder.
	real := map[string]string{}
	for _, e := range v1 {
		if e == nil {
			continue
		}
		key := e.Name
		if e.Alias != "" {
			key = e.Alias
		}
		parent := ""
		if e.Path != "node_modules/"+key {
			parent = strings.TrimSuffix(e.Path, "/node_modules/"+key)
		}
		if r, ok := real[parent]; ok {
			parent = r
		}
		rp := "node_modules/" + key
		if parent != "" {
			rp = parent + "/node_modules/" + key
		}
		pk := byPath[rp]
		real[e.Path] = rp
		if pk != nil && pk.Link {
			real[e.Path] = pk.Resolved
		}
		version := e.Version
		if e.Alias != "" {
			version = p.aliasRaw[e]
		}
		if pk == nil {
			if version != "" || e.Resolved != "" {
				p.addMismatch(SectionMismatch{Path: rp, Name: key, Field: "entry", Dependencies: version, Line: e.Line})
			}
			continue
		}
		for i, v := range [3]string{version, e.Resolved, e.Integrity} {
			if v == "" {
				continue
			}
			if want, ok := legacyAgrees(pk, i, []byte(v), []byte(parent)); !ok {
				p.addMismatch(SectionMismatch{
					Path: rp, Name: pk.Name, Field: legacyFields[i],
					Packages: want, Dependencies: v, Line: e.Line,
				})
			}
		}
	}
	return p.mismatches()
}
