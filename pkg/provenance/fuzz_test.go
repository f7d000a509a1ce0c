package provenance_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/provenance"
)

// FuzzVerifyAttestations feeds arbitrary responses and bundles, with
// arbitrary subjects, to VerifyAttestations and VerifyBundle. They must
// never panic (the recover net in the package would hide a panic, so a
// "panicked" error fails too), every error must be ErrNoAttestation or
// under ErrInvalid, and an error never comes with a result.
//
// Run: go test ./pkg/provenance -run '^$' -fuzz FuzzVerifyAttestations -parallel=1
func FuzzVerifyAttestations(f *testing.F) {
	seeds := []struct {
		file string
		want provenance.Subject
	}{
		{"attestations-sigstore@1.0.0.json", withRepo(sigstore100, "https://github.com/sigstore/sigstore-js")},
		{"attestations-tuf-js@1.0.0.json", tufJS100},
		{"bundle-provenance-sigstore@1.3.0.json", sigstore130},
		{"bundle-publish-sigstore@1.3.0.json", sigstore130},
		{"sigstore-js-bundleV03-dsse.json", sigstore100},
	}
	libnpm, err := filepath.Glob(filepath.Join("testdata", "libnpmpublish-*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range libnpm {
		seeds = append(seeds, struct {
			file string
			want provenance.Subject
		}{filepath.Base(p), libnpmTest})
	}
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, s.want.Name, s.want.Version, s.want.Integrity, s.want.Repository)
	}
	f.Add([]byte(`{"attestations":[{"predicateType":"https://slsa.dev/provenance/v1","bundle":{}}]}`), "x", "1.0.0", "sha512-", "")
	f.Add([]byte("null"), "", "", "", "")

	v := defaultVerifier(f)
	unsafe := newVerifier(f, nil, provenance.WithoutIdentityUnsafe())
	f.Fuzz(func(t *testing.T, data []byte, name, version, integrity, repo string) {
		want := provenance.Subject{Name: name, Version: version, Integrity: integrity, Repository: repo}
		for _, verifier := range []*provenance.Verifier{v, unsafe} {
			res, err := verifier.VerifyAttestations(data, want)
			check(t, "VerifyAttestations", res, err)
			res, err = verifier.VerifyBundle(data, want)
			check(t, "VerifyBundle", res, err)
			if err == nil && (res.Provenance == nil) == (res.Publish == nil) {
				t.Errorf("VerifyBundle() = %+v: want exactly one of Provenance and Publish", res)
			}
		}
	})
}

func check(t *testing.T, fn string, res provenance.Result, err error) {
	t.Helper()
	if err == nil {
		if res.Provenance == nil && res.Publish == nil {
			t.Errorf("%s() = empty result and no error", fn)
		}
		return
	}
	if strings.Contains(err.Error(), "panicked") {
		t.Fatalf("%s() panicked: %v", fn, err)
	}
	if !errors.Is(err, provenance.ErrInvalid) && !errors.Is(err, provenance.ErrNoAttestation) {
		t.Errorf("%s() error %v is neither ErrInvalid nor ErrNoAttestation", fn, err)
	}
	if diff := cmp.Diff(provenance.Result{}, res); diff != "" {
		t.Errorf("%s() returned a result with error %v:\n%s", fn, err, diff)
	}
}
