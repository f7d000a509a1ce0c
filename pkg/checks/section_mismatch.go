package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// SectionMismatches reports where the `dependencies` section of the head
// lockfile says something else than its `packages` section.
//
// Motivation: a lockfileVersion 2 file carries the tree twice: `packages`,
// which npm 7 and later install from, and the nested `dependencies` of
// lockfileVersion 1, which npm 6 (still found in old CI images) installs
// from. lockreview, like most tools, reviews `packages`, so a change that
// edits only `dependencies` (a resolved URL pointing at another host, a
// swapped integrity, another version, an extra entry) makes npm 6 install
// code no reviewer saw. What it looks at: every disagreement the parser
// recorded (lockfile.Lockfile.SectionMismatches), compared by the rules npm
// follows when it writes both sections (links, workspaces, aliases, git,
// file and remote tarballs, bundled copies), so a file npm wrote never
// fires. It fires critical for a disagreement the base did not have (same
// path, field and values), and medium for one the base already had.
// Remediation: regenerate the lockfile with npm 7+ and review the diff of
// both sections; npm never writes the two sections differently.
func SectionMismatches(in *Input) []Finding {
	type key struct{ path, field, packages, dependencies string }
	inBase := map[key]bool{}
	for _, m := range in.base().SectionMismatches {
		inBase[key{m.Path, m.Field, m.Packages, m.Dependencies}] = true
	}
	head := in.head()
	var out []Finding
	for _, m := range head.SectionMismatches {
		sev, note := Critical, ""
		if inBase[key{m.Path, m.Field, m.Packages, m.Dependencies}] {
			sev, note = Medium, " (the base lockfile has the same mismatch)"
		}
		var version string
		if n := head.Package(m.Path); n != nil {
			version = n.Version
		}
		f := Finding{
			Severity: sev, Package: m.Name, Version: version, Line: m.Line, Path: m.Path,
			Message:     sectionMismatchText(m, version) + note,
			Remediation: "Regenerate the lockfile with npm 7+ (`npm install --package-lock-only`) and review the diff of both sections; npm never writes them differently, so find out who edited the file.",
			Values:      map[string]string{"field": m.Field, "packages": m.Packages, "dependencies": m.Dependencies},
		}
		if m.Field == "entry" {
			f.Version = m.Dependencies
		}
		out = append(out, f)
	}
	return append(out, truncated(head, lockfile.CutSectionMismatches, "disagreements between `dependencies` and `packages`")...)
}

const (
	sectionV1      = "the `dependencies` section (read by npm 6)"
	sectionPkgs    = "`packages` (read by npm 7+ and by this review)"
	sectionOutcome = "npm 6 would install code this review never saw"
)

// sectionMismatchText says concretely what each section makes npm install.
func sectionMismatchText(m lockfile.SectionMismatch, version string) string {
	what := strings.TrimSpace(m.Name + " " + version)
	// what packages says, phrased to follow "but `packages` (…)"
	pkgs := func(verb, none string) string {
		if m.Packages == "" {
			return none
		}
		return verb + m.Packages
	}
	switch m.Field {
	case "entry":
		v := m.Dependencies
		if v == "" {
			v = "(no version)"
		}
		return fmt.Sprintf("%s: %s installs %s %s here, but %s has no such entry: %s",
			m.Path, sectionV1, m.Name, v, sectionPkgs, sectionOutcome)
	case "resolved":
		return fmt.Sprintf("%s: %s resolves %s from %s, but %s %s: %s",
			m.Path, sectionV1, what, m.Dependencies, sectionPkgs, pkgs("from ", "records no resolved URL"), sectionOutcome)
	case "integrity":
		return fmt.Sprintf("%s: %s pins %s to integrity %s, but %s %s: %s",
			m.Path, sectionV1, what, m.Dependencies, sectionPkgs, pkgs("to ", "records no integrity"), sectionOutcome)
	default: // version
		return fmt.Sprintf("%s: %s installs %s as %s, but %s as %s: %s",
			m.Path, sectionV1, m.Name, m.Dependencies, sectionPkgs, pkgs("", "(no version)"), sectionOutcome)
	}
}
