package provenance

import (
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Verifier verifies npm attestations and registry signatures offline
// against fixed trusted material. It is safe for concurrent use; build it
// once at startup.
type Verifier struct {
	keys []Key
	// certs verifies Fulcio-signed bundles (SLSA provenance).
	certs *verify.Verifier
	// npmKeys verifies bundles signed with npm's attestation keys.
	npmKeys      *verify.Verifier
	skipIdentity bool
}

// Option configures NewVerifier.
type Option func(*config) error

type config struct {
	skipIdentity bool
}

// WithoutIdentityUnsafe skips the SLSA provenance identity checks: any OIDC
// issuer and any source repository are accepted, and Subject.Repository is
// ignored. The certificate must still chain to Fulcio. For tests of bundles
// signed by people rather than CI (npm's own libnpmpublish fixtures are
// signed by an email identity); never in production.
func WithoutIdentityUnsafe() Option {
	return func(c *config) error {
		c.skipIdentity = true
		return nil
	}
}

// NewVerifier returns a Verifier that trusts trusted (Fulcio CAs, Rekor
// logs, CT logs; use the embedded public-good root, see Default, or a root
// refreshed through TUF) and keys (npm's registry keys, see EmbeddedKeys and
// ParseKeys). Every key must be an ECDSA P-256 key filed under its own
// fingerprint (see KeyFingerprint).
//
// Every verification it performs is at the time the transparency log
// recorded the signature, never the current time: Fulcio certificates live
// ten minutes, and npm keys are checked against the time they signed.
func NewVerifier(trusted root.TrustedMaterial, keys []Key, opts ...Option) (*Verifier, error) {
	if trusted == nil {
		return nil, errors.New("new provenance verifier: nil trusted material")
	}
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("new provenance verifier: %w", err)
		}
	}
	keys = append([]Key(nil), keys...)
	attestationKeys := map[string]*npmKey{}
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, fmt.Errorf("new provenance verifier: %w", err)
		}
		if k.Usage == UsageSignatures {
			continue
		}
		nk := attestationKeys[k.KeyID]
		if nk == nil {
			sv, err := signature.LoadECDSAVerifier(k.PublicKey.(*ecdsa.PublicKey), crypto.SHA256)
			if err != nil {
				return nil, fmt.Errorf("new provenance verifier: key %q: %w", k.KeyID, err)
			}
			nk = &npmKey{Verifier: sv}
			attestationKeys[k.KeyID] = nk
		}
		nk.windows = append(nk.windows, k)
	}

	// From the Sigstore client spec (§4, Verification): "the Verifier MUST
	// perform certification path validation … with … a fake current time":
	// the transparency log's integrated time. WithObserverTimestamps(1)
	// makes sigstore-go use a verified log or TSA time, never time.Now.
	// WithTransparencyLog(1) requires the Rekor entry (inclusion promise or
	// proof) and WithSignedCertificateTimestamps(1) an SCT from a trusted CT
	// log in the Fulcio certificate.
	certs, err := verify.NewVerifier(trusted,
		verify.WithTransparencyLog(1),
		verify.WithObserverTimestamps(1),
		verify.WithSignedCertificateTimestamps(1))
	if err != nil {
		return nil, fmt.Errorf("new provenance verifier: %w", err)
	}
	// npm's publish attestations are signed with a long-lived key: no
	// certificate, so no SCT; the key's validity window is checked by
	// sigstore-go against the verified log time.
	npmKeys, err := verify.NewVerifier(
		root.TrustedMaterialCollection{trusted, root.NewTrustedPublicKeyMaterial(func(keyID string) (root.TimeConstrainedVerifier, error) {
			k, ok := attestationKeys[keyID]
			if !ok {
				return nil, fmt.Errorf("no npm attestation key %q", keyID)
			}
			return k, nil
		})},
		verify.WithTransparencyLog(1),
		verify.WithObserverTimestamps(1))
	if err != nil {
		return nil, fmt.Errorf("new provenance verifier: %w", err)
	}
	return &Verifier{keys: keys, certs: certs, npmKeys: npmKeys, skipIdentity: cfg.skipIdentity}, nil
}

// npmKey is one npm attestation key with every validity window it was
// published with (npm lists a key once per usage and rotation).
type npmKey struct {
	signature.Verifier
	windows []Key
}

// ValidAtTime implements root.TimeConstrainedVerifier.
func (k *npmKey) ValidAtTime(t time.Time) bool {
	for _, w := range k.windows {
		if w.validAt(UsageAttestations, t) {
			return true
		}
	}
	return false
}
