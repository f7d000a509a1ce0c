package sbom

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"
)

func TestLicenseChoice(t *testing.T) {
	id := func(s string) *cdx.Licenses { return &cdx.Licenses{{License: &cdx.License{ID: s}}} }
	name := func(s string) *cdx.Licenses { return &cdx.Licenses{{License: &cdx.License{Name: s}}} }
	expr := func(s string) *cdx.Licenses { return &cdx.Licenses{{Expression: s}} }
	tests := []struct {
		in   string
		want *cdx.Licenses
	}{
		{"", nil},
		{"  ", nil},
		{"MIT", id("MIT")},
		{"mit", id("MIT")},
		{" Apache-2.0 ", id("Apache-2.0")},
		{"(MIT)", id("MIT")},
		{"BSD-3-Clause", id("BSD-3-Clause")},
		{"GPL-2.0+", id("GPL-2.0+")},
		{"Apache-2.0+", expr("Apache-2.0+")},
		{"(MIT OR Apache-2.0)", expr("(MIT OR Apache-2.0)")},
		{"MIT AND CC-BY-3.0", expr("MIT AND CC-BY-3.0")},
		{"Apache-2.0 WITH LLVM-exception", expr("Apache-2.0 WITH LLVM-exception")},
		{"LicenseRef-Proprietary", expr("LicenseRef-Proprietary")},
		{"UNLICENSED", name("UNLICENSED")},
		{"SEE LICENSE IN LICENSE.md", name("SEE LICENSE IN LICENSE.md")},
		{"MIT OR Foo", name("MIT OR Foo")},
		{"MIT WITH Foo-exception", name("MIT WITH Foo-exception")},
		{"(MIT", name("(MIT")},
		{"Public Domain", name("Public Domain")},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, licenseChoice(tt.in)); diff != "" {
			t.Errorf("licenseChoice(%q) diff (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSRIHashes(t *testing.T) {
	const (
		// sha512 and sha1 of "abc".
		sha512b64 = "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
		sha512hex = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
		sha1b64   = "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
		sha1hex   = "a9993e364706816aba3e25717850c26c9cd0d89d"
	)
	tests := []struct {
		in   string
		want []cdx.Hash
	}{
		{"", nil},
		{"sha512-" + sha512b64, []cdx.Hash{{Algorithm: cdx.HashAlgoSHA512, Value: sha512hex}}},
		{"sha512-" + sha512b64 + " sha1-" + sha1b64, []cdx.Hash{{Algorithm: cdx.HashAlgoSHA512, Value: sha512hex}, {Algorithm: cdx.HashAlgoSHA1, Value: sha1hex}}},
		{"SHA1-" + sha1b64 + "?foo \n sha1-" + sha1b64, []cdx.Hash{{Algorithm: cdx.HashAlgoSHA1, Value: sha1hex}}},
		{"sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0", []cdx.Hash{{Algorithm: cdx.HashAlgoSHA1, Value: sha1hex}}}, // no padding
		{"md5-kAFQmDzST7DWlj99KOF/cg==", nil}, // unknown algorithm
		{"sha512-" + sha1b64, nil},            // wrong size
		{"sha512-!!!", nil},                   // not base64
		{"sha512", nil},                       // no digest
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, sriHashes(tt.in)); diff != "" {
			t.Errorf("sriHashes(%q) diff (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestPURL(t *testing.T) {
	tests := []struct {
		name, version, vcs, want string
	}{
		{"lodash", "4.17.21", "", "pkg:npm/lodash@4.17.21"},
		{"@babel/core", "7.0.0", "", "pkg:npm/%40babel/core@7.0.0"},
		{"JSONStream", "1.3.5", "", "pkg:npm/jsonstream@1.3.5"},
		{"@Scope/Name", "1.0.0-rc.1+build", "", "pkg:npm/%40scope/name@1.0.0-rc.1%2Bbuild"},
		{"x", "", "", "pkg:npm/x"},
		// Hostile names stay one path segment and cannot add qualifiers.
		{"a/b?c=d#e", "1.0.0", "", "pkg:npm/a%2Fb%3Fc%3Dd%23e@1.0.0"},
		{"@", "1", "", "pkg:npm/%40@1"},
		{"@scope/", "1", "", "pkg:npm/%40scope%2F@1"},
		{"y", "0.0.0-dev", "git+ssh://git@github.com/a/b.git#abc", "pkg:npm/y@0.0.0-dev?vcs_url=git%2Bssh:%2F%2Fgit%40github.com%2Fa%2Fb.git%23abc"},
	}
	for _, tt := range tests {
		if got := purl(tt.name, tt.version, tt.vcs); got != tt.want {
			t.Errorf("purl(%q, %q, %q) = %q, want %q", tt.name, tt.version, tt.vcs, got, tt.want)
		}
	}
}

// TestDecodeBase64 checks the allocation-free decoder against the standard
// library on every length and padding.
func TestDecodeBase64(t *testing.T) {
	for n := 0; n <= 64; n++ {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(i*37 + n)
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			s := enc.EncodeToString(raw)
			var dst [64]byte
			got, ok := decodeBase64(dst[:], s)
			if !ok || !bytes.Equal(dst[:got], raw) {
				t.Errorf("decodeBase64(%q) = %x, %v; want %x", s, dst[:got], ok, raw)
			}
			if h := hexString(raw); h != hex.EncodeToString(raw) {
				t.Errorf("hexString(%x) = %q", raw, h)
			}
		}
	}
	for _, bad := range []string{"a", "ab!c", "abc-", "a=bc"} {
		var dst [64]byte
		if _, ok := decodeBase64(dst[:], bad); ok {
			t.Errorf("decodeBase64(%q) accepted", bad)
		}
	}
	var small [2]byte
	if _, ok := decodeBase64(small[:], "AAAA"); ok {
		t.Errorf("decodeBase64 overflowed dst")
	}
}
