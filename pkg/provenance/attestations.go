package provenance

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	in_toto "github.com/in-toto/attestation/go/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// MaxResponseSize bounds the attestations response and each bundle
// VerifyAttestations and VerifyBundle accept. Real responses are about
// 12 KB.
const MaxResponseSize = 4 << 20

// Result is what verification established about a package version.
type Result struct {
	// Provenance is the verified SLSA provenance, nil when there was none.
	Provenance *SLSA
	// Publish is the verified npm publish attestation, nil when there was
	// none.
	Publish *Publish
}

// Verify is VerifyAttestations. It lets a *Verifier serve as the
// ProvenanceVerifier port of pkg/review.
func (v *Verifier) Verify(response []byte, want Subject) (Result, error) {
	return v.VerifyAttestations(response, want)
}

// VerifyAttestations verifies the registry's attestations response body
// (GET /-/npm/v1/attestations/<name>@<version>,
// {"attestations":[{"predicateType","bundle"}]}) for want.
//
// Every attestation of a known predicate type (SLSA provenance v1 or v0.2,
// npm publish v0.1) must verify, or the whole response is rejected: a broken
// attestation is never skipped. Attestations of other predicate types are
// ignored. A response with no known attestation fails with ErrNoAttestation;
// one with two attestations of the same kind fails with ErrMalformed.
func (v *Verifier) VerifyAttestations(response []byte, want Subject) (res Result, err error) {
	defer recoverPanic(&err)
	if v == nil {
		return Result{}, errors.New("verify attestations: nil Verifier")
	}
	if len(response) > MaxResponseSize {
		return Result{}, fmt.Errorf("%w: attestations response is %d bytes, more than %d", ErrMalformed, len(response), MaxResponseSize)
	}
	trimmed := bytes.TrimSpace(response)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return Result{}, fmt.Errorf("%w: attestations response is not a JSON object", ErrMalformed)
	}
	var doc struct {
		Attestations []struct {
			PredicateType string          `json:"predicateType"`
			Bundle        json.RawMessage `json:"bundle"`
		} `json:"attestations"`
	}
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		return Result{}, fmt.Errorf("%w: attestations response: %w", ErrMalformed, err)
	}
	var ignored []string
	for i, a := range doc.Attestations {
		switch a.PredicateType {
		case PredicateSLSAv1, PredicateSLSAv02, PredicatePublish:
		default:
			ignored = append(ignored, a.PredicateType)
			continue
		}
		one, err := v.verifyBundle(a.Bundle, want, a.PredicateType)
		if err != nil {
			return Result{}, fmt.Errorf("attestation %d (%s) of %s: %w", i, a.PredicateType, want, err)
		}
		switch {
		case one.Provenance != nil && res.Provenance != nil, one.Publish != nil && res.Publish != nil:
			return Result{}, fmt.Errorf("%w: attestations of %s: two attestations of type %s", ErrMalformed, want, a.PredicateType)
		case one.Provenance != nil:
			res.Provenance = one.Provenance
		case one.Publish != nil:
			res.Publish = one.Publish
		}
	}
	if res.Provenance == nil && res.Publish == nil {
		if len(ignored) > 0 {
			return Result{}, fmt.Errorf("%w: attestations of %s: only unknown predicate types %q", ErrNoAttestation, want, ignored)
		}
		return Result{}, fmt.Errorf("%w: attestations of %s: empty list", ErrNoAttestation, want)
	}
	return res, nil
}

// VerifyBundle verifies one Sigstore bundle (JSON bytes) for want; its
// predicate type, read from the statement, decides how: SLSA provenance
// (v1 or v0.2) must be signed by a Fulcio certificate from a known CI
// provider (see identityPolicy), an npm publish attestation by one of npm's
// attestation keys valid at the log's integrated time. Either way the
// statement must have exactly one subject, "pkg:npm/<name>@<version>" for
// want, whose sha512 digest is the lockfile's integrity.
func (v *Verifier) VerifyBundle(data []byte, want Subject) (res Result, err error) {
	defer recoverPanic(&err)
	if v == nil {
		return Result{}, errors.New("verify bundle: nil Verifier")
	}
	return v.verifyBundle(data, want, "")
}

