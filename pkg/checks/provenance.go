package checks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/provenance"
)

// Provenance reports added or updated versions with verified provenance (info).
//
// Motivation: a verified SLSA provenance attestation ties the tarball the
// lockfile pins (its sha512) to a source repository, commit and CI workflow,
// so the reviewer can read the code that was actually built. What it looks
// at: the verification result of the version's attestations against the
// lockfile's integrity. It fires info with the repository, commit and
// workflow. Remediation: none; it is good news.
func Provenance(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(introduced) {
		after, _ := in.Meta.of(c)
		if after == nil || after.Provenance == nil || after.Provenance.Provenance == nil {
			continue
		}
		p := after.Provenance.Provenance
		f := finding(c, Info, fmt.Sprintf("%s has verified provenance: built from %s at %s by %s", versionText(c), p.SourceRepository, short(p.SourceCommit), p.BuildConfig), "")
		f.Values = map[string]string{"repository": p.SourceRepository, "commit": p.SourceCommit, "ref": p.SourceRef, "workflow": p.BuildConfig, "issuer": p.Issuer, "run": p.RunURL}
		out = append(out, f)
	}
	return out
}

// ProvenanceDropped reports updates that lost the provenance the previous version had.
//
// Motivation: an attacker with a stolen npm token can publish, but cannot
// produce provenance from the project's CI; a release without the provenance
// its predecessors had is the signature of a token compromise (it is how the
// 2025 nx and chalk compromises could have been caught). What it looks at:
// updates within the same major version line whose old version had verified
// SLSA provenance. It fires high when the new version has none (a backport to
// another major line is not compared). Remediation: ask the project why the
// release was published without provenance before taking it.
func ProvenanceDropped(in *Input) []Finding {
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.Updated || c.Existing || !sameMajor(c.From, c.To) {
			continue
		}
		after, before := in.Meta.of(c)
		if after == nil || before == nil || after.Err != nil || before.Provenance == nil || before.Provenance.Provenance == nil {
			continue
		}
		if after.Attested || (after.Provenance != nil && after.Provenance.Provenance != nil) {
			continue // present: verified, or invalid (provenance-invalid's)
		}
		p := before.Provenance.Provenance
		f := finding(c, High, fmt.Sprintf("%s has no provenance, but %s was built with provenance from %s by %s", versionText(c), c.From, p.SourceRepository, p.BuildConfig),
			"Ask the project why this release was published without provenance (a stolen publish token cannot produce it) before taking it.")
		f.Values = map[string]string{"previousRepository": p.SourceRepository, "previousWorkflow": p.BuildConfig}
		out = append(out, f)
	}
	return out
}

// ProvenanceIdentityChanged reports updates built by another repository,
// workflow or kind of ref than the previous version.
//
// Motivation: provenance proves where a build ran; a release suddenly built
// from a fork, by another workflow file, or from a branch instead of a tag is
// worth a question even though it verifies. What it looks at: the source
// repository, workflow path and ref kind (tag, or the branch name) of the old
// and new versions' verified provenance. It fires high when any differs.
// Remediation: confirm the change with the project.
func ProvenanceIdentityChanged(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(freshUpdate) {
		after, before := in.Meta.of(c)
		if after == nil || before == nil || after.Provenance == nil || before.Provenance == nil || after.Provenance.Provenance == nil || before.Provenance.Provenance == nil {
			continue
		}
		a, b := after.Provenance.Provenance, before.Provenance.Provenance
		var diffs []string
		if normalizeRepo(a.SourceRepository) != normalizeRepo(b.SourceRepository) {
			diffs = append(diffs, fmt.Sprintf("repository %s (was %s)", a.SourceRepository, b.SourceRepository))
		}
		if a.BuildConfig != b.BuildConfig {
			diffs = append(diffs, fmt.Sprintf("workflow %s (was %s)", a.BuildConfig, b.BuildConfig))
		}
		if refKind(a.SourceRef) != refKind(b.SourceRef) {
			diffs = append(diffs, fmt.Sprintf("ref %s (was %s)", a.SourceRef, b.SourceRef))
		}
		if len(diffs) == 0 {
			continue
		}
		f := finding(c, High, fmt.Sprintf("%s was built with another identity than %s: %s", versionText(c), c.From, strings.Join(diffs, "; ")),
			"Confirm with the project that the new repository, workflow or ref is theirs.")
		f.Values = map[string]string{"repository": a.SourceRepository, "workflow": a.BuildConfig, "ref": a.SourceRef}
		out = append(out, f)
	}
	return out
}

