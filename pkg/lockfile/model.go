// Package lockfile parses npm lockfiles (package-lock.json and npm-shrinkwrap.json,
// lockfileVersion 1, 2 and 3) into one model. It treats its input as hostile: it
// bounds size and nesting, reports duplicate object keys instead of silently
// keeping one, and never panics. It never touches the network and imports
// nothing of the project.
package lockfile

import (
	"strings"
)

// Lockfile is one parsed npm lockfile.
type Lockfile struct {
	// File is the name the caller gave Parse (used in every error and finding).
	File string
	// Version is the lockfileVersion the file is read as (1, 2 or 3): 1 for
	// a file with no `packages` section, whatever it declares, since npm
	// then installs from `dependencies`.
	Version int
	// DeclaredVersion is the lockfileVersion the file states (0 when it
	// states none); VersionLine is that field's 1-based line.
	DeclaredVersion, VersionLine int
	// Name and RootVersion describe the root project.
	Name, RootVersion string
	// Root holds the root project's own dependency declarations. For
	// lockfileVersion 1 it is nil: v1 files do not record them.
	Root *Package
	// Packages holds every installed node except the root, sorted by Path.
	Packages []*Package
	// Cut says which of Duplicates, OddPaths and SectionMismatches reached
	// MaxRecorded and dropped later entries (even if a later duplicate key
	// then removed one): those lists are incomplete.
	Cut Cut
	// Duplicates lists every object that named the same key twice.
	Duplicates []DuplicateKey
	// OddPaths lists `packages` keys that are not install paths npm writes
	// ("node_modules/x/../lodash", "node_modules//a", a backslash): npm
	// resolves them to another location than a reader of the key sees.
	OddPaths []OddPath
	// SectionMismatches lists where the `dependencies` section of a
	// lockfileVersion 2 or 3 file (what npm 6 installs from) disagrees with
	// `packages` (what npm 7+ installs from, and what Packages holds): a
	// version, resolved URL or integrity that differs, or an entry that
	// `packages` lacks. npm never writes one, so each is an edit that npm 6
	// would install unseen. Nil when the file has only one of the sections
	// or is read as lockfileVersion 1. When `packages` is named twice and
	// `dependencies` comes between them, it is compared with the first.
	// Only the first 1,000 are recorded.
	SectionMismatches []SectionMismatch

	byPath     map[string]*Package
	workspaces []*Package // built with byPath
}

// Package is one installed node of the dependency tree (one entry of the
// `packages` map, or one nested v1 `dependencies` entry).
type Package struct {
	// Path is the install location: "node_modules/a/node_modules/b" or, for a
	// workspace package, its folder ("packages/x").
	Path string
	// Name is the real package name: the entry's `name` for npm aliases,
	// otherwise the segment after the last "node_modules/".
	Name string
	// Alias is the folder name when the package is installed under another
	// name (npm alias `"x": "npm:y@1"`), otherwise empty.
	Alias string
	// Version is the installed version (for v1 git dependencies, the git URL).
	Version   string
	Resolved  string
	Integrity string
	// License is the `license` field as an SPDX-like string; old-style
	// {"type": "MIT"} objects and arrays are folded into it.
	License string
	Source  Source

	Dev, Optional, DevOptional, Peer, InBundle, Link bool
	// HasInstallScript is meaningful only when the lockfile records it
	// (see Lockfile.RecordsInstallScripts).
	HasInstallScript bool
	// Scripts holds the script names of a `scripts` field in the entry,
	// sorted, or nil when there is none. npm never writes one, but npm 7+
	// builds each installed package's manifest from its lockfile entry and
	// runs these scripts (Arborist's loadVirtual and rebuild), so one sets
	// HasInstallScript when it names preinstall, install or postinstall.
	Scripts   []string
	Workspace bool
	OS, CPU   []string
	// Bin holds the command names the package installs into
	// node_modules/.bin (the keys of `bin` as npm normalizes them, see
	// BinName; for a `bin` string, the package's own name without its
	// scope), sorted, each once. lockfileVersion 1 does not record them
	// (see RecordsBins).
	Bin []string

	// Deps are the entry's declared dependencies (`dependencies`,
	// `optionalDependencies`, `peerDependencies`, `devDependencies`, or the
	// v1 `requires`), sorted by name, then type. devDependencies appear only
	// on the root and on workspace packages.
	Deps Deps

	// Line is the 1-based line of the entry's key in the source file.
	Line int
}

// OddPath is a `packages` key that is not in the form npm writes.
type OddPath struct {
	Path string
	// Line is the 1-based line of the key.
	Line int
	// Why says what is odd about it.
	Why string
}

// oddPath says why a `packages` key is not an install path npm writes, or
// "" when it is one. npm writes relative, slash-separated paths with no
// empty or "." segments, and ".." only before any node_modules folder (a
// workspace or file dependency outside the project).
func oddPath(p string) string {
	switch {
	case p == "":
		return ""
	case strings.Contains(p, "\\"):
		return "it contains a backslash"
	case strings.HasPrefix(p, "/"):
		return "it is absolute"
	}
	seenNodeModules := false
	for rest := p; ; {
		seg, more, found := strings.Cut(rest, "/")
		rest = more
		switch seg {
		case "":
			return "it has an empty segment"
		case ".":
			return `it has a "." segment`
		case "..":
			if seenNodeModules {
				return `it climbs out of a node_modules folder with ".."`
			}
		case "node_modules":
			seenNodeModules = true
		}
		if !found {
			return ""
		}
	}
}

