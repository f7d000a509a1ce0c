package provenance

import (
	"strings"
	"time"

	in_toto "github.com/in-toto/attestation/go/v1"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
)

// Predicate types lockreview verifies.
const (
	// PredicateSLSAv1 is SLSA provenance v1, what npm writes since npm 11
	// (and for GitLab).
	PredicateSLSAv1 = "https://slsa.dev/provenance/v1"
	// PredicateSLSAv02 is SLSA provenance v0.2, what npm 9 and 10 wrote.
	PredicateSLSAv02 = "https://slsa.dev/provenance/v0.2"
	// PredicatePublish is npm's publish attestation, signed by the registry.
	PredicatePublish = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"
)

// SLSA is a verified SLSA provenance attestation. The source and build
// fields come from the Fulcio certificate, whose extensions Fulcio copied
// from the CI provider's OIDC token; only BuilderID (and RunURL for
// certificates older than the Run Invocation URI extension) come from the
// signed predicate, which the build itself wrote.
type SLSA struct {
	// SourceRepository is the repository that was built
	// ("https://github.com/sigstore/sigstore-js").
	SourceRepository string
	// SourceRef is the git ref that was built ("refs/tags/v1.0.0").
	SourceRef string
	// SourceCommit is the commit that was built.
	SourceCommit string
	// BuildConfig is the path of the top-level workflow or pipeline config
	// in SourceRepository (".github/workflows/release.yml").
	BuildConfig string
	// Issuer is the OIDC issuer of the signing certificate
	// ("https://token.actions.githubusercontent.com").
	Issuer string
	// RunURL links to the CI run that built the package, when known.
	RunURL string
	// BuilderID is the predicate's builder id
	// ("https://github.com/actions/runner/github-hosted").
	BuilderID string
	// IntegratedTime is when the transparency log recorded the attestation;
	// the certificate was checked at this time.
	IntegratedTime time.Time
}

// Publish is a verified npm publish attestation: the registry's statement
// that it published this tarball.
type Publish struct {
	// KeyID is the npm key that signed it.
	KeyID string
	// IntegratedTime is when the transparency log recorded the attestation;
	// the key was checked to be valid at this time.
	IntegratedTime time.Time
}

// newSLSA builds the result from a verified certificate summary and statement.
func newSLSA(cert certificate.Summary, stmt *in_toto.Statement, integrated time.Time) *SLSA {
	s := &SLSA{
		SourceRepository: first(cert.SourceRepositoryURI, prefixed("https://github.com/", cert.GithubWorkflowRepository)),
		SourceRef:        first(cert.SourceRepositoryRef, cert.GithubWorkflowRef),
		SourceCommit:     first(cert.SourceRepositoryDigest, cert.GithubWorkflowSHA),
		Issuer:           cert.Issuer,
		RunURL:           cert.RunInvocationURI,
		IntegratedTime:   integrated,
	}
	// The Build Config URI extension names the top-level workflow; older
	// certificates only have the SAN, the workflow that signed (the same
	// unless a reusable workflow signed). Email SANs name no workflow.
	if cfg := cert.BuildConfigURI; cfg != "" {
		s.BuildConfig = workflowPath(cfg, s.SourceRepository)
	} else if strings.HasPrefix(cert.SubjectAlternativeName, "https://") {
		s.BuildConfig = workflowPath(cert.SubjectAlternativeName, s.SourceRepository)
	}

	pred := map[string]any{}
	if stmt.GetPredicate() != nil {
		pred = stmt.GetPredicate().AsMap()
	}
	switch stmt.GetPredicateType() {
	case PredicateSLSAv1:
		s.BuilderID = str(pred, "runDetails", "builder", "id")
		if s.RunURL == "" {
			s.RunURL = sameRepoURL(str(pred, "runDetails", "metadata", "invocationId"), s.SourceRepository)
		}
	case PredicateSLSAv02:
		s.BuilderID = str(pred, "builder", "id")
		if s.RunURL == "" && s.SourceRepository != "" {
			// npm 9 wrote GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT; the link is
			// only built when the predicate's repository is the verified one.
			env := []string{"invocation", "environment"}
			repo := str(pred, append(env, "GITHUB_REPOSITORY")...)
			id := str(pred, append(env, "GITHUB_RUN_ID")...)
			attempt := str(pred, append(env, "GITHUB_RUN_ATTEMPT")...)
			if repo != "" && id != "" && attempt != "" && "https://github.com/"+repo == s.SourceRepository {
				s.RunURL = s.SourceRepository + "/actions/runs/" + id + "/attempts/" + attempt
			}
		}
	}
	return s
}

// workflowPath returns the config path of a build config URI such as
// "https://github.com/o/r/.github/workflows/release.yml@refs/heads/main" or
// "https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main".
func workflowPath(uri, repo string) string {
	if i := strings.LastIndex(uri, "@"); i > 0 {
		uri = uri[:i]
	}
	if repo != "" && strings.HasPrefix(uri, repo+"/") {
		return strings.TrimLeft(uri[len(repo)+1:], "/")
	}
	// A reusable workflow in another repository: keep the whole URI.
	return uri
}

func sameRepoURL(u, repo string) string {
	if repo != "" && strings.HasPrefix(u, repo+"/") {
		return u
	}
	return ""
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// str walks nested JSON objects and returns the string at path, or "".
func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		obj, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = obj[p]
	}
	s, _ := cur.(string)
	return s
}
