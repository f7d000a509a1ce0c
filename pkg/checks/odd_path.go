package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// OddPaths reports `packages` keys in the head lockfile that are not install
// paths npm writes.
//
// Motivation: npm resolves each key as a path ("node_modules/x/../lodash" is
// node_modules/lodash), while a reviewer, a linter or lockreview's own diff
// reads the key as written. An edited entry under such a key replaces the
// real package at install time yet shows up as something else, as with
// duplicate keys. What it looks at: every key of `packages`. It fires
// critical for a key with a backslash, an empty or "." segment, a leading
// "/", or ".." after a node_modules folder, and medium when the base already
// had the same key. It also fires for two keys that differ only in case
// ("node_modules/Lodash" beside "node_modules/lodash"): on case-insensitive
// file systems (macOS, Windows) they are one folder, and which entry ends up
// there depends on the order npm extracts them. Remediation: regenerate the
// lockfile with npm and find out who edited it.
func OddPaths(in *Input) []Finding {
	inBase := map[string]bool{}
	for _, o := range in.base().OddPaths {
		inBase[o.Path] = true
	}
	var out []Finding
	for _, o := range in.head().OddPaths {
		sev, note := Critical, ""
		if inBase[o.Path] {
			sev, note = Medium, " (the base lockfile has the same key)"
		}
		f := Finding{
			Severity: sev, Package: nameFromPath(o.Path), Line: o.Line, Path: o.Path,
			Message: fmt.Sprintf("entry %q is not an install path npm writes: %s; npm resolves it as a path (%q), not as the key reads%s",
				o.Path, o.Why, path.Clean(strings.ReplaceAll(o.Path, "\\", "/")), note),
			Remediation: "Regenerate the lockfile with npm (npm writes only plain relative paths) and find out who edited it by hand.",
			Values:      map[string]string{"key": o.Path, "reason": o.Why},
		}
		if n := in.head().Package(o.Path); n != nil {
			f.Package, f.Version = n.Name, n.Version
		}
		out = append(out, f)
	}
	out = append(out, truncated(in.head(), lockfile.CutOddPaths, "`packages` keys npm never writes")...)
	baseCollides := map[string]bool{}
	for _, pair := range caseCollisions(in.base()) {
		baseCollides[pair[0].Path+"\x00"+pair[1].Path] = true
	}
	for _, pair := range caseCollisions(in.head()) {
		a, b := pair[0], pair[1]
		sev, note := Critical, ""
		if baseCollides[a.Path+"\x00"+b.Path] {
			sev, note = Medium, " (the base lockfile has both too)"
		}
		out = append(out, Finding{
			Severity: sev, Package: b.Name, Version: b.Version, Line: b.Line, Path: b.Path,
			Message: fmt.Sprintf("entry %q (%s %s) and entry %q (%s %s) differ only in case: on case-insensitive file systems (macOS, Windows) they are one folder, and which package ends up there depends on the order npm extracts them%s",
				b.Path, b.Name, b.Version, a.Path, a.Name, a.Version, note),
			Remediation: "npm never writes two install paths that differ only in case for a new package: regenerate the lockfile with npm and find out who edited it by hand.",
			Values:      map[string]string{"key": b.Path, "collides": a.Path},
		})
	}
	return out
}

// caseCollisions returns the pairs of install paths of l that differ only
// in case, the first of each pair in path order. Only paths with an upper
// case letter can collide, so the usual all-lower-case lockfile costs one
// scan.
func caseCollisions(l *lockfile.Lockfile) [][2]*lockfile.Package {
	var out [][2]*lockfile.Package
	var seen map[string]*lockfile.Package // lower-cased path → first mixed-case package
	for _, p := range l.Packages {
		if !hasUpper(p.Path) {
			continue
		}
		low := strings.ToLower(p.Path)
		if q := l.Package(low); q != nil {
			out = append(out, [2]*lockfile.Package{q, p})
			continue
		}
		if q, ok := seen[low]; ok {
			out = append(out, [2]*lockfile.Package{q, p})
			continue
		}
		if seen == nil {
			seen = map[string]*lockfile.Package{}
		}
		seen[low] = p
	}
	return out
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
