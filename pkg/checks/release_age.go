package checks

import (
	"fmt"
	"time"

	"github.com/lockreview/lockreview/pkg/diff"
)

// NewPackageAge is how young a package's first release must be for
// new-package to fire.
const NewPackageAge = 30 * 24 * time.Hour

// RecentRelease reports versions published less than min-release-age ago.
//
// Motivation: most malicious versions are found and unpublished within days
// (ua-parser-js: hours; the 2025 chalk/debug compromise: two hours), so
// waiting out a short quarantine avoids most of them. What it looks at: the
// publish time of every added or updated version, against the review's clock
// and the policy's min-release-age (default 48h). It fires medium.
// Remediation: wait until the version is older than the policy's age, or pin
// the previous version.
func RecentRelease(in *Input) []Finding {
	age := in.Config.MinReleaseAge
	if in.Meta == nil || age <= 0 {
		return nil
	}
	var out []Finding
	for c := range in.changes(introduced) {
		after, _ := in.Meta.of(c)
		if after == nil || after.Published.IsZero() {
			continue
		}
		since := in.Now.Sub(after.Published)
		if since >= age {
			continue
		}
		f := finding(c, Medium, fmt.Sprintf("%s was published %s ago (%s), less than the policy's min-release-age of %s", versionText(c), roughly(since), after.Published.UTC().Format(time.RFC3339), roughly(age)),
			"Wait until the release is older than min-release-age (malicious versions are usually removed within days), or keep the previous version.")
		f.Values = map[string]string{"published": after.Published.UTC().Format(time.RFC3339)}
		out = append(out, f)
	}
	return out
}

// NewPackage reports new packages whose first release is younger than 30 days.
//
// Motivation: packages created days ago have no history, no users who would
// have noticed a problem, and are the usual vehicle of typosquats and
// dependency-confusion payloads. What it looks at: the creation time of every
// package name new to the tree. It fires medium. Remediation: check the
// package's owner, repository and purpose before adding it.
func NewPackage(in *Input) []Finding {
	if in.Meta == nil {
		return nil
	}
	inBase := map[string]bool{}
	for _, p := range in.base().Packages {
		inBase[p.Name] = true
	}
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.Added || inBase[c.Name] {
			continue
		}
		after, _ := in.Meta.of(c)
		if after == nil || after.Created.IsZero() {
			continue
		}
		if since := in.Now.Sub(after.Created); since < NewPackageAge {
			f := finding(c, Medium, fmt.Sprintf("%s is a new package: its first release was %s ago (%s)", versionText(c), roughly(since), after.Created.UTC().Format(time.DateOnly)),
				"Check the package's owner, repository and purpose before adding it; young packages have no track record.")
			f.Values = map[string]string{"created": after.Created.UTC().Format(time.RFC3339)}
			out = append(out, f)
		}
	}
	return out
}

// Deprecated reports added or updated versions that their authors deprecated.
//
// Motivation: a deprecated version gets no fixes, and deprecation messages
// often say why ("critical bug", "security issue, upgrade to …"). What it
// looks at: the manifest's deprecated field. It fires low, quoting the
// message. Remediation: follow the message, usually an upgrade.
func Deprecated(in *Input) []Finding {
	if in.Meta == nil {
		return nil
	}
	var out []Finding
	for c := range in.changes(introduced) {
		after, _ := in.Meta.of(c)
		if after == nil || after.Manifest == nil || after.Manifest.Deprecated == "" {
			continue
		}
		out = append(out, finding(c, Low, fmt.Sprintf("%s is deprecated: %q", versionText(c), after.Manifest.Deprecated), "Follow the deprecation message; usually an upgrade to a maintained version."))
	}
	return out
}

// roughly renders a duration for people: "5h", "3d".
func roughly(d time.Duration) string {
	switch {
	case d < 0:
		return "0m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 72*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
