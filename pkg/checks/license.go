package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/license"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// LicenseChanges reports packages whose license changed between versions.
//
// Motivation: a relicense (MIT → BSD-3-Clause is harmless; MIT → SSPL or
// → UNLICENSED is not) changes what you may do with the code, and a
// license that vanishes often means a rewritten package.json. What it looks at:
// the license field of the old and new version of every update (lockfile
// versions 2 and 3 record it). It fires medium when the license differs (as an
// SPDX expression: "(MIT OR Apache-2.0)" equals "(Apache-2.0 OR MIT)"), low
// when it disappeared. Remediation: check the new license with whoever owns
// license compliance.
func LicenseChanges(in *Input) []Finding {
	if !in.base().RecordsLicenses() || !in.head().RecordsLicenses() {
		return nil
	}
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.Updated || len(c.Before) == 0 || len(c.After) == 0 {
			continue
		}
		// Copies of one version share a license unless the lockfile was
		// edited: compare with the base's, and report the first copy of the
		// new version that differs.
		before := firstLicense(c.Before)
		after := c.After[0].License
		for _, n := range c.After {
			if before != "" && !license.Equal(before, n.License) {
				after = n.License
				break
			}
		}
		var f Finding
		switch {
		case before == "" || license.Equal(before, after):
			continue
		case after == "":
			f = finding(c, Low, fmt.Sprintf("%s no longer declares a license (was %s)", versionText(c), before), "Check the package's LICENSE file for this version.")
		default:
			f = finding(c, Medium, fmt.Sprintf("%s changed its license from %s to %s", versionText(c), before, after), "Check that the new license is acceptable for your project.")
		}
		f.Values = map[string]string{"before": before, "after": after}
		out = append(out, f)
	}
	return out
}

// firstLicense returns the first license the nodes record.
func firstLicense(nodes []*lockfile.Package) string {
	for _, n := range nodes {
		if n.License != "" {
			return n.License
		}
	}
	return ""
}

// LicensePolicy reports new or updated packages whose license the policy rejects.
//
// Motivation: license allow and deny lists are policy, and a lockfile change is
// where new licenses enter. What it looks at: the license expression of every
// added or updated package, evaluated as SPDX (an OR lets you pick the branch
// you comply with; an AND needs all). It fires high when every way to satisfy
// the expression uses a denied license, or — with an allow list — when no way
// uses only allowed ones; and low when the license is missing or unparseable
// under an allow list. Remediation: pick another package or version, or add
// an ignore entry with the reason (for example a legal sign-off).
func LicensePolicy(in *Input) []Finding {
	cfg := in.Config
	if len(cfg.LicenseAllow) == 0 && len(cfg.LicenseDeny) == 0 {
		return nil
	}
	if !in.head().RecordsLicenses() {
		return nil
	}
	denied, allowed := license.In(cfg.LicenseDeny), license.In(cfg.LicenseAllow)
	var out []Finding
	for c := range in.changes(introduced) {
		n := c.Node()
		if n == nil || n.Workspace || n.Link {
			continue
		}
		lic := strings.TrimSpace(n.License)
		expr, err := license.Parse(lic)
		if err != nil {
			if id := deniedToken(lic, denied); id != "" {
				// "GPL-3.0-only)" or "MIT,GPL-3.0-only" is no SPDX
				// expression, but it names a denied license all the same.
				out = append(out, finding(c, High, fmt.Sprintf("%s declares %q, which is not an SPDX expression but names %s, which the policy denies (deny: %s)", versionText(c), lic, id, strings.Join(cfg.LicenseDeny, ", ")),
					"Choose another package or version, or record an accepted exception in .github/lockreview.yml."))
				continue
			}
			if len(cfg.LicenseAllow) > 0 {
				what := "declares no license"
				if lic != "" {
					what = fmt.Sprintf("declares %q, which is not an SPDX expression", lic)
				}
				out = append(out, finding(c, Low, fmt.Sprintf("%s %s, so the license allow list cannot be checked", versionText(c), what),
					"Check the package's LICENSE file; add an ignore entry with the outcome."))
			}
			continue
		}
		notDenied := func(id string) bool { return !denied(id) }
		switch {
		case len(cfg.LicenseDeny) > 0 && !expr.Satisfiable(notDenied):
			out = append(out, finding(c, High, fmt.Sprintf("%s is licensed %s, which the policy denies (deny: %s)", versionText(c), lic, strings.Join(cfg.LicenseDeny, ", ")),
				"Choose another package or version, or record an accepted exception in .github/lockreview.yml."))
		case len(cfg.LicenseAllow) > 0 && !expr.Satisfiable(func(id string) bool { return allowed(id) && notDenied(id) }):
			out = append(out, finding(c, High, fmt.Sprintf("%s is licensed %s, which is not in the policy's allow list (%s)", versionText(c), lic, strings.Join(cfg.LicenseAllow, ", ")),
				"Choose another package or version, or add the license to licenses.allow after review."))
		}
	}
	return out
}

// deniedToken returns the first license id in s, split at anything that
// cannot be part of an id, that denied matches, or "".
func deniedToken(s string, denied func(string) bool) string {
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+')
	}) {
		if denied(tok) {
			return tok
		}
	}
	return ""
}
