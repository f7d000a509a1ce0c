package provenance_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lockreview/lockreview/pkg/provenance"
)

// keyView is a Key without the public key, for cmp.
type keyView struct {
	KeyID               string
	Usage               string
	NotBefore, NotAfter time.Time
}

func view(keys []provenance.Key) []keyView {
	out := make([]keyView, len(keys))
	for i, k := range keys {
		out[i] = keyView{k.KeyID, k.Usage, k.NotBefore, k.NotAfter}
	}
	return out
}

func TestParseKeys(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []keyView
	}{
		{
			name: "tuf-keys-json",
			data: fixture(t, "../embedded/npm-keys.json"),
			want: []keyView{
				{keyJl3bw, provenance.UsageSignatures, utc("1999-01-01T00:00:00Z"), utc("2025-01-29T00:00:00Z")},
				{keyJl3bw, provenance.UsageAttestations, utc("2022-12-01T00:00:00Z"), utc("2025-01-29T00:00:00Z")},
				{keyDhQ8, provenance.UsageSignatures, utc("2025-01-13T00:00:00Z"), time.Time{}},
				{keyDhQ8, provenance.UsageAttestations, utc("2025-01-13T00:00:00Z"), time.Time{}},
			},
		},
		{
			name: "registry-keys-endpoint",
			data: fixture(t, "registry-keys-endpoint.json"),
			want: []keyView{{keyJl3bw, "", time.Time{}, time.Time{}}},
		},
		{
			name: "endpoint-with-expiry",
			data: []byte(strings.Replace(string(fixture(t, "registry-keys-endpoint.json")), `"expires": null`, `"expires": "2025-01-29T00:00:00.000Z"`, 1)),
			want: []keyView{{keyJl3bw, "", time.Time{}, utc("2025-01-29T00:00:00Z")}},
		},
		{
			name: "unknown-key-type-skipped",
			data: []byte(`{"keys":[` + endpointKey(t, keyJl3bw, "ecdsa-sha2-nistp256") + `,{"keyid":"SHA256:x","keytype":"ssh-ed25519","scheme":"ssh-ed25519","key":"AAAA"}]}`),
			want: []keyView{{keyJl3bw, "", time.Time{}, time.Time{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := provenance.ParseKeys(tt.data)
			if err != nil {
				t.Fatalf("ParseKeys() error: %v", err)
			}
			if diff := cmp.Diff(tt.want, view(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseKeys() diff (-want +got):\n%s", diff)
			}
			for _, k := range got {
				if _, ok := k.PublicKey.(*ecdsa.PublicKey); !ok {
					t.Errorf("key %s: PublicKey is %T", k.KeyID, k.PublicKey)
				}
			}
		})
	}
}

func TestParseKeysFails(t *testing.T) {
	tests := map[string]string{
		"not-json":          "keys",
		"no-keys":           `{"keys":[]}`,
		"only-unknown-type": `{"keys":[{"keyid":"SHA256:x","keytype":"ssh-ed25519","key":"AAAA"}]}`,
		"keyid-mismatch":    `{"keys":[` + endpointKey(t, keyDhQ8, "ecdsa-sha2-nistp256") + `]}`,
		"bad-base64":        `{"keys":[{"keyid":"SHA256:x","keytype":"ecdsa-sha2-nistp256","key":"%%%"}]}`,
		"bad-der":           `{"keys":[{"keyid":"SHA256:x","keytype":"ecdsa-sha2-nistp256","key":"AAAA"}]}`,
		"bad-time":          strings.Replace(string(fixture(t, "registry-keys-endpoint.json")), `"expires": null`, `"expires": "tomorrow"`, 1),
		"neither-shape":     `{"keys":[{"keyid":"SHA256:x"}]}`,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if keys, err := provenance.ParseKeys([]byte(data)); err == nil {
				t.Errorf("ParseKeys(%q) = %v, want an error", data, view(keys))
			}
		})
	}
}

// endpointKey renders the npm-publish-key-jl3bw.pub key in the endpoint
// shape under keyID.
func endpointKey(t *testing.T, keyID, keyType string) string {
	block, _ := pem.Decode(fixture(t, "npm-publish-key-jl3bw.pub"))
	return `{"keyid":"` + keyID + `","keytype":"` + keyType + `","scheme":"` + keyType + `","key":"` + base64.StdEncoding.EncodeToString(block.Bytes) + `","expires":null}`
}

func TestKeyFingerprint(t *testing.T) {
	block, _ := pem.Decode(fixture(t, "npm-publish-key-jl3bw.pub"))
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := provenance.KeyFingerprint(pub)
	if err != nil {
		t.Fatal(err)
	}
	// The known npm key id, as printed by the registry and in keys.json.
	if got != keyJl3bw {
		t.Errorf("KeyFingerprint(npm-publish-key-jl3bw.pub) = %q, want %q", got, keyJl3bw)
	}
	// Every key npm publishes is filed under its own fingerprint.
	keys, err := provenance.EmbeddedKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if fp, err := provenance.KeyFingerprint(k.PublicKey); err != nil || fp != k.KeyID {
			t.Errorf("KeyFingerprint(%s) = %q, %v", k.KeyID, fp, err)
		}
	}

	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []any{nil, "key", &p384.PublicKey} {
		if fp, err := provenance.KeyFingerprint(bad); err == nil {
			t.Errorf("KeyFingerprint(%T) = %q, want an error", bad, fp)
		}
	}
}

func TestNewVerifierRejects(t *testing.T) {
	tr, err := provenance.EmbeddedTrustedRoot()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := provenance.EmbeddedKeys()
	if err != nil {
		t.Fatal(err)
	}
	renamed := append([]provenance.Key(nil), keys...)
	renamed[0].KeyID = keyDhQ8
	inverted := append([]provenance.Key(nil), keys...)
	inverted[0].NotBefore, inverted[0].NotAfter = inverted[0].NotAfter, inverted[0].NotBefore
	badUsage := append([]provenance.Key(nil), keys...)
	badUsage[0].Usage = "npm:other"
	noKey := append([]provenance.Key(nil), keys...)
	noKey[0].PublicKey = nil

	if _, err := provenance.NewVerifier(nil, keys); err == nil {
		t.Error("NewVerifier(nil trusted root): no error")
	}
	for name, ks := range map[string][]provenance.Key{"renamed": renamed, "inverted-window": inverted, "bad-usage": badUsage, "no-public-key": noKey} {
		if _, err := provenance.NewVerifier(tr, ks); err == nil {
			t.Errorf("NewVerifier(%s keys): no error", name)
		}
	}
	// No npm keys at all is allowed: SLSA provenance still verifies.
	v, err := provenance.NewVerifier(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyBundle(fixture(t, "bundle-provenance-sigstore@1.3.0.json"), sigstore130); err != nil {
		t.Errorf("VerifyBundle without npm keys: %v", err)
	}
}
