package provenance

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Key usages, as npm names them in its keys.json TUF target. The same key
// can appear once per usage, each with its own validity window.
const (
	// UsageSignatures marks a key that signs registry metadata
	// (dist.signatures: "<name>@<version>:<integrity>").
	UsageSignatures = "npm:signatures"
	// UsageAttestations marks a key that signs npm publish attestations.
	UsageAttestations = "npm:attestations"
)

// Key is one npm registry signing key with its validity window.
type Key struct {
	// KeyID is npm's key id: the OpenSSH-style fingerprint of the key
	// ("SHA256:" + unpadded base64 of sha256 over the SSH wire encoding of the
	// ecdsa-sha2-nistp256 public key). NewVerifier checks it against
	// PublicKey.
	KeyID string
	// PublicKey is an *ecdsa.PublicKey on P-256, the only kind npm uses.
	PublicKey crypto.PublicKey
	// NotBefore and NotAfter bound the times at which a signature by this
	// key is accepted; a zero value leaves that side open.
	NotBefore, NotAfter time.Time
	// Usage is UsageSignatures, UsageAttestations, or "" for both (the
	// registry's /-/npm/v1/keys endpoint does not say).
	Usage string
}

// validAt reports whether k may be used for usage at time t. The window is
// inclusive at both ends, as in sigstore-go's root.ExpiringKey.
func (k Key) validAt(usage string, t time.Time) bool {
	if k.Usage != "" && k.Usage != usage {
		return false
	}
	if !k.NotBefore.IsZero() && t.Before(k.NotBefore) {
		return false
	}
	if !k.NotAfter.IsZero() && t.After(k.NotAfter) {
		return false
	}
	return true
}

// KeyFingerprint returns npm's key id for an ECDSA P-256 public key:
// "SHA256:" followed by the unpadded base64 of the SHA-256 of the key's SSH
// wire encoding (RFC 5656 §3.1: string "ecdsa-sha2-nistp256", string
// "nistp256", string Q as an uncompressed point), as `ssh-keygen -l` prints
// it. It is not a hash of the DER bytes.
func KeyFingerprint(pub crypto.PublicKey) (string, error) {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return "", fmt.Errorf("key is %T, want an ECDSA P-256 public key", pub)
	}
	point, err := ec.Bytes()
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	var wire bytes.Buffer
	for _, field := range [][]byte{[]byte("ecdsa-sha2-nistp256"), []byte("nistp256"), point} {
		_ = binary.Write(&wire, binary.BigEndian, uint32(len(field)))
		wire.Write(field)
	}
	sum := sha256.Sum256(wire.Bytes())
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]), nil
}

// ParseKeys reads npm registry keys in either shape npm publishes them:
//
//   - the registry's /-/npm/v1/keys endpoint,
//     {"keys":[{"keyid","keytype","scheme","key","expires"}]}, where key is
//     base64 DER (SPKI) and expires is an RFC 3339 time or null; these keys
//     get Usage "" and an open NotBefore;
//   - the keys.json TUF target of Sigstore's TUF repository (and of the
//     @sigstore/tuf seeds), {"keys":[{"keyId","keyUsage","publicKey":
//     {"rawBytes","keyDetails","validFor":{"start","end"}}}]}.
//
// Each key's id must equal KeyFingerprint of its public key. Keys of a type
// other than ECDSA P-256 are skipped, so a future key type does not break
// the keys lockreview can use; so are keys of a usage other than
// UsageSignatures and UsageAttestations. If none is left, ParseKeys fails.
func ParseKeys(data []byte) ([]Key, error) {
	var doc struct {
		Keys []struct {
			// Endpoint shape.
			KeyIDLower string  `json:"keyid"`
			KeyType    string  `json:"keytype"`
			Scheme     string  `json:"scheme"`
			Key        string  `json:"key"`
			Expires    *string `json:"expires"`
			// TUF shape.
			KeyIDUpper string `json:"keyId"`
			KeyUsage   string `json:"keyUsage"`
			PublicKey  *struct {
				RawBytes   string `json:"rawBytes"`
				KeyDetails string `json:"keyDetails"`
				ValidFor   struct {
					Start string `json:"start"`
					End   string `json:"end"`
				} `json:"validFor"`
			} `json:"publicKey"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse keys: %w", err)
	}
	var keys []Key
	var skipped int
	for i, k := range doc.Keys {
		var (
			key        Key
			der        string
			supported  bool
			start, end string
		)
		switch {
		case k.PublicKey != nil:
			key.KeyID, key.Usage = k.KeyIDUpper, k.KeyUsage
			der = k.PublicKey.RawBytes
			supported = k.PublicKey.KeyDetails == "PKIX_ECDSA_P256_SHA_256"
			start, end = k.PublicKey.ValidFor.Start, k.PublicKey.ValidFor.End
			if k.KeyIDLower != "" || k.Key != "" {
				return nil, fmt.Errorf("parse keys: key %d mixes the endpoint and TUF shapes", i)
			}
		case k.Key != "":
			key.KeyID = k.KeyIDLower
			der = k.Key
			supported = k.KeyType == "ecdsa-sha2-nistp256" && (k.Scheme == "" || k.Scheme == "ecdsa-sha2-nistp256")
			if k.Expires != nil {
				end = *k.Expires
			}
		default:
			return nil, fmt.Errorf("parse keys: key %d has neither \"key\" nor \"publicKey\"", i)
		}
		if key.Usage != "" && key.Usage != UsageSignatures && key.Usage != UsageAttestations {
			supported = false
		}
		if !supported {
			skipped++
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(der)
		if err != nil {
			return nil, fmt.Errorf("parse keys: key %q: decode base64: %w", key.KeyID, err)
		}
		pub, err := x509.ParsePKIXPublicKey(raw)
		if err != nil {
			return nil, fmt.Errorf("parse keys: key %q: %w", key.KeyID, err)
		}
		key.PublicKey = pub
		if key.NotBefore, err = parseKeyTime(start); err != nil {
			return nil, fmt.Errorf("parse keys: key %q: start: %w", key.KeyID, err)
		}
		if key.NotAfter, err = parseKeyTime(end); err != nil {
			return nil, fmt.Errorf("parse keys: key %q: end: %w", key.KeyID, err)
		}
		if err := checkKey(key); err != nil {
			return nil, fmt.Errorf("parse keys: %w", err)
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("parse keys: no usable ECDSA P-256 key (%d of another type or usage skipped)", skipped)
	}
	return keys, nil
}

func parseKeyTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// checkKey enforces what NewVerifier and ParseKeys require of every key.
func checkKey(k Key) error {
	if k.KeyID == "" {
		return errors.New("key has no key id")
	}
	fp, err := KeyFingerprint(k.PublicKey)
	if err != nil {
		return fmt.Errorf("key %q: %w", k.KeyID, err)
	}
	// npm derives the key id from the key; a mismatch means the key list is
	// corrupt or a key was filed under another key's id.
	if fp != k.KeyID {
		return fmt.Errorf("key %q: fingerprint of the public key is %q", k.KeyID, fp)
	}
	if !k.NotBefore.IsZero() && !k.NotAfter.IsZero() && k.NotAfter.Before(k.NotBefore) {
		return fmt.Errorf("key %q: validity ends (%s) before it starts (%s)", k.KeyID, k.NotAfter.Format(time.RFC3339), k.NotBefore.Format(time.RFC3339))
	}
	switch k.Usage {
	case "", UsageSignatures, UsageAttestations:
	default:
		return fmt.Errorf("key %q: unknown usage %q", k.KeyID, k.Usage)
	}
	return nil
}
