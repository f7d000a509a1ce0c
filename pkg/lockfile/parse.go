package lockfile

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Parse parses one package-lock.json or npm-shrinkwrap.json. file names the
// input in every error (e.g. "head/package-lock.json"). Parse never panics and
// never touches the network; it is safe to call concurrently.
//
// Every error wraps ErrInvalid, through ErrMalformed (not JSON, or a field we
// read has the wrong type), ErrUnsupportedVersion, ErrTooLarge or ErrTooDeep.
//
// What Parse accepts is what npm sees when it reads the file with JSON.parse:
//   - an object that names a key twice keeps the last value, and the
//     duplicate is recorded in Lockfile.Duplicates (a security signal, not an
//     error);
//   - a leading UTF-8 byte order mark is ignored, as npm strips it.
//
// Only the first 1,000 duplicate keys are recorded.
//
// lockfileVersion 1 is read from the nested `dependencies` tree; 2 and 3 from
// `packages` (the v1-style copy in v2 files, which npm 6 installs from, is
// compared with it: see Lockfile.SectionMismatches), except that a file without `packages` is read from `dependencies` as npm
// does, whatever its lockfileVersion, and then reports Version 1.
// Without lockfileVersion, a file with only `dependencies` is read as 1, one
// with only `packages` as 3, one with both as 2. Entries outside any
// node_modules folder (workspaces and other linked folders) have Workspace
// set.
//
// Where it is stricter: invalid UTF-8 (including escaped lone surrogates) is
// rejected with a *SyntaxError instead of being replaced with U+FFFD, so two
// different files can never parse to the same strings.
func Parse(file string, data []byte, opts ...Option) (*Lockfile, error) {
	cfg := newConfig(opts)
	if int64(len(data)) > cfg.maxSize {
		return nil, &limitError{
			msg: fmt.Sprintf("%s: %d bytes exceeds the size limit of %d bytes", file, len(data), cfg.maxSize),
			err: ErrTooLarge,
		}
	}
	if isBlank(data) {
		return nil, &limitError{msg: file + ": empty file", err: ErrMalformed}
	}
	p := newParser(file, data, cfg)
	l, err := p.parse()
	if err != nil {
		return nil, p.wrap(err)
	}
	return l, nil
}

