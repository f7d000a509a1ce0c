package provenance_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
)

type signedPackage struct {
	Name       string                 `json:"name"`
	Version    string                 `json:"version"`
	Integrity  string                 `json:"integrity"`
	Signatures []provenance.Signature `json:"signatures"`
}

func registrySignatures(t *testing.T) []signedPackage {
	t.Helper()
	var doc struct {
		Packages []signedPackage `json:"packages"`
	}
	if err := json.Unmarshal(fixture(t, "registry-signatures.json"), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Packages) != 4 {
		t.Fatalf("registry-signatures.json has %d packages, want 4", len(doc.Packages))
	}
	return doc.Packages
}

// A time when the old key was valid for registry signatures.
var beforeRotation = utc("2023-06-01T00:00:00Z")

func TestVerifySignatures(t *testing.T) {
	endpointKeys, err := provenance.ParseKeys(fixture(t, "registry-keys-endpoint.json"))
	if err != nil {
		t.Fatal(err)
	}
	verifiers := map[string]*provenance.Verifier{
		"embedded-keys": defaultVerifier(t),
		"endpoint-keys": newVerifier(t, endpointKeys),
	}
	for vname, v := range verifiers {
		for _, p := range registrySignatures(t) {
			t.Run(vname+"/"+p.Name, func(t *testing.T) {
				want := provenance.Subject{Name: p.Name, Version: p.Version, Integrity: p.Integrity}
				got, err := v.VerifySignatures(p.Signatures, want, beforeRotation)
				if err != nil || got != keyJl3bw {
					t.Errorf("VerifySignatures(%s) = %q, %v; want %q", want, got, err, keyJl3bw)
				}
				// Unpadded and multi-hash lockfile integrities sign the same.
				want.Integrity = "sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA= " + strings.TrimRight(p.Integrity, "=")
				if got, err := v.VerifySignatures(p.Signatures, want, beforeRotation); err != nil || got != keyJl3bw {
					t.Errorf("VerifySignatures(%s, %q) = %q, %v; want %q", want, want.Integrity, got, err, keyJl3bw)
				}
			})
		}
	}
}

func TestVerifySignaturesFails(t *testing.T) {
	pkgs := registrySignatures(t)
	sig := pkgs[1] // sigstore@1.0.0
	subject := provenance.Subject{Name: sig.Name, Version: sig.Version, Integrity: sig.Integrity}
	flipped := []provenance.Signature{{KeyID: keyJl3bw, Sig: flip(t, sig.Signatures[0].Sig)}}

	tests := []struct {
		name string
		sigs []provenance.Signature
		want provenance.Subject
		at   time.Time
		err  error
	}{
		{name: "lockfile-integrity-other-package", sigs: sig.Signatures, want: withIntegrity(subject, pkgs[2].Integrity), at: beforeRotation, err: provenance.ErrSignature},
		{name: "other-version", sigs: sig.Signatures, want: provenance.Subject{Name: "sigstore", Version: "1.0.1", Integrity: sig.Integrity}, at: beforeRotation, err: provenance.ErrSignature},
		{name: "other-package-signature", sigs: pkgs[2].Signatures, want: subject, at: beforeRotation, err: provenance.ErrSignature},
		{name: "signature-flipped", sigs: flipped, want: subject, at: beforeRotation, err: provenance.ErrSignature},
		{name: "signature-not-base64", sigs: []provenance.Signature{{KeyID: keyJl3bw, Sig: "%%%"}}, want: subject, at: beforeRotation, err: provenance.ErrSignature},
		{name: "key-expired", sigs: sig.Signatures, want: subject, at: utc("2025-02-01T00:00:00Z"), err: provenance.ErrUnknownKey},
		{name: "key-unknown", sigs: []provenance.Signature{{KeyID: "SHA256:nope", Sig: sig.Signatures[0].Sig}}, want: subject, at: beforeRotation, err: provenance.ErrUnknownKey},
		{name: "integrity-sha1-only", sigs: sig.Signatures, want: withIntegrity(subject, "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="), at: beforeRotation, err: provenance.ErrDigestMismatch},
		{name: "no-name", sigs: sig.Signatures, want: provenance.Subject{Integrity: sig.Integrity}, at: beforeRotation, err: provenance.ErrSubjectMismatch},
		{name: "no-signatures", sigs: nil, want: subject, at: beforeRotation, err: provenance.ErrNoAttestation},
	}
	v := defaultVerifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.VerifySignatures(tt.sigs, tt.want, tt.at)
			t.Log(err)
			if !errors.Is(err, tt.err) || got != "" {
				t.Errorf("VerifySignatures(%s) = %q, %v; want errors.Is %v", tt.want, got, err, tt.err)
			}
		})
	}

	if _, err := v.VerifySignatures(sig.Signatures, subject, time.Time{}); err == nil {
		t.Error("VerifySignatures with a zero time: no error")
	}
}

// A valid signature after a bad one still verifies: npm may list several.
func TestVerifySignaturesAnyValid(t *testing.T) {
	sig := registrySignatures(t)[1]
	sigs := []provenance.Signature{{KeyID: "SHA256:other", Sig: "AAAA"}, {KeyID: keyJl3bw, Sig: flip(t, sig.Signatures[0].Sig)}, sig.Signatures[0]}
	got, err := defaultVerifier(t).VerifySignatures(sigs, provenance.Subject{Name: sig.Name, Version: sig.Version, Integrity: sig.Integrity}, beforeRotation)
	if err != nil || got != keyJl3bw {
		t.Errorf("VerifySignatures() = %q, %v; want %q", got, err, keyJl3bw)
	}
}

func flip(t *testing.T, b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-3] ^= 0x01
	return base64.StdEncoding.EncodeToString(raw)
}
