// Package provenance verifies npm provenance offline: the Sigstore bundles
// the registry serves at /-/npm/v1/attestations/<name>@<version> (SLSA
// provenance signed by a CI provider's Fulcio certificate, and npm's publish
// attestation signed by the registry's key) and the registry signatures in
// a version's dist.signatures.
//
// Verification is pure: no context, no network, no clock. The one exception
// is RefreshTrustedRoot (tuf.go), which refreshes the Sigstore trusted root
// through TUF when an operator configures it, at start-up only, never during
// a review. The registry client fetches
// the bytes; this package judges them against trusted material fixed at
// construction (the Sigstore public-good trusted root and npm's keys,
// embedded from @sigstore/tuf, see Default) and against what the LOCKFILE
// says (name, version and integrity in Subject). Every time-dependent check
// uses the transparency log's time or a time the caller passes.
//
// What it enforces beyond sigstore-go, which compares only the artifact
// digest: the statement has exactly one subject, "pkg:npm/<name>@<version>"
// for the wanted version (compared as parsed package URLs), whose sha512 is
// the lockfile's; the predicate type is one lockreview knows; SLSA
// provenance comes from GitHub Actions or GitLab CI/CD and, when the caller
// gives the manifest's repository, from that repository; publish
// attestations come from one of npm's keys valid at the log time.
//
// Errors: ErrNoAttestation means there was nothing to verify; every
// verification failure wraps ErrInvalid, and one of ErrMalformed,
// ErrDigestMismatch, ErrSubjectMismatch, ErrIdentity, ErrSignature or
// ErrUnknownKey says why. The package never panics on input.
package provenance
