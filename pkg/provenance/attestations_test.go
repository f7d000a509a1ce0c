package provenance_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/provenance"
)

var (
	slsaSigstore100 = &provenance.SLSA{
		SourceRepository: "https://github.com/sigstore/sigstore-js",
		SourceRef:        "refs/tags/v1.0.0",
		SourceCommit:     "06528997c3c8ab9f864fad9a3658446aca7fd86d",
		BuildConfig:      ".github/workflows/publish.yml",
		Issuer:           ghIssuer,
		RunURL:           "https://github.com/sigstore/sigstore-js/actions/runs/4137028816/attempts/1",
		BuilderID:        "https://github.com/npm/cli@9.4.2",
		IntegratedTime:   utc("2023-02-09T17:56:00Z"),
	}
	slsaSigstore130 = &provenance.SLSA{
		SourceRepository: "https://github.com/sigstore/sigstore-js",
		SourceRef:        "refs/heads/main",
		SourceCommit:     "dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1",
		BuildConfig:      ".github/workflows/release.yml",
		Issuer:           ghIssuer,
		RunURL:           "https://github.com/sigstore/sigstore-js/actions/runs/4735384265/attempts/1",
		BuilderID:        "https://github.com/actions/runner",
		IntegratedTime:   utc("2023-04-18T17:45:12Z"),
	}
)

func TestVerifyAttestations(t *testing.T) {
	tests := []struct {
		name string
		file string
		want provenance.Subject
		res  provenance.Result
	}{
		{
			name: "sigstore-1.0.0",
			file: "attestations-sigstore@1.0.0.json",
			want: sigstore100,
			res: provenance.Result{
				Provenance: slsaSigstore100,
				Publish:    &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-02-09T17:56:02Z")},
			},
		},
		{
			name: "sigstore-1.0.0-repository-pinned",
			file: "attestations-sigstore@1.0.0.json",
			want: withRepo(sigstore100, "git+https://github.com/sigstore/sigstore-js.git"),
			res: provenance.Result{
				Provenance: slsaSigstore100,
				Publish:    &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-02-09T17:56:02Z")},
			},
		},
		{
			name: "tuf-js-1.0.0-repository-pinned",
			file: "attestations-tuf-js@1.0.0.json",
			want: withRepo(tufJS100, "https://github.com/theupdateframework/tuf-js"),
			res: provenance.Result{
				Provenance: &provenance.SLSA{
					SourceRepository: "https://github.com/theupdateframework/tuf-js",
					SourceRef:        "refs/tags/v1.0.0",
					SourceCommit:     "99624cc7ce39872e6bd08a0df59229a48562dbca",
					BuildConfig:      ".github/workflows/publish.yml",
					Issuer:           ghIssuer,
					RunURL:           "https://github.com/theupdateframework/tuf-js/actions/runs/4136902918/attempts/1",
					BuilderID:        "https://github.com/npm/cli@9.4.2",
					IntegratedTime:   utc("2023-02-09T17:38:25Z"),
				},
				Publish: &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-02-09T17:38:27Z")},
			},
		},
	}
	v := defaultVerifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.VerifyAttestations(fixture(t, tt.file), tt.want)
			if err != nil {
				t.Fatalf("VerifyAttestations(%s, %s) error: %v", tt.file, tt.want, err)
			}
			if diff := cmp.Diff(tt.res, got); diff != "" {
				t.Errorf("VerifyAttestations(%s, %s) diff (-want +got):\n%s", tt.file, tt.want, diff)
			}
			// Verify is the port-facing name of the same method.
			got2, err := v.Verify(fixture(t, tt.file), tt.want)
			if err != nil || !cmp.Equal(got, got2) {
				t.Errorf("Verify() = %+v, %v; want VerifyAttestations' result", got2, err)
			}
		})
	}
}

