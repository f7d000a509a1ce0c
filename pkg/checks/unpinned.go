package checks

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// UnpinnedDependencies reports dependencies the project declares that the
// head lockfile no longer installs although the base did.
//
// Motivation: the lockfile's entry for a dependency is what pins it and
// what this review reads. Deleting the entry while the project still
// declares the dependency shows as a removal, but npm install then resolves
// a fresh version from the registry that nobody reviewed (npm ci refuses
// the lockfile as out of sync). What it looks at: every prod, dev and
// optional dependency of the root and each workspace in the head (peer
// dependencies may stay unresolved) that resolves to no node, where the
// base resolved it. It fires (medium). Remediation: regenerate the lockfile
// with npm so the dependency is pinned again.
func UnpinnedDependencies(in *Input) []Finding {
	if in.Changes.Base == nil || in.Changes.Head == nil {
		return nil
	}
	base, head := in.base(), in.head()
	var out []Finding
	projects := append([]*lockfile.Package{head.Root}, head.Workspaces()...)
	for _, p := range projects {
		if p == nil {
			continue
		}
		for _, d := range p.Deps {
			if d.Type&(lockfile.DepProd|lockfile.DepDev|lockfile.DepOptional) == 0 || head.Resolve(p.Path, d.Name) != nil {
				continue
			}
			b := base.Resolve(p.Path, d.Name)
			if b == nil {
				continue
			}
			where := "the project"
			if p.Path != "" {
				where = "workspace " + p.Path
			}
			out = append(out, Finding{
				// No Version: the line is the head's root or workspace entry, not
				// the removed node's in the base.
				Severity: Medium, Package: d.Name, Line: p.Line, Path: p.Path,
				Message:     fmt.Sprintf("%s still declares %s (%q), but the lockfile no longer installs it (the base had %s %s at %s): npm install will resolve a version nobody reviewed", where, d.Name, d.Spec, b.Name, b.Version, b.Path),
				Remediation: "Regenerate the lockfile with npm so the dependency is pinned again, or remove it from package.json.",
				Values:      map[string]string{"spec": d.Spec, "base": b.Path},
			})
		}
	}
	return out
}