// DuplicateKey is an object key that appears twice in one JSON object.
type DuplicateKey struct {
	// Object is the JSON pointer of the object holding the key ("" is the root).
	Object string
	Key    string
	// FirstLine and SecondLine are the 1-based lines of the two occurrences.
	FirstLine, SecondLine int
}

// SourceKind classifies where a package's code comes from.
type SourceKind int

// Source kinds, from the `resolved` field (or `link`, `version` for v1 git deps).
const (
	// SourceMissing: no resolved URL recorded (common with some npm settings).
	SourceMissing SourceKind = iota
	// SourceRegistry: an https tarball in registry layout (/<name>/-/<file>.tgz).
	SourceRegistry
	// SourceTarball: an https URL that is not in registry layout.
	SourceTarball
	// SourceHTTP: any plain http:// URL.
	SourceHTTP
	// SourceGit: git+ssh, git+https, git://, github:, gitlab:, bitbucket:, gist:.
	SourceGit
	// SourceFile: file: tarball or directory.
	SourceFile
	// SourceLink: a symlink (`link: true`) to a folder of the project.
	SourceLink
)

var sourceKindNames = [...]string{"missing", "registry", "tarball", "http", "git", "file", "link"}

func (k SourceKind) String() string {
	if int(k) < len(sourceKindNames) {
		return sourceKindNames[k]
	}
	return "unknown"
}

// Source is the classified `resolved` of a package.
type Source struct {
	Kind SourceKind
	// URL is the raw resolved value.
	URL string
	// Scheme and Host are lower-cased; empty for file, link and missing.
	Scheme, Host string
	// TarballName is the package name encoded in a registry-layout tarball path
	// ("@scope/name" for /@scope/name/-/name-1.0.0.tgz), else empty.
	TarballName string
	// TarballVersion is the version encoded in the tarball file name, when it
	// can be recovered, else empty.
	TarballVersion string
	// TarballFile is the file name of a registry-layout tarball path
	// ("name-1.0.0.tgz"), else empty. A registry names every tarball of a
	// package after it, so a file that does not start with the name part
	// and "-" (TarballVersion empty) is not that package's.
	TarballFile string
	// Commit is the git commit (the URL fragment) of a git source.
	Commit string
}

// RecordsInstallScripts reports whether the lockfile format records
// hasInstallScript. lockfileVersion 1 never did, so its absence there is
// unknown, not false.
func (l *Lockfile) RecordsInstallScripts() bool { return l.Version >= 2 }

// RecordsLicenses reports whether the lockfile format records licenses.
func (l *Lockfile) RecordsLicenses() bool { return l.Version >= 2 }

// RecordsBins reports whether the lockfile format records `bin`.
func (l *Lockfile) RecordsBins() bool { return l.Version >= 2 }

// RecordsPlatform reports whether the lockfile format records os/cpu.
func (l *Lockfile) RecordsPlatform() bool { return l.Version >= 2 }

// Package returns the node installed at path, or nil.
func (l *Lockfile) Package(path string) *Package {
	if l.byPath == nil {
		l.index()
	}
	return l.byPath[path]
}

func (l *Lockfile) index() {
	l.byPath = make(map[string]*Package, len(l.Packages))
	l.workspaces = nil
	for _, p := range l.Packages {
		l.byPath[p.Path] = p
		if p.Workspace {
			l.workspaces = append(l.workspaces, p)
		}
	}
}

// Workspaces returns the workspace (non-node_modules) entries, in file order.
func (l *Lockfile) Workspaces() []*Package {
	if l.byPath == nil {
		l.index()
	}
	return l.workspaces
}

// Resolve returns the node that npm's resolution would load when the package at
// fromPath requires name: the nearest node_modules/name walking up from
// fromPath ("" is the root), following npm's node_modules lookup. It returns nil
// when nothing satisfies it. A link node is returned as is; see Target.
func (l *Lockfile) Resolve(fromPath, name string) *Package {
	if l.byPath == nil {
		l.index()
	}
	dir := fromPath
	// The candidate path is built in a buffer: a map lookup keyed by
	// string(bytes) does not allocate, and checks resolve every edge.
	var buf [256]byte
	for {
		b := buf[:0]
		if dir != "" {
			b = append(append(b, dir...), '/')
		}
		b = append(append(b, "node_modules/"...), name...)
		if p, ok := l.byPath[string(b)]; ok {
			return p
		}
		if dir == "" {
			return nil
		}
		dir = parentDir(dir)
	}
}

// Target follows a link node to the node it points at (its Resolved is the
// target's path); any other node is returned unchanged. It returns nil when the
// target is missing.
func (l *Lockfile) Target(p *Package) *Package {
	if p == nil || !p.Link {
		return p
	}
	return l.Package(p.Resolved)
}

// parentDir returns the install location that contains dir's node_modules
// lookup: "node_modules/a/node_modules/b" → "node_modules/a"; "node_modules/a"
// and workspace folders → "" (the root).
func parentDir(dir string) string {
	i := strings.LastIndex(dir, "/node_modules/")
	if i < 0 {
		return ""
	}
	return dir[:i]
}

// DirectDependency reports how the root (or a workspace package) declares
// dependency name: "prod", "dev", "optional", "peer", or "" when it does not.
func DirectDependency(root *Package, name string) string {
	if root == nil {
		return ""
	}
	switch {
	case root.Deps.Has(name, DepProd):
		return "prod"
	case root.Deps.Has(name, DepOptional):
		return "optional"
	case root.Deps.Has(name, DepDev):
		return "dev"
	case root.Deps.Has(name, DepPeer):
		return "peer"
	}
	return ""
}
