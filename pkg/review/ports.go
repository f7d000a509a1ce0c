package review

import (
	"context"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
)

// Registry is the part of the npm registry client the online review uses.
// *registry.Client implements it. Every method is safe for concurrent use,
// caches what it can, and returns an error wrapping registry.ErrNotFound when
// the registry does not know the package or version.
type Registry interface {
	// Manifest returns name@version's manifest.
	Manifest(ctx context.Context, name, version string) (*registry.Manifest, error)
	// PublishTimes returns when each version of name was published.
	PublishTimes(ctx context.Context, name string) (*registry.Times, error)
	// Attestations returns name@version's attestation bundles (unverified).
	Attestations(ctx context.Context, name, version string) (*registry.Attestations, error)
	// SameOrigin reports whether a URL is on the configured registry: only
	// packages resolved from it (or recording no resolved URL) are looked up,
	// so an internal package's name is never sent to another registry.
	SameOrigin(rawURL string) bool
}

// ProvenanceVerifier verifies attestations and registry signatures offline;
// *provenance.Verifier implements it. Pure and safe for concurrent use.
type ProvenanceVerifier interface {
	// VerifyBundle verifies one attestation bundle for want; errors wrap
	// provenance.ErrInvalid.
	VerifyBundle(bundle []byte, want provenance.Subject) (provenance.Result, error)
	// VerifySignatures verifies dist.signatures of want with keys valid at
	// the given time, returning the key id that verified.
	VerifySignatures(sigs []provenance.Signature, want provenance.Subject, at time.Time) (string, error)
}
