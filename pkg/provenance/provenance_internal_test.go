package provenance

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	in_toto "github.com/in-toto/attestation/go/v1"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestNormalizeRepository(t *testing.T) {
	tests := map[string]string{
		"https://github.com/o/r":                          "https://github.com/o/r",
		"git+https://github.com/o/r.git":                  "https://github.com/o/r",
		"git://github.com/o/r.git":                        "https://github.com/o/r",
		"git+ssh://git@github.com/o/r.git":                "https://github.com/o/r",
		"ssh://git@github.com:22/o/r.git":                 "https://github.com/o/r",
		"git@github.com:o/r.git":                          "https://github.com/o/r",
		"github:o/r":                                      "https://github.com/o/r",
		"o/r":                                             "https://github.com/o/r",
		"  https://www.GitHub.com/o/r/  ":                 "https://github.com/o/r",
		"https://github.com/o/r/tree/main/packages/x":     "https://github.com/o/r",
		"https://github.com/o/r#readme":                   "https://github.com/o/r",
		"gitlab:g/sub/p":                                  "https://gitlab.com/g/sub/p",
		"git+https://gitlab.com/g/sub/p.git":              "https://gitlab.com/g/sub/p",
		"https://gitlab.com/g/sub/p/-/tree/main/packages": "https://gitlab.com/g/sub/p",
		"bitbucket:o/r":                                   "https://bitbucket.org/o/r",
	}
	for in, want := range tests {
		got, err := normalizeRepository(in)
		if err != nil || got != want {
			t.Errorf("normalizeRepository(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", "file:../x", "https://github.com/", "https://github.com/o", "not a url at all", "ftp://github.com/o/r", "javascript:alert(1)"} {
		if got, err := normalizeRepository(bad); err == nil {
			t.Errorf("normalizeRepository(%q) = %q, want an error", bad, got)
		}
	}
}

func TestSHA512Digests(t *testing.T) {
	const b64 = "e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="
	const hexd = "7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36"
	tests := []struct {
		in   string
		want []string
	}{
		{in: "sha512-" + b64, want: []string{hexd}},
		{in: "sha512-" + b64[:86], want: []string{hexd}},
		{in: "SHA512-" + b64 + "?foo", want: []string{hexd}},
		{in: "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= sha512-" + b64, want: []string{hexd}},
		{in: "sha512-" + b64 + "\tsha512-" + b64, want: []string{hexd, hexd}},
	}
	for _, tt := range tests {
		got, err := sha512Digests(tt.in)
		if err != nil {
			t.Errorf("sha512Digests(%q) error: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("sha512Digests(%q) diff (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"", "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=", "sha512-", "sha512-AAAA", "sha512-%%%", "sha256-" + b64, b64} {
		if got, err := sha512Digests(bad); !errors.Is(err, ErrDigestMismatch) {
			t.Errorf("sha512Digests(%q) = %v, %v; want ErrDigestMismatch", bad, got, err)
		}
	}
}

const (
	gh = "https://token.actions.githubusercontent.com"
	gl = "https://gitlab.com"
)

func TestIdentities(t *testing.T) {
	modern := certificate.Summary{
		SubjectAlternativeName: "https://github.com/o/r/.github/workflows/release.yml@refs/heads/main",
		Extensions:             certificate.Extensions{Issuer: gh, SourceRepositoryURI: "https://github.com/o/r", GithubWorkflowRepository: "o/r"},
	}
	// Certificates before the source repository extensions (early 2023).
	old := certificate.Summary{
		SubjectAlternativeName: "https://github.com/o/r/.github/workflows/publish.yml@refs/tags/v1.0.0",
		Extensions:             certificate.Extensions{Issuer: gh, GithubWorkflowRepository: "o/r"},
	}
	// A reusable workflow in another repository signs for o/r: the SAN is
	// the reusable workflow, the source repository is o/r.
	reusable := certificate.Summary{
		SubjectAlternativeName: "https://github.com/shared/workflows/.github/workflows/npm.yml@refs/tags/v2",
		Extensions:             certificate.Extensions{Issuer: gh, SourceRepositoryURI: "https://github.com/o/r", GithubWorkflowRepository: "o/r"},
	}
	gitlab := certificate.Summary{
		SubjectAlternativeName: "https://gitlab.com/g/sub/p//.gitlab-ci.yml@refs/heads/main",
		Extensions:             certificate.Extensions{Issuer: gl, SourceRepositoryURI: "https://gitlab.com/g/sub/p"},
	}
	mixedCase := modern
	mixedCase.SourceRepositoryURI, mixedCase.GithubWorkflowRepository = "https://github.com/O/R", "O/R"
	email := certificate.Summary{SubjectAlternativeName: "someone@example.com", Extensions: certificate.Extensions{Issuer: "https://github.com/login/oauth"}}
	foreignIssuer := modern
	foreignIssuer.Issuer = "https://oidc.example.com"
	sanOnGitLab := modern
	sanOnGitLab.SubjectAlternativeName = "https://gitlab.com/o/r//.gitlab-ci.yml@refs/heads/main"
	otherRepo := modern
	otherRepo.SourceRepositoryURI, otherRepo.GithubWorkflowRepository = "https://github.com/evil/r", "evil/r"

	tests := []struct {
		name string
		cert certificate.Summary
		repo string
		ok   bool
	}{
		{name: "modern-no-repo", cert: modern, ok: true},
		{name: "modern-repo", cert: modern, repo: "git+https://github.com/o/r.git", ok: true},
		{name: "old-repo", cert: old, repo: "https://github.com/o/r", ok: true},
		{name: "reusable-workflow-repo", cert: reusable, repo: "https://github.com/o/r", ok: true},
		{name: "gitlab-no-repo", cert: gitlab, ok: true},
		{name: "gitlab-repo", cert: gitlab, repo: "git+https://gitlab.com/g/sub/p.git", ok: true},
		{name: "case-differs", cert: mixedCase, repo: "https://github.com/o/r", ok: true},
		{name: "other-repo", cert: otherRepo, repo: "https://github.com/o/r"},
		{name: "old-other-repo", cert: old, repo: "https://github.com/o/other"},
		{name: "gitlab-cert-github-repo", cert: gitlab, repo: "https://github.com/g/sub"},
		{name: "email-identity", cert: email},
		{name: "foreign-issuer", cert: foreignIssuer},
		{name: "github-issuer-gitlab-san", cert: sanOnGitLab},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := identities(tt.repo, &tt.cert)
			if err != nil {
				t.Fatalf("identities(%q) error: %v", tt.repo, err)
			}
			_, err = ids.Verify(tt.cert)
			if got := err == nil; got != tt.ok {
				t.Errorf("identities(%q).Verify(%+v) ok = %v (%v), want %v", tt.repo, tt.cert, got, err, tt.ok)
			}
		})
	}
}

func TestNewSLSA(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	v1Predicate, err := structpb.NewStruct(map[string]any{
		"buildDefinition": map[string]any{"buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"},
		"runDetails": map[string]any{
			"builder":  map[string]any{"id": "https://github.com/actions/runner/github-hosted"},
			"metadata": map[string]any{"invocationId": "https://github.com/o/r/actions/runs/42/attempts/1"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	gitlabPredicate, err := structpb.NewStruct(map[string]any{
		"runDetails": map[string]any{
			"builder":  map[string]any{"id": "https://gitlab.com/g/p/-/runners/12345"},
			"metadata": map[string]any{"invocationId": "https://evil.example.com/jobs/1"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cert certificate.Summary
		stmt *in_toto.Statement
		want *SLSA
	}{
		{
			name: "github-slsa-v1-reusable-workflow",
			cert: certificate.Summary{
				SubjectAlternativeName: "https://github.com/shared/wf/.github/workflows/npm.yml@refs/tags/v2",
				Extensions: certificate.Extensions{
					Issuer: gh, SourceRepositoryURI: "https://github.com/o/r", SourceRepositoryRef: "refs/tags/v1.2.3",
					SourceRepositoryDigest: "abc", BuildConfigURI: "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.2.3",
				},
			},
			stmt: &in_toto.Statement{PredicateType: PredicateSLSAv1, Predicate: v1Predicate},
			want: &SLSA{
				SourceRepository: "https://github.com/o/r", SourceRef: "refs/tags/v1.2.3", SourceCommit: "abc",
				BuildConfig: ".github/workflows/release.yml", Issuer: gh,
				RunURL:    "https://github.com/o/r/actions/runs/42/attempts/1",
				BuilderID: "https://github.com/actions/runner/github-hosted", IntegratedTime: at,
			},
		},
		{
			name: "gitlab-slsa-v1",
			cert: certificate.Summary{
				SubjectAlternativeName: "https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main",
				Extensions: certificate.Extensions{
					Issuer: gl, SourceRepositoryURI: "https://gitlab.com/g/p", SourceRepositoryRef: "refs/heads/main",
					SourceRepositoryDigest: "def", BuildConfigURI: "https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main",
					RunInvocationURI: "https://gitlab.com/g/p/-/jobs/7",
				},
			},
			stmt: &in_toto.Statement{PredicateType: PredicateSLSAv1, Predicate: gitlabPredicate},
			want: &SLSA{
				SourceRepository: "https://gitlab.com/g/p", SourceRef: "refs/heads/main", SourceCommit: "def",
				BuildConfig: ".gitlab-ci.yml", Issuer: gl, RunURL: "https://gitlab.com/g/p/-/jobs/7",
				BuilderID: "https://gitlab.com/g/p/-/runners/12345", IntegratedTime: at,
			},
		},
		{
			// The predicate's run link is dropped when it points elsewhere.
			name: "predicate-run-url-other-site",
			cert: certificate.Summary{
				SubjectAlternativeName: "https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main",
				Extensions:             certificate.Extensions{Issuer: gl, SourceRepositoryURI: "https://gitlab.com/g/p"},
			},
			stmt: &in_toto.Statement{PredicateType: PredicateSLSAv1, Predicate: gitlabPredicate},
			want: &SLSA{
				SourceRepository: "https://gitlab.com/g/p", BuildConfig: ".gitlab-ci.yml", Issuer: gl,
				BuilderID: "https://gitlab.com/g/p/-/runners/12345", IntegratedTime: at,
			},
		},
		{
			name: "no-predicate",
			cert: certificate.Summary{SubjectAlternativeName: "x@example.com", Extensions: certificate.Extensions{Issuer: "https://accounts.google.com"}},
			stmt: &in_toto.Statement{PredicateType: PredicateSLSAv02},
			want: &SLSA{Issuer: "https://accounts.google.com", IntegratedTime: at},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newSLSA(tt.cert, tt.stmt, at)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("newSLSA() diff (-want +got):\n%s", diff)
			}
		})
	}
}
