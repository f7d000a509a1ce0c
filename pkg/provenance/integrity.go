package provenance

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// sha512Digests returns every sha512 digest, as lowercase hex, of an SRI
// integrity string such as the lockfile's "sha512-<base64>" (several
// space-separated hashes are allowed, as in the W3C Subresource Integrity
// spec; options after "?" are ignored). Hashes of other algorithms are
// skipped: only sha512 binds an attestation, because npm attestations carry
// only a sha512 subject digest.
//
// It fails with ErrDigestMismatch when the integrity has no well-formed
// sha512: without one the attestation cannot be bound to the lockfile.
func sha512Digests(integrity string) ([]string, error) {
	var digests []string
	for _, token := range strings.Fields(integrity) {
		alg, value, ok := strings.Cut(token, "-")
		if !ok || !strings.EqualFold(alg, "sha512") {
			continue
		}
		value, _, _ = strings.Cut(value, "?")
		raw, err := decodeBase64(value)
		if err != nil || len(raw) != 64 {
			continue
		}
		digests = append(digests, hex.EncodeToString(raw))
	}
	if len(digests) == 0 {
		return nil, fmt.Errorf("%w: lockfile integrity %q has no sha512 hash, so the attestation cannot be bound to the lockfile", ErrDigestMismatch, truncate(integrity, 100))
	}
	return digests, nil
}

// sha512Tokens returns the sha512 entries of an SRI string in their canonical
// "sha512-<padded base64>" form: the exact text npm signs in
// "<name>@<version>:<integrity>".
func sha512Tokens(integrity string) ([]string, error) {
	digests, err := sha512Digests(integrity)
	if err != nil {
		return nil, err
	}
	tokens := make([]string, len(digests))
	for i, d := range digests {
		raw, _ := hex.DecodeString(d)
		tokens[i] = "sha512-" + base64.StdEncoding.EncodeToString(raw)
	}
	return tokens, nil
}

// decodeBase64 accepts standard base64 with or without padding (npm always
// pads; tools that rewrite lockfiles sometimes do not).
func decodeBase64(s string) ([]byte, error) {
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// truncate shortens s for error messages about untrusted input.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
