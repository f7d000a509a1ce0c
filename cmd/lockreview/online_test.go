package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/registry/registrytest"
)

// TestMain points the online commands at a closed loopback port unless a test
// sets its own registry, so no test can reach the internet by accident.
func TestMain(m *testing.M) {
	os.Setenv(envRegistryURL, "http://127.0.0.1:1")
	os.Unsetenv(envRegistryToken)
	os.Unsetenv(envRegistryTokenFile)
	os.Exit(m.Run())
}

func onlineFixture(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "pkg", "review", "testdata", "online"}, parts...)...)
}

func TestDiffOnline(t *testing.T) {
	srv := registrytest.NewServer(t)
	code, stdout, stderr := runCLI(t, "diff", "--registry", srv.URL(), "--fail-on", "high", "--base", onlineFixture("base.json"), "--head", onlineFixture("head.json"))
	if code != exitFindings || !strings.Contains(stdout, "publisher-changed") || !strings.Contains(stdout, "maintainers-changed") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant 1 with publisher and maintainer findings", code, stdout, stderr)
	}
	// The same through the environment variable.
	t.Setenv(envRegistryURL, srv.URL())
	if code, stdout, _ := runCLI(t, "diff", "--base", onlineFixture("base.json"), "--head", onlineFixture("head-tampered.json")); code != exitFindings || !strings.Contains(stdout, "signature-invalid") {
		t.Errorf("tampered integrity: exit %d, stdout %s", code, stdout)
	}
}

func TestDiffOnlineRegistryDown(t *testing.T) {
	// The default registry in tests is a closed port: every lookup fails, the
	// review is incomplete, and it says so instead of passing silently.
	code, stdout, stderr := runCLI(t, "diff", "--registry-timeout", "2s", "--base", onlineFixture("base.json"), "--head", onlineFixture("head.json"))
	if code != exitOK || !strings.Contains(stderr, "registry metadata not available") || !strings.Contains(stdout, "metadata-unavailable") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant an incomplete review reported on stderr", code, stdout, stderr)
	}
	// Under a fail-closed policy, an incomplete review fails.
	pol := filepath.Join(t.TempDir(), "lockreview.yml")
	os.WriteFile(pol, []byte("version: 1\nfail-closed: true\n"), 0o600)
	if code, _, _ := runCLI(t, "diff", "--policy", pol, "--base", onlineFixture("base.json"), "--head", onlineFixture("head.json")); code != exitFindings {
		t.Errorf("fail-closed incomplete review: exit %d, want 1", code)
	}
}

func TestRegistryToken(t *testing.T) {
	var auth []string
	srv := registrytest.NewServer(t, registrytest.WithHandler("/has-package-exports/1.2.3", func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		http.NotFound(w, r)
	}))
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("s3cret-token\n"), 0o600)
	t.Setenv(envRegistryTokenFile, tokenFile)
	_, stdout, stderr := runCLI(t, "verify", "has-package-exports@1.2.3", "--registry", srv.URL())
	if len(auth) != 1 || auth[0] != "Bearer s3cret-token" {
		t.Errorf("Authorization headers = %q, want the token from the file", auth)
	}
	if strings.Contains(stdout+stderr, "s3cret") {
		t.Errorf("the token appears in the output:\n%s\n%s", stdout, stderr)
	}
	t.Setenv(envRegistryTokenFile, filepath.Join(t.TempDir(), "missing"))
	if code, _, stderr := runCLI(t, "verify", "x@1.0.0", "--registry", srv.URL()); code != exitUsage || !strings.Contains(stderr, "registry token file") {
		t.Errorf("missing token file: exit %d, stderr %q", code, stderr)
	}
}

func TestVerify(t *testing.T) {
	const integrity = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="
	srv := registrytest.NewServer(t,
		registrytest.WithHandler("/sigstore/1.0.0", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"name":"sigstore","version":"1.0.0","repository":"github:sigstore/sigstore-js","dist":{"integrity":%q,"attestations":{"url":"x","provenance":{"predicateType":"https://slsa.dev/provenance/v0.2"}}}}`, integrity)
		}),
		registrytest.WithHandler("/sigstore", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"name":"sigstore","time":{"1.0.0":"2023-01-12T00:00:00Z"}}`)
		}))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"provenance-verified", []string{"verify", "sigstore@1.0.0", "--registry", srv.URL()}, exitOK, "provenance:  verified: built from https://github.com/sigstore/sigstore-js"},
		{"lockfile-integrity-matches", []string{"verify", "sigstore@1.0.0", "--integrity", integrity, "--registry", srv.URL()}, exitOK, "sigstore@1.0.0: verified"},
		{"lockfile-integrity-differs", []string{"verify", "sigstore@1.0.0", "--integrity", "sha512-" + strings.Repeat("A", 86) + "==", "--registry", srv.URL()}, exitFindings, "INVALID"},
		{"signatures-verified-no-provenance", []string{"verify", "has-package-exports@1.2.3", "--registry", srv.URL()}, exitFindings, "signatures:  verified (key SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA)"},
		{"tuf-unreachable-falls-back-to-embedded-root", []string{"verify", "sigstore@1.0.0", "--registry", srv.URL(), "--tuf-mirror", "http://127.0.0.1:1", "--data-dir", t.TempDir()}, exitOK, "sigstore@1.0.0: verified"},
		{"scoped-bad-spec", []string{"verify", "@scope/name"}, exitUsage, ""},
		{"unknown-version", []string{"verify", "express@99.0.0", "--registry", srv.URL()}, exitUsage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) {
				t.Errorf("run(%q) = %d\nstdout: %s\nstderr: %s\nwant %d and stdout containing %q", tc.args, code, stdout, stderr, tc.code, tc.stdout)
			}
		})
	}
}

func TestSplitSpec(t *testing.T) {
	for spec, want := range map[string][2]string{
		"lodash@4.17.21":         {"lodash", "4.17.21"},
		"@sigstore/bundle@2.0.0": {"@sigstore/bundle", "2.0.0"},
		"@scope/name":            {"", ""},
		"lodash":                 {"", ""},
		"lodash@":                {"", ""},
	} {
		n, v, _ := splitSpec(spec)
		if n != want[0] || v != want[1] {
			t.Errorf("splitSpec(%q) = %q, %q; want %q, %q", spec, n, v, want[0], want[1])
		}
	}
}