func TestVerifyBundle(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		want   provenance.Subject
		unsafe bool
		res    provenance.Result
	}{
		{
			name: "provenance-sigstore-1.3.0",
			file: "bundle-provenance-sigstore@1.3.0.json",
			want: withRepo(sigstore130, "https://github.com/sigstore/sigstore-js"),
			res:  provenance.Result{Provenance: slsaSigstore130},
		},
		{
			name: "provenance-sigstore-1.3.0-repository-case-differs",
			file: "bundle-provenance-sigstore@1.3.0.json",
			want: withRepo(sigstore130, "git+ssh://git@github.com/Sigstore/Sigstore-JS.git"),
			res:  provenance.Result{Provenance: slsaSigstore130},
		},
		{
			name: "provenance-sigstore-1.3.0-repository-tree-url",
			file: "bundle-provenance-sigstore@1.3.0.json",
			want: withRepo(sigstore130, "https://github.com/sigstore/sigstore-js/tree/main/packages/client"),
			res:  provenance.Result{Provenance: slsaSigstore130},
		},
		{
			name: "publish-sigstore-1.3.0",
			file: "bundle-publish-sigstore@1.3.0.json",
			want: sigstore130,
			res:  provenance.Result{Publish: &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-04-18T17:45:16Z")}},
		},
		{
			name: "publish-sigstore-1.3.0-multi-hash-integrity",
			file: "bundle-publish-sigstore@1.3.0.json",
			want: provenance.Subject{Name: "sigstore", Version: "1.3.0", Integrity: "sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA= " + strings.TrimRight(integritySigstore130, "=")},
			res:  provenance.Result{Publish: &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-04-18T17:45:16Z")}},
		},
		{
			// npm's own fixture: a pre-1.0 bundle layout ("verificationData"),
			// signed by a person (email identity), hence only without the
			// identity policy.
			name:   "libnpmpublish-valid",
			file:   "libnpmpublish-valid-bundle.json",
			want:   libnpmTest,
			unsafe: true,
			res: provenance.Result{Provenance: &provenance.SLSA{
				Issuer:         "https://github.com/login/oauth",
				BuilderID:      "https://github.com/npm/cli@9.1.3",
				IntegratedTime: utc("2022-12-06T20:53:19Z"),
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := defaultVerifier(t)
			if tt.unsafe {
				v = newVerifier(t, nil, provenance.WithoutIdentityUnsafe())
			}
			got, err := v.VerifyBundle(fixture(t, tt.file), tt.want)
			if err != nil {
				t.Fatalf("VerifyBundle(%s, %s) error: %v", tt.file, tt.want, err)
			}
			if diff := cmp.Diff(tt.res, got); diff != "" {
				t.Errorf("VerifyBundle(%s, %s) diff (-want +got):\n%s", tt.file, tt.want, diff)
			}
		})
	}
}

func TestVerifyBundleFails(t *testing.T) {
	prov130 := fixture(t, "bundle-provenance-sigstore@1.3.0.json")
	pub130 := fixture(t, "bundle-publish-sigstore@1.3.0.json")
	resp100 := fixture(t, "attestations-sigstore@1.0.0.json")
	prov100 := bundleOf(t, resp100, provenance.PredicateSLSAv02)
	pub100 := bundleOf(t, resp100, provenance.PredicatePublish)

	embedded, err := provenance.EmbeddedKeys()
	if err != nil {
		t.Fatal(err)
	}
	// jl3bw with its real attestation window ended before 2023-02-09.
	expired := setWindow(t, embedded, keyJl3bw, utc("2022-12-01T00:00:00Z"), utc("2023-01-01T00:00:00Z"))
	notYet := setWindow(t, embedded, keyJl3bw, utc("2024-01-01T00:00:00Z"), utc("2025-01-29T00:00:00Z"))
	var onlyNew []provenance.Key
	for _, k := range embedded {
		if k.KeyID == keyDhQ8 {
			onlyNew = append(onlyNew, k)
		}
	}

	tests := []struct {
		name   string
		bundle []byte
		want   provenance.Subject
		keys   []provenance.Key
		unsafe bool
		err    error
	}{
		{name: "slsa-signature-flipped", bundle: flipSignature(t, prov130), want: sigstore130, err: provenance.ErrSignature},
		{name: "publish-signature-flipped", bundle: flipSignature(t, pub130), want: sigstore130, err: provenance.ErrSignature},
		{name: "slsa-v02-signature-flipped", bundle: flipSignature(t, prov100), want: sigstore100, err: provenance.ErrSignature},
		{
			name: "slsa-subject-digest-changed",
			bundle: editStatement(t, prov130, func(s map[string]any) {
				obj(s, "subject", 0, "digest")["sha512"] = strings.Repeat("ab", 64)
			}),
			want: sigstore130, err: provenance.ErrDigestMismatch,
		},
		{
			// Same digest, another version in the subject: sigstore-go alone
			// would accept this (it compares digests only).
			name: "slsa-subject-other-version-same-digest",
			bundle: editStatement(t, prov130, func(s map[string]any) {
				obj(s, "subject", 0)["name"] = "pkg:npm/sigstore@9.9.9"
			}),
			want: sigstore130, err: provenance.ErrSubjectMismatch,
		},
		{
			name: "slsa-predicate-type-changed",
			bundle: editStatement(t, prov130, func(s map[string]any) {
				s["predicateType"] = "https://example.com/other"
			}),
			want: sigstore130, err: provenance.ErrSubjectMismatch,
		},
		{name: "lockfile-integrity-other-package", bundle: prov130, want: withIntegrity(sigstore130, integritySigstore100), err: provenance.ErrDigestMismatch},
		{name: "publish-lockfile-integrity-other-package", bundle: pub130, want: withIntegrity(sigstore130, integritySigstore100), err: provenance.ErrDigestMismatch},
		{name: "lockfile-integrity-sha1-only", bundle: prov130, want: withIntegrity(sigstore130, "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="), err: provenance.ErrDigestMismatch},
		{name: "lockfile-integrity-empty", bundle: prov130, want: withIntegrity(sigstore130, ""), err: provenance.ErrDigestMismatch},
		{name: "want-other-name", bundle: prov130, want: provenance.Subject{Name: "sigstore-js", Version: "1.3.0", Integrity: integritySigstore130}, err: provenance.ErrSubjectMismatch},
		{name: "want-other-version", bundle: prov130, want: provenance.Subject{Name: "sigstore", Version: "1.3.1", Integrity: integritySigstore130}, err: provenance.ErrSubjectMismatch},
		{name: "publish-want-other-version", bundle: pub130, want: provenance.Subject{Name: "sigstore", Version: "1.2.0", Integrity: integritySigstore130}, err: provenance.ErrSubjectMismatch},
		{name: "want-scoped-name", bundle: prov130, want: provenance.Subject{Name: "@sigstore/sigstore", Version: "1.3.0", Integrity: integritySigstore130}, err: provenance.ErrSubjectMismatch},
		{name: "want-empty", bundle: prov130, want: provenance.Subject{Integrity: integritySigstore130}, err: provenance.ErrSubjectMismatch},
		{name: "identity-other-repository", bundle: prov130, want: withRepo(sigstore130, "https://github.com/sigstore/sigstore-go"), err: provenance.ErrIdentity},
		{name: "identity-other-repository-deprecated-extension", bundle: prov100, want: withRepo(sigstore100, "github:theupdateframework/tuf-js"), err: provenance.ErrIdentity},
		{name: "identity-repository-on-gitlab", bundle: prov130, want: withRepo(sigstore130, "https://gitlab.com/sigstore/sigstore-js"), err: provenance.ErrIdentity},
		{name: "identity-repository-elsewhere", bundle: prov130, want: withRepo(sigstore130, "https://bitbucket.org/sigstore/sigstore-js"), err: provenance.ErrIdentity},
		{name: "identity-repository-not-a-url", bundle: prov130, want: withRepo(sigstore130, "file:../x"), err: provenance.ErrIdentity},
		{name: "identity-email-certificate", bundle: fixture(t, "libnpmpublish-valid-bundle.json"), want: libnpmTest, err: provenance.ErrIdentity},
		{name: "publish-key-expired-before-log-time", bundle: pub100, want: sigstore100, keys: expired, err: provenance.ErrUnknownKey},
		{name: "publish-key-not-yet-valid", bundle: pub100, want: sigstore100, keys: notYet, err: provenance.ErrUnknownKey},
		{name: "publish-key-unknown", bundle: pub100, want: sigstore100, keys: onlyNew, err: provenance.ErrUnknownKey},
		{
			name: "slsa-signed-by-key",
			bundle: editStatement(t, pub130, func(s map[string]any) {
				s["predicateType"] = provenance.PredicateSLSAv02
			}),
			want: sigstore130, err: provenance.ErrSignature,
		},
		// A publish statement signed by a Fulcio certificate is not npm's.
		{name: "publish-signed-by-certificate", bundle: fixture(t, "sigstore-js-bundleV03-dsse.json"), want: sigstore100, err: provenance.ErrSignature},
		// npm's crafted negative fixtures (libnpmpublish), past the identity
		// policy so that each reaches its own check.
		{name: "libnpmpublish-invalid-signature", bundle: fixture(t, "libnpmpublish-invalid-signature-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrSignature},
		{name: "libnpmpublish-digest-mismatch", bundle: fixture(t, "libnpmpublish-digest-mismatch-provenance-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrDigestMismatch},
		{name: "libnpmpublish-bad-dsse-payload", bundle: fixture(t, "libnpmpublish-bad-dsse-payload-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrMalformed},
		{name: "libnpmpublish-multi-subject", bundle: fixture(t, "libnpmpublish-multi-subject-provenance-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrSubjectMismatch},
		{name: "libnpmpublish-no-envelope", bundle: fixture(t, "libnpmpublish-no-provenance-envelope-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrMalformed},
		{name: "libnpmpublish-no-subject", bundle: fixture(t, "libnpmpublish-no-provenance-subject-bundle.json"), want: libnpmTest, unsafe: true, err: provenance.ErrSubjectMismatch},
		// And with the full policy: still a clean error.
		{name: "libnpmpublish-invalid-signature-default", bundle: fixture(t, "libnpmpublish-invalid-signature-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		{name: "libnpmpublish-digest-mismatch-default", bundle: fixture(t, "libnpmpublish-digest-mismatch-provenance-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		{name: "libnpmpublish-bad-dsse-payload-default", bundle: fixture(t, "libnpmpublish-bad-dsse-payload-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		{name: "libnpmpublish-multi-subject-default", bundle: fixture(t, "libnpmpublish-multi-subject-provenance-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		{name: "libnpmpublish-no-envelope-default", bundle: fixture(t, "libnpmpublish-no-provenance-envelope-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		{name: "libnpmpublish-no-subject-default", bundle: fixture(t, "libnpmpublish-no-provenance-subject-bundle.json"), want: libnpmTest, err: provenance.ErrInvalid},
		// Nil, empty and garbage input.
		{name: "nil", bundle: nil, want: sigstore130, err: provenance.ErrMalformed},
		{name: "empty", bundle: []byte{}, want: sigstore130, err: provenance.ErrMalformed},
		{name: "json-null", bundle: []byte("null"), want: sigstore130, err: provenance.ErrMalformed},
		{name: "json-empty-object", bundle: []byte("{}"), want: sigstore130, err: provenance.ErrMalformed},
		{name: "json-array", bundle: []byte("[]"), want: sigstore130, err: provenance.ErrMalformed},
		{name: "garbage", bundle: []byte("\x00\xffnot json"), want: sigstore130, err: provenance.ErrMalformed},
		{name: "truncated", bundle: prov130[:len(prov130)/2], want: sigstore130, err: provenance.ErrMalformed},
		{name: "too-large", bundle: []byte("{" + strings.Repeat(" ", provenance.MaxResponseSize) + "}"), want: sigstore130, err: provenance.ErrMalformed},
		{
			name: "no-verification-material",
			bundle: mutateJSON(t, prov130, func(m map[string]any) {
				delete(m, "verificationMaterial")
			}),
			want: sigstore130, err: provenance.ErrMalformed,
		},
		{
			name: "no-tlog-entries",
			bundle: mutateJSON(t, prov130, func(m map[string]any) {
				delete(obj(m, "verificationMaterial"), "tlogEntries")
			}),
			want: sigstore130, err: provenance.ErrSignature,
		},
		{
			name: "legacy-layout-conflict",
			bundle: mutateJSON(t, fixture(t, "libnpmpublish-valid-bundle.json"), func(m map[string]any) {
				obj(m, "verificationMaterial")["tlogEntries"] = []any{}
			}),
			want: libnpmTest, unsafe: true, err: provenance.ErrMalformed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := defaultVerifier(t)
			if tt.keys != nil || tt.unsafe {
				var opts []provenance.Option
				if tt.unsafe {
					opts = append(opts, provenance.WithoutIdentityUnsafe())
				}
				v = newVerifier(t, tt.keys, opts...)
			}
			got, err := v.VerifyBundle(tt.bundle, tt.want)
			t.Log(err)
			if !errors.Is(err, tt.err) {
				t.Fatalf("VerifyBundle(%s) error = %v, want errors.Is %v", tt.want, err, tt.err)
			}
			if !errors.Is(err, provenance.ErrInvalid) {
				t.Errorf("VerifyBundle(%s) error = %v, want it under ErrInvalid", tt.want, err)
			}
			if diff := cmp.Diff(provenance.Result{}, got); diff != "" {
				t.Errorf("VerifyBundle(%s) returned a result with its error (-want +got):\n%s", tt.want, diff)
			}
		})
	}
}

func TestVerifyAttestationsFails(t *testing.T) {
	resp := fixture(t, "attestations-sigstore@1.0.0.json")
	prov := bundleOf(t, resp, provenance.PredicateSLSAv02)
	pub := bundleOf(t, resp, provenance.PredicatePublish)
	tests := []struct {
		name     string
		response []byte
		want     provenance.Subject
		err      error
	}{
		{name: "nil", response: nil, want: sigstore100, err: provenance.ErrMalformed},
		{name: "empty", response: []byte(""), want: sigstore100, err: provenance.ErrMalformed},
		{name: "json-null", response: []byte("null"), want: sigstore100, err: provenance.ErrMalformed},
		{name: "garbage", response: []byte("<html>502</html>"), want: sigstore100, err: provenance.ErrMalformed},
		{name: "wrong-shape", response: []byte(`{"attestations":{"x":1}}`), want: sigstore100, err: provenance.ErrMalformed},
		{name: "empty-object", response: []byte("{}"), want: sigstore100, err: provenance.ErrNoAttestation},
		{name: "empty-list", response: []byte(`{"attestations":[]}`), want: sigstore100, err: provenance.ErrNoAttestation},
		{name: "only-unknown-type", response: response(t, "https://example.com/other/v1", prov), want: sigstore100, err: provenance.ErrNoAttestation},
		{name: "null-bundle", response: []byte(`{"attestations":[{"predicateType":"https://slsa.dev/provenance/v0.2","bundle":null}]}`), want: sigstore100, err: provenance.ErrMalformed},
		{name: "missing-bundle", response: []byte(`{"attestations":[{"predicateType":"https://slsa.dev/provenance/v0.2"}]}`), want: sigstore100, err: provenance.ErrMalformed},
		{name: "declared-type-differs", response: response(t, provenance.PredicateSLSAv02, pub), want: sigstore100, err: provenance.ErrSubjectMismatch},
		{name: "duplicate-provenance", response: response(t, provenance.PredicateSLSAv02, prov, provenance.PredicateSLSAv02, prov), want: sigstore100, err: provenance.ErrMalformed},
		{name: "one-broken-of-two", response: response(t, provenance.PredicateSLSAv02, prov, provenance.PredicatePublish, flipSignature(t, pub)), want: sigstore100, err: provenance.ErrSignature},
		{name: "other-package", response: resp, want: tufJS100, err: provenance.ErrSubjectMismatch},
		{name: "lockfile-integrity-differs", response: resp, want: withIntegrity(sigstore100, integrityTufJS100), err: provenance.ErrDigestMismatch},
		{name: "identity-other-repository", response: resp, want: withRepo(sigstore100, "https://github.com/theupdateframework/tuf-js"), err: provenance.ErrIdentity},
	}
	v := defaultVerifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.VerifyAttestations(tt.response, tt.want)
			t.Log(err)
			if !errors.Is(err, tt.err) {
				t.Fatalf("VerifyAttestations(%s) error = %v, want errors.Is %v", tt.want, err, tt.err)
			}
			if diff := cmp.Diff(provenance.Result{}, got); diff != "" {
				t.Errorf("VerifyAttestations(%s) returned a result with its error (-want +got):\n%s", tt.want, diff)
			}
		})
	}
}

func TestVerifyAttestationsIgnoresUnknownTypes(t *testing.T) {
	resp := fixture(t, "attestations-sigstore@1.0.0.json")
	pub := bundleOf(t, resp, provenance.PredicatePublish)
	got, err := defaultVerifier(t).VerifyAttestations(response(t, "https://example.com/future/v1", []byte(`"opaque"`), provenance.PredicatePublish, pub), sigstore100)
	if err != nil {
		t.Fatal(err)
	}
	want := provenance.Result{Publish: &provenance.Publish{KeyID: keyJl3bw, IntegratedTime: utc("2023-02-09T17:56:02Z")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("VerifyAttestations diff (-want +got):\n%s", diff)
	}
}

func TestNilVerifier(t *testing.T) {
	var v *provenance.Verifier
	if _, err := v.VerifyAttestations(nil, sigstore100); err == nil {
		t.Error("VerifyAttestations on a nil Verifier: no error")
	}
	if _, err := v.VerifyBundle(nil, sigstore100); err == nil {
		t.Error("VerifyBundle on a nil Verifier: no error")
	}
	if _, err := v.VerifySignatures(nil, sigstore100, utc("2023-01-01T00:00:00Z")); err == nil {
		t.Error("VerifySignatures on a nil Verifier: no error")
	}
}

func withRepo(s provenance.Subject, repo string) provenance.Subject {
	s.Repository = repo
	return s
}

func withIntegrity(s provenance.Subject, integrity string) provenance.Subject {
	s.Integrity = integrity
	return s
}

// setWindow returns keys with keyID's attestation window replaced.
func setWindow(t *testing.T, keys []provenance.Key, keyID string, notBefore, notAfter time.Time) []provenance.Key {
	t.Helper()
	out := append([]provenance.Key(nil), keys...)
	found := false
	for i, k := range out {
		if k.KeyID == keyID && k.Usage == provenance.UsageAttestations {
			out[i].NotBefore, out[i].NotAfter = notBefore, notAfter
			found = true
		}
	}
	if !found {
		t.Fatalf("no attestation key %s", keyID)
	}
	return out
}

// A Verifier is shared by the review's workers.
func TestVerifierConcurrent(t *testing.T) {
	v := defaultVerifier(t)
	resp := fixture(t, "attestations-sigstore@1.0.0.json")
	bad := fixture(t, "libnpmpublish-invalid-signature-bundle.json")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := v.VerifyAttestations(resp, sigstore100); err != nil {
				t.Errorf("VerifyAttestations: %v", err)
			}
			if _, err := v.VerifyBundle(bad, libnpmTest); !errors.Is(err, provenance.ErrInvalid) {
				t.Errorf("VerifyBundle(invalid signature) error = %v", err)
			}
		})
	}
	wg.Wait()
}
