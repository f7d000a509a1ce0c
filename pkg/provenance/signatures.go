package provenance

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Signature is one entry of a version's dist.signatures in the registry.
type Signature struct {
	// KeyID names the npm key that signed ("SHA256:…").
	KeyID string `json:"keyid"`
	// Sig is the base64 ASN.1 DER ECDSA signature.
	Sig string `json:"sig"`
}

// VerifySignatures verifies the registry's signatures of want and returns the
// id of the key whose signature verified.
//
// npm's rule (npm audit signatures, and docs.npmjs.com "About registry
// signatures"): the registry signs "<name>@<version>:<integrity>" with
// ECDSA P-256 over SHA-256, and a signature counts only from a key in the
// registry's key set whose validity covers the time the version was
// published. The integrity signed is the registry's; here it is the
// LOCKFILE's sha512 (re-encoded in canonical "sha512-<base64>" form), so a
// verified signature also proves the lockfile pins the bytes the registry
// published.
//
// at is the time the key must have been valid: pass the version's publish
// time from the packument (time[version]), which npm audit uses too. A zero
// at is an error, so no call checks against an implied "now".
//
// It fails with ErrNoAttestation when sigs is empty, ErrDigestMismatch when
// the lockfile integrity has no sha512, ErrUnknownKey when no signature is
// by a key valid at that time, and ErrSignature when such a key's signature
// does not verify.
func (v *Verifier) VerifySignatures(sigs []Signature, want Subject, at time.Time) (keyID string, err error) {
	defer recoverPanic(&err)
	if v == nil {
		return "", errors.New("verify signatures: nil Verifier")
	}
	if at.IsZero() {
		return "", errors.New("verify signatures: no time given for the key validity check")
	}
	if want.Name == "" || want.Version == "" {
		return "", fmt.Errorf("%w: want a package name and version, got %q", ErrSubjectMismatch, want.String())
	}
	if len(sigs) == 0 {
		return "", fmt.Errorf("%w: no registry signature for %s", ErrNoAttestation, want)
	}
	tokens, err := sha512Tokens(want.Integrity)
	if err != nil {
		return "", err
	}
	var unknown, failed []string
	for _, s := range sigs {
		raw, err := base64.StdEncoding.DecodeString(s.Sig)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%q (signature is not base64)", truncate(s.KeyID, 100)))
			continue
		}
		var valid []Key
		for _, k := range v.keys {
			if k.KeyID == s.KeyID && k.validAt(UsageSignatures, at) {
				valid = append(valid, k)
			}
		}
		if len(valid) == 0 {
			unknown = append(unknown, fmt.Sprintf("%q", truncate(s.KeyID, 100)))
			continue
		}
		for _, k := range valid {
			pub := k.PublicKey.(*ecdsa.PublicKey)
			for _, integrity := range tokens {
				digest := sha256.Sum256([]byte(want.Name + "@" + want.Version + ":" + integrity))
				if ecdsa.VerifyASN1(pub, digest[:], raw) {
					return k.KeyID, nil
				}
			}
		}
		failed = append(failed, fmt.Sprintf("%q", valid[0].KeyID))
	}
	if len(failed) > 0 {
		return "", fmt.Errorf("%w: registry signature of %s by key %s does not verify over %q", ErrSignature, want, strings.Join(failed, ", "), want.String()+":"+tokens[0])
	}
	return "", fmt.Errorf("%w: registry signature of %s by key %s, not a registry key valid at %s", ErrUnknownKey, want, strings.Join(unknown, ", "), at.UTC().Format(time.RFC3339))
}
