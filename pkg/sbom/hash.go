package sbom

import (
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// sriAlgorithms maps the hash names of Subresource Integrity strings (npm's
// `integrity`) to CycloneDX algorithms and digest sizes.
var sriAlgorithms = map[string]struct {
	alg  cdx.HashAlgorithm
	size int
}{
	"sha1":   {cdx.HashAlgoSHA1, 20},
	"sha256": {cdx.HashAlgoSHA256, 32},
	"sha384": {cdx.HashAlgoSHA384, 48},
	"sha512": {cdx.HashAlgoSHA512, 64},
}

// sriHashes turns an SRI string ("sha512-<base64> sha1-<base64>"; entries
// are separated by whitespace and may carry "?options") into CycloneDX
// hashes with lower-case hex content, as the schema's hash-content pattern
// requires. Entries with an unknown algorithm, bad base64 or a digest of the
// wrong size are skipped: they are not hashes of anything.
func sriHashes(integrity string) []cdx.Hash {
	var out []cdx.Hash
	for rest := integrity; rest != ""; {
		var tok string
		rest = strings.TrimLeft(rest, " \t\n\r\f\v")
		if i := strings.IndexAny(rest, " \t\n\r\f\v"); i >= 0 {
			tok, rest = rest[:i], rest[i:]
		} else {
			tok, rest = rest, ""
		}
		alg, b64, ok := strings.Cut(tok, "-")
		if !ok {
			continue
		}
		a, ok := sriAlgorithms[strings.ToLower(alg)]
		if !ok {
			continue
		}
		b64, _, _ = strings.Cut(b64, "?")
		var sum [64]byte
		n, ok := decodeBase64(sum[:], b64)
		if !ok || n != a.size {
			continue
		}
		h := cdx.Hash{Algorithm: a.alg, Value: hexString(sum[:n])}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// base64Values maps the standard base64 alphabet to its values; 0xff is not
// in the alphabet.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeBase64 decodes standard base64, padded or not (ssri, npm's parser,
// accepts both), into dst without allocating. It reports false for bad
// input or when dst is too small.
func decodeBase64(dst []byte, s string) (int, bool) {
	s = strings.TrimRight(s, "=")
	if len(s)%4 == 1 || len(s)*3/4 > len(dst) {
		return 0, false
	}
	n := 0
	// Four characters make three bytes.
	for len(s) >= 4 {
		a, b, c, d := base64Values[s[0]], base64Values[s[1]], base64Values[s[2]], base64Values[s[3]]
		if (a|b|c|d)&0xc0 != 0 { // 0xff, not in the alphabet
			return 0, false
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst[n], dst[n+1], dst[n+2] = byte(v>>16), byte(v>>8), byte(v)
		n += 3
		s = s[4:]
	}
	var acc uint32
	bits := 0
	for i := 0; i < len(s); i++ {
		v := base64Values[s[i]]
		if v == 0xff {
			return 0, false
		}
		acc = acc<<6 | uint32(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			dst[n] = byte(acc >> bits)
			n++
		}
	}
	return n, true
}

// hexString is hex.EncodeToString for digests (at most 64 bytes) with one
// allocation.
func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var buf [128]byte
	if len(b) > len(buf)/2 {
		b = b[:len(buf)/2]
	}
	for i, c := range b {
		buf[2*i] = digits[c>>4]
		buf[2*i+1] = digits[c&0x0f]
	}
	return string(buf[:2*len(b)])
}

// sortHashes orders hashes by algorithm, then content.
func sortHashes(hs []cdx.Hash) {
	slices.SortFunc(hs, func(a, b cdx.Hash) int {
		if c := strings.Compare(string(a.Algorithm), string(b.Algorithm)); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}
