package checks

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/diff"
)

// FormatDowngrade reports a head lockfile that records less than its base.
//
// Motivation: lockfileVersion 1 records neither hasInstallScript nor
// licenses nor os/cpu, so the install-script, license and platform checks
// cannot see them, and lockreview treats the missing flag as unknown, not
// as a change. A head rewritten in the old format (or a file that declares
// version 2 or 3 but carries only the old `dependencies` section, which npm
// then installs from) would hide a new install script from the review. npm
// 7 and later never write version 1, and never write a version 2 or 3 file
// without `packages`. What it looks at: the head's and the base's
// lockfileVersion and sections. It fires high when the base recorded
// install scripts and the head does not, or when the head declares a
// version it does not have the sections of (2 or 3 without `packages`; 1
// with `packages`, which npm 7 and later install from). Remediation: regenerate the
// lockfile with npm 7 or later.
func FormatDowngrade(in *Input) []Finding {
	head := in.Changes.Head
	if head == nil {
		return nil
	}
	// What the review cannot see, said only when there is a finding: the
	// usual lockfile needs none of this.
	unseen := func() string {
		var changed int
		for c := range in.changes(introduced) {
			if c.Kind == diff.Added || c.Kind == diff.Updated {
				changed++
			}
		}
		if changed == 0 {
			return ""
		}
		return fmt.Sprintf("; whether the %d added or updated packages run install scripts is unknown to this review", changed)
	}
	const fix = "Regenerate the lockfile with npm 7 or later (npm install --package-lock-only), which writes lockfileVersion 3 with install scripts, licenses and platforms recorded, and review that."
	var out []Finding
	if d := head.DeclaredVersion; d >= 2 && head.Version == 1 {
		out = append(out, Finding{
			Severity: High, Line: head.VersionLine,
			Message:     fmt.Sprintf("the lockfile declares lockfileVersion %d but has no `packages` section, only the old `dependencies` one, which npm then installs from: npm never writes such a file%s", d, unseen()),
			Remediation: fix,
			Values:      map[string]string{"declared": fmt.Sprint(d), "read": "1"},
		})
		return out
	}
	if head.DeclaredVersion == 1 && head.Version >= 2 {
		out = append(out, Finding{
			Severity: High, Line: head.VersionLine,
			Message:     "the lockfile declares lockfileVersion 1 but has a `packages` section, which npm 7 and later install from instead of `dependencies`: npm never writes such a file; it is reviewed from `packages`",
			Remediation: fix,
			Values:      map[string]string{"declared": "1", "read": fmt.Sprint(head.Version)},
		})
		return out
	}
	if base := in.Changes.Base; base != nil && base.RecordsInstallScripts() && !head.RecordsInstallScripts() {
		out = append(out, Finding{
			Severity: High, Line: head.VersionLine,
			Message:     fmt.Sprintf("the lockfile went from lockfileVersion %d to %d, which records no install scripts, licenses or platforms%s; npm 7 and later never write version 1", base.Version, head.Version, unseen()),
			Remediation: fix,
			Values:      map[string]string{"before": fmt.Sprint(base.Version), "after": fmt.Sprint(head.Version)},
		})
	}
	return out
}
