package checks

import (
	"fmt"
	"slices"
	"strings"
)

// LockfileScripts reports `packages` entries that carry a `scripts` field.
//
// Motivation: npm never writes scripts into a lockfile entry, but npm 7+
// builds each installed package's manifest from its entry (Arborist's
// loadVirtual) and runs that manifest's install scripts (rebuild), without
// reading them again from the tarball. An edited entry can so run any
// command on every install while the package, its version and its integrity
// stay the registry's. What it looks at: every entry of the head whose
// scripts differ from the same path's in the base. It fires (critical) for
// each; an entry the base already carried unchanged is left to the base's
// review. Remediation: regenerate the lockfile and find out who edited it.
func LockfileScripts(in *Input) []Finding {
	base, head := in.base(), in.head()
	var out []Finding
	for _, h := range head.Packages {
		if h.Scripts == nil {
			continue
		}
		if b := base.Package(h.Path); b != nil && b.Scripts != nil && slices.Equal(b.Scripts, h.Scripts) {
			continue
		}
		what := "an empty or non-object scripts field"
		if len(h.Scripts) > 0 {
			what = "scripts (" + strings.Join(h.Scripts, ", ") + ")"
		}
		out = append(out, Finding{
			Severity: Critical, Package: h.Name, Version: h.Version, Line: h.Line, Path: h.Path,
			Message:     fmt.Sprintf("entry %q (%s %s) carries %s: npm never writes scripts into a lockfile, and npm 7+ runs an entry's install scripts from it", h.Path, h.Name, h.Version, what),
			Remediation: "Regenerate the lockfile from the registry and find out who edited it; scripts in a lockfile entry run on every install.",
			Values:      map[string]string{"scripts": strings.Join(h.Scripts, ",")},
		})
	}
	return out
}