// ProvenanceInvalid reports attestations that do not verify.
//
// Motivation: an attestation that fails verification, or whose subject digest
// is not the sha512 the lockfile pins, means the bytes you install are not the
// bytes that were attested: tampering, or a lockfile pointing at other code.
// What it looks at: the verification error of every added or updated
// version's attestations. It fires critical. Remediation: do not merge;
// regenerate the lockfile from the registry and report the package.
func ProvenanceInvalid(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(notRemoved) {
		after, _ := in.Meta.of(c)
		if after == nil || !errors.Is(after.ProvenanceErr, provenance.ErrInvalid) {
			continue
		}
		f := finding(c, Critical, fmt.Sprintf("%s: its attestation does not verify against the lockfile: %v", versionText(c), after.ProvenanceErr),
			"Do not merge: regenerate the lockfile from the registry and compare; report the package if the attestation still fails.")
		f.Values = map[string]string{"error": after.ProvenanceErr.Error()}
		out = append(out, f)
	}
	return out
}

// SignatureInvalid reports registry signatures that do not verify.
//
// Motivation: the registry signs "name@version:integrity" with its key; a
// signature that does not verify against the lockfile's integrity means the
// lockfile pins other bytes than the registry published (or a mirror is
// lying). What it looks at: dist.signatures of every added or updated version,
// checked against the lockfile's integrity with the registry's public keys.
// It fires critical. Remediation: do not merge; regenerate the lockfile from
// the registry.
func SignatureInvalid(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(notRemoved) {
		after, _ := in.Meta.of(c)
		if after == nil || after.SignatureErr == nil {
			continue
		}
		f := finding(c, Critical, fmt.Sprintf("%s: the registry signature does not match the lockfile's integrity: %v", versionText(c), after.SignatureErr),
			"Do not merge: the lockfile pins other bytes than the registry signed. Regenerate it from the registry.")
		f.Values = map[string]string{"error": after.SignatureErr.Error()}
		out = append(out, f)
	}
	return out
}

// MetadataUnavailable reports changed versions whose registry metadata could not be read.
//
// Motivation: a review that silently skips the online checks for a package
// would report a clean pass it never made. What it looks at: the fetch error
// of every added or updated version. It fires low (the review is also marked
// incomplete, so the check is never a plain success). Remediation: run the
// review again (`/recheck`, or the CLI); check the registry URL and token.
func MetadataUnavailable(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(introduced) {
		after, _ := in.Meta.of(c)
		if after == nil || after.Err == nil {
			continue
		}
		f := finding(c, Low, fmt.Sprintf("%s: registry metadata not available, so the online checks could not run for it: %v", versionText(c), after.Err),
			"Run the review again; if it persists, check the registry URL and credentials.")
		f.Values = map[string]string{"error": after.Err.Error()}
		out = append(out, f)
	}
	return out
}

func sameMajor(a, b string) bool {
	va, errA := semver.NewVersion(a)
	vb, errB := semver.NewVersion(b)
	return errA == nil && errB == nil && va.Major() == vb.Major()
}

// refKind is "tag" for any tag, and the ref itself for branches and others.
func refKind(ref string) string {
	if strings.HasPrefix(ref, "refs/tags/") {
		return "tag"
	}
	return ref
}
