package provenance_test

import (
	"testing"

	"github.com/lockreview/lockreview/pkg/provenance"
)

// BenchmarkVerifyAttestations measures one package verification: the
// registry's attestations response for sigstore@1.0.0 (a SLSA provenance
// bundle and an npm publish bundle, both fully verified).
func BenchmarkVerifyAttestations(b *testing.B) {
	v := defaultVerifier(b)
	resp := fixture(b, "attestations-sigstore@1.0.0.json")
	want := withRepo(sigstore100, "https://github.com/sigstore/sigstore-js")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyAttestations(resp, want); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifySignatures measures one registry signature check.
func BenchmarkVerifySignatures(b *testing.B) {
	v := defaultVerifier(b)
	sigs := []provenance.Signature{{KeyID: keyJl3bw, Sig: "MEQCIBlpcHT68iWOpx8pJr3WUzD1EqQ7tb0CmY36ebbceR6IAiAVGRaxrFoyh0/5B7H1o4VFhfsHw9F8G+AxOZQq87q+lg=="}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifySignatures(sigs, sigstore100, beforeRotation); err != nil {
			b.Fatal(err)
		}
	}
}
