package provenance_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
)

const (
	ghIssuer = "https://token.actions.githubusercontent.com"
	keyJl3bw = "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA"
	keyDhQ8  = "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U"

	// Integrities from the registry (see testdata/README.md).
	integritySigstore100 = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="
	integrityTufJS100    = "sha512-1dxsQwESDzACJjTdYHQ4wJ1f/of7jALWKfJEHSBWUQB/5UTJUx9SW6GHXp4mZ1KvdBRJCpGjssoPFGi4hvw8/A=="
	integritySigstore130 = "sha512-dhdv+jOAi1RgLHw13lxumk3rlgZtumUz9QrCNPTx9MazUnUV3BfAb74oYAMPQQ7uaeogB5vTosbz3POzKbEHUQ=="
	// The subject digest of libnpmpublish-valid-bundle.json, as SRI.
	libnpmpublishDigestHex = "ba5d2ecfa66724e1fafe473489339464a86ef4b5c69718ad94731f311b2d60578a83134b3393af9828aef83dc5edb19126a8aeda55253c31ec1909cbfd48f66f"
)

var (
	sigstore100 = provenance.Subject{Name: "sigstore", Version: "1.0.0", Integrity: integritySigstore100}
	tufJS100    = provenance.Subject{Name: "tuf-js", Version: "1.0.0", Integrity: integrityTufJS100}
	sigstore130 = provenance.Subject{Name: "sigstore", Version: "1.3.0", Integrity: integritySigstore130}
	libnpmTest  = provenance.Subject{Name: "@npmcli/libnpmpublish-test", Version: "1.0.0", Integrity: sri(libnpmpublishDigestHex)}
)

func sri(hexDigest string) string {
	raw, err := hex.DecodeString(hexDigest)
	if err != nil {
		panic(err)
	}
	return "sha512-" + base64.StdEncoding.EncodeToString(raw)
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func defaultVerifier(t testing.TB) *provenance.Verifier {
	t.Helper()
	v, err := provenance.Default()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	return v
}

func newVerifier(t testing.TB, keys []provenance.Key, opts ...provenance.Option) *provenance.Verifier {
	t.Helper()
	tr, err := provenance.EmbeddedTrustedRoot()
	if err != nil {
		t.Fatal(err)
	}
	if keys == nil {
		if keys, err = provenance.EmbeddedKeys(); err != nil {
			t.Fatal(err)
		}
	}
	v, err := provenance.NewVerifier(tr, keys, opts...)
	if err != nil {
		t.Fatalf("NewVerifier() error: %v", err)
	}
	return v
}

// mutateJSON decodes data, applies f and re-encodes it.
func mutateJSON(t testing.TB, data []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// obj walks nested JSON objects and arrays (int keys index arrays).
func obj(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// flipSignature flips one bit of the DSSE envelope's first signature.
func flipSignature(t testing.TB, bundle []byte) []byte {
	return mutateJSON(t, bundle, func(m map[string]any) {
		sig := obj(m, "dsseEnvelope", "signatures", 0)
		raw, err := base64.StdEncoding.DecodeString(sig["sig"].(string))
		if err != nil {
			t.Fatal(err)
		}
		raw[len(raw)/2] ^= 0x01
		sig["sig"] = base64.StdEncoding.EncodeToString(raw)
	})
}

// editStatement rewrites the DSSE payload (breaking its signature).
func editStatement(t testing.TB, bundle []byte, f func(stmt map[string]any)) []byte {
	return mutateJSON(t, bundle, func(m map[string]any) {
		env := obj(m, "dsseEnvelope")
		raw, err := base64.StdEncoding.DecodeString(env["payload"].(string))
		if err != nil {
			t.Fatal(err)
		}
		var stmt map[string]any
		if err := json.Unmarshal(raw, &stmt); err != nil {
			t.Fatal(err)
		}
		f(stmt)
		if raw, err = json.Marshal(stmt); err != nil {
			t.Fatal(err)
		}
		env["payload"] = base64.StdEncoding.EncodeToString(raw)
	})
}

// bundleOf returns the bundle of the given predicate type in an
// attestations response.
func bundleOf(t testing.TB, response []byte, predicateType string) []byte {
	t.Helper()
	var doc struct {
		Attestations []struct {
			PredicateType string          `json:"predicateType"`
			Bundle        json.RawMessage `json:"bundle"`
		} `json:"attestations"`
	}
	if err := json.Unmarshal(response, &doc); err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Attestations {
		if a.PredicateType == predicateType {
			return a.Bundle
		}
	}
	t.Fatalf("no %s attestation", predicateType)
	return nil
}

// response wraps bundles into an attestations response.
func response(t testing.TB, pairs ...any) []byte {
	t.Helper()
	type att struct {
		PredicateType string          `json:"predicateType"`
		Bundle        json.RawMessage `json:"bundle"`
	}
	var doc struct {
		Attestations []att `json:"attestations"`
	}
	doc.Attestations = []att{}
	for i := 0; i < len(pairs); i += 2 {
		doc.Attestations = append(doc.Attestations, att{pairs[i].(string), pairs[i+1].([]byte)})
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
