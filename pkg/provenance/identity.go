package provenance

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// ciProvider is a CI system whose OIDC tokens npm accepts for provenance.
type ciProvider struct {
	name   string
	issuer string
	// san matches the certificate's Subject Alternative Name: the URI of the
	// workflow (GitHub) or pipeline config (GitLab) that signed.
	san string
	// host is the forge whose repositories the provider builds.
	host string
}

// ciProviders are the issuers a SLSA provenance certificate may come from.
// npm generates provenance only on these ("Automatic provenance generation
// not supported for provider" otherwise, libnpmpublish publish.js), so a
// certificate from any other issuer (an email identity, say) did not come
// from an npm provenance publish.
var ciProviders = []ciProvider{
	{name: "GitHub Actions", issuer: "https://token.actions.githubusercontent.com", san: `^https://github\.com/`, host: "github.com"},
	{name: "GitLab CI/CD", issuer: "https://gitlab.com", san: `^https://gitlab\.com/`, host: "gitlab.com"},
}

// identityPolicy returns the sigstore-go identity options for a SLSA
// provenance certificate: the issuer must be a known CI provider and, when
// wantRepo is set, the certificate's Source Repository URI extension
// (OID 1.3.6.1.4.1.57264.1.12) must name that repository. The SAN alone is
// not enough: it names the workflow that signed, which for a reusable
// workflow lives in another repository than the source that was built.
//
// Certificates issued before Fulcio added the source repository extensions
// (early 2023) carry only the deprecated GitHub Workflow Repository
// extension (OID 1.3.6.1.4.1.57264.1.5, "owner/repo"); both are filled by
// Fulcio from the same `repository` claim of the GitHub token, so either may
// pin the repository.
//
// unverified is the summary of the bundle's certificate before
// verification. It is only used to pick the spelling of the pinned value
// among case variants of the same repository (GitHub and GitLab paths are
// case-insensitive; sigstore-go compares extensions exactly): the pinned
// value is still checked by sigstore-go against the verified certificate.
func identityPolicy(wantRepo string, unverified *certificate.Summary) ([]verify.PolicyOption, error) {
	ids, err := identities(wantRepo, unverified)
	if err != nil {
		return nil, err
	}
	opts := make([]verify.PolicyOption, len(ids))
	for i, id := range ids {
		opts[i] = verify.WithCertificateIdentity(id)
	}
	return opts, nil
}

// identities returns the certificate identities of identityPolicy; a
// certificate is accepted when it matches any of them.
func identities(wantRepo string, unverified *certificate.Summary) (verify.CertificateIdentities, error) {
	var repo string
	if wantRepo != "" {
		var err error
		if repo, err = normalizeRepository(wantRepo); err != nil {
			return nil, fmt.Errorf("%w: package repository %q: %w", ErrIdentity, truncate(wantRepo, 200), err)
		}
	}
	var ids verify.CertificateIdentities
	for _, p := range ciProviders {
		san, err := verify.NewSANMatcher("", p.san)
		if err != nil {
			return nil, err
		}
		issuer, err := verify.NewIssuerMatcher(p.issuer, "")
		if err != nil {
			return nil, err
		}
		var pins []certificate.Extensions
		switch {
		case repo == "":
			pins = append(pins, certificate.Extensions{})
		case hostOf(repo) != p.host:
			continue // this provider cannot have built that repository
		default:
			uri := repo
			if unverified != nil && strings.EqualFold(unverified.SourceRepositoryURI, repo) {
				uri = unverified.SourceRepositoryURI
			}
			pins = append(pins, certificate.Extensions{SourceRepositoryURI: uri})
			if p.host == "github.com" {
				ownerRepo := strings.TrimPrefix(repo, "https://github.com/")
				if unverified != nil && strings.EqualFold(unverified.GithubWorkflowRepository, ownerRepo) {
					ownerRepo = unverified.GithubWorkflowRepository
				}
				pins = append(pins, certificate.Extensions{GithubWorkflowRepository: ownerRepo})
			}
		}
		for _, ext := range pins {
			id, err := verify.NewCertificateIdentity(san, issuer, ext)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: package repository %q is not on a forge whose CI npm accepts for provenance (GitHub, GitLab)", ErrIdentity, repo)
	}
	return ids, nil
}

func hostOf(repoURL string) string {
	u, err := url.Parse(repoURL)
	if err != nil {
		return ""
	}
	return u.Host
}

var (
	scpLike   = regexp.MustCompile(`^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$`)
	shorthand = regexp.MustCompile(`^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$`)
)

// normalizeRepository turns a package.json repository URL into the
// "https://host/path" form Fulcio writes in the Source Repository URI
// extension. It understands what npm's hosted-git-info accepts for the
// forges that matter here: "git+https://github.com/o/r.git",
// "git://github.com/o/r", "git+ssh://git@github.com/o/r.git",
// "git@github.com:o/r.git", "github:o/r", "gitlab:g/p", the bare "o/r"
// shorthand (GitHub), and browser URLs into the tree
// ("https://github.com/o/r/tree/main/packages/x").
func normalizeRepository(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("empty URL")
	}
	switch {
	case strings.HasPrefix(s, "github:"):
		s = "https://github.com/" + strings.TrimPrefix(s, "github:")
	case strings.HasPrefix(s, "gitlab:"):
		s = "https://gitlab.com/" + strings.TrimPrefix(s, "gitlab:")
	case strings.HasPrefix(s, "bitbucket:"):
		s = "https://bitbucket.org/" + strings.TrimPrefix(s, "bitbucket:")
	case shorthand.MatchString(s):
		s = "https://github.com/" + s
	}
	s = strings.TrimPrefix(s, "git+")
	if m := scpLike.FindStringSubmatch(s); m != nil && !strings.Contains(s, "://") {
		s = "https://" + m[1] + "/" + m[2]
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "https", "http", "git", "ssh":
	default:
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if host == "" {
		return "", fmt.Errorf("no host")
	}
	path := strings.Trim(u.Path, "/")
	switch host {
	case "github.com":
		// Only owner/repo: anything after is a view into the tree.
		if parts := strings.SplitN(path, "/", 3); len(parts) >= 2 {
			path = parts[0] + "/" + parts[1]
		}
	case "gitlab.com":
		// GitLab groups nest; "/-/" starts a view into the project.
		path, _, _ = strings.Cut(path, "/-/")
	}
	path = strings.TrimSuffix(strings.TrimSuffix(path, "/"), ".git")
	if path == "" || strings.Count(path, "/") < 1 {
		return "", fmt.Errorf("no owner/repository path")
	}
	return "https://" + host + "/" + path, nil
}

// describeIdentity explains an identity mismatch in the terms of the policy.
func describeIdentity(cert *certificate.Summary, wantRepo string) string {
	want := "a certificate from GitHub Actions or GitLab CI/CD"
	if wantRepo != "" {
		want += fmt.Sprintf(" for repository %q", truncate(wantRepo, 200))
	}
	if cert == nil {
		return "want " + want
	}
	repo := first(cert.SourceRepositoryURI, prefixed("https://github.com/", cert.GithubWorkflowRepository))
	return fmt.Sprintf("certificate issued by %q to %q for source repository %q, want %s", cert.Issuer, truncate(cert.SubjectAlternativeName, 200), truncate(repo, 200), want)
}
