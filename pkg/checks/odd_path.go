package checks

import (
	"fmt"
	"path"
	"strings"
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
// had the same key. Remediation: regenerate the lockfile with npm and find
// out who edited it.
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
	return out
}
