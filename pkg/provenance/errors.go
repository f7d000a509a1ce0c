package provenance

import (
	"errors"
	"fmt"
)

// ErrNoAttestation reports a registry response that carries no attestation
// lockreview knows, or (VerifySignatures) no registry signature. It is not a
// verification failure: many packages are published without provenance, and
// the caller decides what that means. It does not wrap ErrInvalid.
var ErrNoAttestation = errors.New("no attestation")

// ErrInvalid is the root of every verification failure: errors.Is(err,
// ErrInvalid) means "the attestation or signature was present and must not be
// trusted", as opposed to ErrNoAttestation.
var ErrInvalid = errors.New("invalid provenance")

var (
	// ErrMalformed: the response, bundle, envelope or statement cannot be
	// decoded, or is missing a part that verification needs.
	ErrMalformed = fmt.Errorf("malformed attestation: %w", ErrInvalid)
	// ErrDigestMismatch: the statement's subject digest differs from the
	// lockfile's integrity, or the lockfile has no sha512 to compare with.
	ErrDigestMismatch = fmt.Errorf("digest mismatch: %w", ErrInvalid)
	// ErrSubjectMismatch: the statement is not about the wanted package
	// version (name, version, predicate type, or not exactly one subject).
	ErrSubjectMismatch = fmt.Errorf("subject mismatch: %w", ErrInvalid)
	// ErrIdentity: the signing certificate's issuer or source repository
	// does not match the policy.
	ErrIdentity = fmt.Errorf("identity mismatch: %w", ErrInvalid)
	// ErrSignature: a signature, the certificate chain, the transparency log
	// entry or a signed certificate timestamp failed to verify.
	ErrSignature = fmt.Errorf("signature verification failed: %w", ErrInvalid)
	// ErrUnknownKey: the signature names a key that is not among the trusted
	// keys, or the key was not valid at the time that counts.
	ErrUnknownKey = fmt.Errorf("unknown or expired key: %w", ErrInvalid)
)