func (v *Verifier) verifyBundle(data []byte, want Subject, declaredType string) (Result, error) {
	wantPURL, err := want.purl()
	if err != nil {
		return Result{}, err
	}
	lockDigests, err := sha512Digests(want.Integrity)
	if err != nil {
		return Result{}, err
	}
	b, err := parseBundle(data)
	if err != nil {
		return Result{}, err
	}
	env, err := b.Envelope()
	if err != nil {
		return Result{}, fmt.Errorf("%w: bundle has no DSSE envelope: %w", ErrMalformed, err)
	}
	stmt, err := env.Statement()
	if err != nil {
		return Result{}, fmt.Errorf("%w: DSSE payload is not an in-toto statement: %w", ErrMalformed, err)
	}
	if declaredType != "" && stmt.GetPredicateType() != declaredType {
		return Result{}, fmt.Errorf("%w: listed as %q but the statement's predicate type is %q", ErrSubjectMismatch, declaredType, truncate(stmt.GetPredicateType(), 200))
	}
	// Checked here on the envelope payload for a precise error, and again on
	// the statement sigstore-go returns after verifying the signature over
	// these same payload bytes.
	digest, err := checkStatement(stmt, wantPURL, lockDigests)
	if err != nil {
		return Result{}, err
	}
	switch stmt.GetPredicateType() {
	case PredicateSLSAv1, PredicateSLSAv02:
		return v.verifySLSA(b, want, wantPURL, lockDigests, digest)
	case PredicatePublish:
		return v.verifyPublish(b, want, wantPURL, lockDigests, digest)
	default:
		return Result{}, fmt.Errorf("%w: unsupported predicate type %q", ErrSubjectMismatch, truncate(stmt.GetPredicateType(), 200))
	}
}

// checkStatement enforces what sigstore-go leaves to the caller ("verify
// that the envelope's statement's subject matches the artifact being
// verified", verify.Verifier.Verify): sigstore-go compares digests only, so
// a statement about another package or version with the same digest would
// pass it. Like libnpmpublish, the statement must have exactly one subject;
// it must be the wanted package version and its sha512 must be one of the
// lockfile's. It returns the matching digest.
func checkStatement(stmt *in_toto.Statement, want packageURL, lockDigests []string) ([]byte, error) {
	switch stmt.GetType() {
	case "https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1":
	default:
		return nil, fmt.Errorf("%w: statement type %q is not an in-toto statement", ErrMalformed, truncate(stmt.GetType(), 200))
	}
	subjects := stmt.GetSubject()
	if len(subjects) != 1 {
		return nil, fmt.Errorf("%w: statement must have exactly one subject, has %d", ErrSubjectMismatch, len(subjects))
	}
	s := subjects[0]
	if !samePackage(s.GetName(), want) {
		return nil, fmt.Errorf("%w: statement subject is %q, want %q", ErrSubjectMismatch, truncate(s.GetName(), 200), want.ToString())
	}
	got := strings.ToLower(s.GetDigest()["sha512"])
	if got == "" {
		return nil, fmt.Errorf("%w: statement subject has no sha512 digest", ErrDigestMismatch)
	}
	for _, d := range lockDigests {
		if got == d {
			return hex.DecodeString(d)
		}
	}
	return nil, fmt.Errorf("%w: statement subject sha512 %s is not the lockfile integrity's %s", ErrDigestMismatch, truncate(got, 128), strings.Join(lockDigests, ", "))
}