func isBlank(data []byte) bool {
	for _, c := range data {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// parse reads the top-level object.
func (p *parser) parse() (*Lockfile, error) {
	k := p.dec.PeekKind()
	if k == 0 && p.in != nil && p.in.err == nil && !p.in.nonBlank {
		return nil, &limitError{msg: p.file + ": empty file", err: ErrMalformed}
	}
	if k != '{' {
		return nil, p.typeError(field{name: "top level"}, "a JSON object", k, 1)
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	var (
		version     float64
		haveVersion bool
		versionLine int
		name, ver   string
		v3          *packagesResult
		v1          []*Package
		haveV1      bool
		// byPath indexes packagesOf's entries, built for the comparison
		// of the two sections; finish reuses it.
		byPath     map[string]*Package
		packagesOf *packagesResult
		// walked: the last `dependencies` was compared while read.
		walked bool
	)
	for p.more() {
		key, off, _, _, err := p.key()
		if err != nil {
			return nil, err
		}
		switch string(key) {
		case "lockfileVersion":
			versionLine = p.lines.at(off)
			if version, err = p.number(field{name: "lockfileVersion"}, versionLine); err != nil {
				return nil, err
			}
			haveVersion = true
		case "name":
			if name, err = p.str(field{name: "name"}, p.lines.at(off)); err != nil {
				return nil, err
			}
		case "version":
			if ver, err = p.str(field{name: "version"}, p.lines.at(off)); err != nil {
				return nil, err
			}
		case "packages":
			if v3, err = p.packages(p.lines.at(off)); err != nil {
				return nil, err
			}
		case "dependencies":
			// lockfileVersion 2 repeats the tree in v1 form for npm 6.
			// Once `packages` was read, it is not built but compared with
			// it as it is read (sections.go). npm reads `dependencies`
			// whenever `packages` is missing, whatever the version says,
			// so until then it is built (and compared at the end).
			if haveVersion && version >= 2 && v3 != nil {
				if packagesOf != v3 {
					byPath, packagesOf = indexPackages(v3.pkgs), v3
				}
				err = p.legacy(off, byPath)
				v1, walked = nil, true
			} else {
				v1, err = p.v1(p.lines.at(off))
				haveV1, walked = true, false
			}
			if err != nil {
				return nil, err
			}
		default:
			if err := p.skip(); err != nil {
				return nil, err
			}
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if _, err := p.dec.ReadToken(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		line, col := p.lines.position(p.offset() - 1)
		return nil, &SyntaxError{File: p.file, Line: line, Column: col, Offset: p.offset() - 1, Msg: "invalid data after the top-level value"}
	}

	l := &Lockfile{File: p.file, Name: name, RootVersion: ver, Duplicates: p.dups, Cut: p.cut}
	switch {
	case haveVersion:
		if version != math.Trunc(version) || version < 1 || version > 3 {
			return nil, &limitError{
				msg: fmt.Sprintf("%s: lockfileVersion %s is not supported (line %d)", p.file, strconv.FormatFloat(version, 'g', -1, 64), versionLine),
				err: ErrUnsupportedVersion,
			}
		}
		l.Version = int(version)
		l.DeclaredVersion, l.VersionLine = l.Version, versionLine
	case v3 != nil && haveV1:
		l.Version = 2
	case v3 != nil:
		l.Version = 3
	case haveV1:
		l.Version = 1
	default:
		return nil, &limitError{msg: p.file + ": not a lockfile: no lockfileVersion, packages or dependencies", err: ErrMalformed}
	}
	switch {
	case l.Version >= 2 && v3 == nil && haveV1:
		// A v2/v3 file without `packages`: npm installs from
		// `dependencies`, which records what a v1 file records.
		l.Version = 1
	case l.Version == 1 && v3 != nil:
		// A file that says 1 but has `packages`: npm 7 and later install
		// from `packages` whenever it is there, so it is read as a version
		// 2 file (and its `dependencies` compared with it).
		l.Version = 2
	}
	if l.Version == 1 {
		l.Packages = v1
	} else if v3 != nil {
		l.Packages = v3.pkgs
		l.OddPaths = p.odd
		switch {
		case walked:
			l.SectionMismatches = p.mismatches()
		case v1 != nil:
			if packagesOf != v3 {
				byPath, packagesOf = indexPackages(v3.pkgs), v3
			}
			l.SectionMismatches = p.compareBuilt(v1, byPath)
		}
		l.Cut = p.cut // compareBuilt may have added to it
		if packagesOf == v3 {
			l.byPath = byPath
		}
		if r := v3.root; r != nil {
			l.Root = r
			if r.Name != "" {
				l.Name = r.Name
			}
			if r.Version != "" {
				l.RootVersion = r.Version
			}
		}
	}
	finish(l)
	return l, nil
}

// finish drops entries replaced by a duplicate key, sorts by path, keeps the
// last of equal paths (possible only in crafted v1 files), fills link
// versions and builds the path index.
func finish(l *Lockfile) {
	pkgs := slices.DeleteFunc(l.Packages, func(p *Package) bool { return p == nil })
	less := func(a, b *Package) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(pkgs, less) {
		slices.SortStableFunc(pkgs, less)
	}
	out := pkgs[:0]
	for i, p := range pkgs {
		if i+1 < len(pkgs) && pkgs[i+1].Path == p.Path {
			continue
		}
		out = append(out, p)
	}
	clear(pkgs[len(out):])
	l.Packages = out
	if len(l.byPath) != len(out) {
		// Not built while parsing (only `packages` entries, unique by
		// path, are indexed then).
		l.index()
	}
	for _, p := range l.Packages {
		if p.Link && p.Version == "" {
			if t := l.byPath[p.Resolved]; t != nil && !t.Link {
				p.Version = t.Version
			}
		}
	}
}