func (v *Verifier) verifySLSA(b *bundle.Bundle, want Subject, wantPURL packageURL, lockDigests []string, digest []byte) (Result, error) {
	vc, err := b.VerificationContent()
	if err != nil {
		return Result{}, fmt.Errorf("%w: verification material: %w", ErrMalformed, err)
	}
	leaf := vc.Certificate()
	if leaf == nil {
		return Result{}, fmt.Errorf("%w: SLSA provenance must be signed with a Fulcio certificate, not a key", ErrSignature)
	}
	var unverified *certificate.Summary
	if s, err := certificate.SummarizeCertificate(leaf); err == nil {
		unverified = &s
	}
	var policy []verify.PolicyOption
	if v.skipIdentity {
		policy = append(policy, verify.WithoutIdentitiesUnsafe())
	} else if policy, err = identityPolicy(want.Repository, unverified); err != nil {
		return Result{}, err
	}
	vr, err := v.certs.Verify(b, verify.NewPolicy(verify.WithArtifactDigest("sha512", digest), policy...))
	if err != nil {
		var idErr *verify.ErrNoMatchingCertificateIdentity
		if errors.As(err, &idErr) {
			// sigstore-go checks identities last, after the certificate
			// chain and signatures verified: the summary describes a
			// verified certificate here.
			return Result{}, fmt.Errorf("%w: %s: %w", ErrIdentity, describeIdentity(unverified, want.Repository), err)
		}
		return Result{}, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	if _, err := checkStatement(vr.Statement, wantPURL, lockDigests); err != nil {
		return Result{}, err
	}
	if vr.Signature == nil || vr.Signature.Certificate == nil {
		return Result{}, fmt.Errorf("%w: no verified certificate", ErrSignature)
	}
	return Result{Provenance: newSLSA(*vr.Signature.Certificate, vr.Statement, logTime(vr))}, nil
}

func (v *Verifier) verifyPublish(b *bundle.Bundle, want Subject, wantPURL packageURL, lockDigests []string, digest []byte) (Result, error) {
	vc, err := b.VerificationContent()
	if err != nil {
		return Result{}, fmt.Errorf("%w: verification material: %w", ErrMalformed, err)
	}
	pk := vc.PublicKey()
	if pk == nil {
		return Result{}, fmt.Errorf("%w: npm publish attestation must be signed with npm's registry key, not a certificate", ErrSignature)
	}
	keyID := pk.Hint()
	// A precise error before sigstore-go's generic one. The times read here
	// are not yet verified, which is fine for rejecting; sigstore-go checks
	// the key's window again against the verified log time.
	entries, err := b.TlogEntries()
	if err != nil {
		return Result{}, fmt.Errorf("%w: transparency log entries: %w", ErrMalformed, err)
	}
	if err := v.checkAttestationKey(keyID, entries); err != nil {
		return Result{}, err
	}
	vr, err := v.npmKeys.Verify(b, verify.NewPolicy(verify.WithArtifactDigest("sha512", digest), verify.WithKey()))
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	if _, err := checkStatement(vr.Statement, wantPURL, lockDigests); err != nil {
		return Result{}, err
	}
	// The publish predicate repeats the name and version; it is the
	// registry's own statement, so it must agree.
	if p := vr.Statement.GetPredicate().AsMap(); str(p, "name") != want.Name || str(p, "version") != want.Version {
		return Result{}, fmt.Errorf("%w: publish predicate is for %s@%s, want %s", ErrSubjectMismatch, truncate(str(p, "name"), 200), truncate(str(p, "version"), 100), want)
	}
	return Result{Publish: &Publish{KeyID: keyID, IntegratedTime: logTime(vr)}}, nil
}

// checkAttestationKey reports ErrUnknownKey unless keyID is one of npm's
// attestation keys valid at one of the entries' integrated times. npm rotated
// its key in January 2025 (SHA256:jl3bw… ended 2025-01-29): an attestation
// logged after a key's end was not made by the registry.
func (v *Verifier) checkAttestationKey(keyID string, entries []*tlog.Entry) error {
	var known []Key
	for _, k := range v.keys {
		if k.KeyID == keyID && (k.Usage == "" || k.Usage == UsageAttestations) {
			known = append(known, k)
		}
	}
	if len(known) == 0 {
		return fmt.Errorf("%w: attestation signed by key %q, which is not an npm attestation key", ErrUnknownKey, truncate(keyID, 100))
	}
	var times []string
	for _, e := range entries {
		t := e.IntegratedTime()
		for _, k := range known {
			if k.validAt(UsageAttestations, t) {
				return nil
			}
		}
		times = append(times, t.UTC().Format(time.RFC3339))
	}
	if len(times) == 0 {
		return nil // no log entry: sigstore-go rejects the bundle
	}
	return fmt.Errorf("%w: key %q was not valid when the attestation was logged (%s)", ErrUnknownKey, keyID, strings.Join(times, ", "))
}

// logTime returns the verified transparency log time, or for a bundle whose
// log gives none (Rekor v2 entries carry no integrated time) the first
// verified RFC 3161 timestamp.
func logTime(vr *verify.VerificationResult) time.Time {
	for _, ts := range vr.VerifiedTimestamps {
		if ts.Type == "Tlog" {
			return ts.Timestamp.UTC()
		}
	}
	if len(vr.VerifiedTimestamps) > 0 {
		return vr.VerifiedTimestamps[0].Timestamp.UTC()
	}
	return time.Time{}
}

// recoverPanic turns a panic inside sigstore-go on hostile input into an
// error: pkg/ never panics on input. The known case (a nil bundle) is
// guarded before the call; this is the net under unknown ones.
func recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: verification panicked: %v", ErrMalformed, r)
	}
}
