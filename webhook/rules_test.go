package webhook_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/testkit"
	"github.com/lockreview/lockreview/webhook"
)

func TestVerifySignatureDocsVector(t *testing.T) {
	data, err := os.ReadFile(testkit.Testdata(t, "webhooks/signature-test-vector.json"))
	must(t, err)
	var v struct {
		Secret  string `json:"secret"`
		Payload string `json:"payload"`
		Header  string `json:"X-Hub-Signature-256"`
	}
	must(t, json.Unmarshal(data, &v))
	if err := webhook.VerifySignature([]byte(v.Payload), v.Header, []byte(v.Secret)); err != nil {
		t.Errorf("GitHub's documented example does not verify: %v", err)
	}
	if got := webhook.Sign([]byte(v.Payload), []byte(v.Secret)); got != v.Header {
		t.Errorf("Sign = %s, want %s", got, v.Header)
	}
	for _, tc := range []struct {
		name, header, payload string
		want                  error
	}{
		{"missing", "", v.Payload, webhook.ErrSignatureMissing},
		{"payload-changed", v.Header, v.Payload + " ", webhook.ErrSignatureInvalid},
		{"uppercase-prefix", "SHA256=" + v.Header[7:], v.Payload, webhook.ErrSignatureInvalid},
		{"sha1", "sha1=" + v.Header[7:47], v.Payload, webhook.ErrSignatureInvalid},
		{"trailing-garbage", v.Header + "00", v.Payload, webhook.ErrSignatureInvalid},
	} {
		if err := webhook.VerifySignature([]byte(tc.payload), tc.header, []byte(v.Secret)); !errors.Is(err, tc.want) {
			t.Errorf("%s: VerifySignature = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestIsLockfile(t *testing.T) {
	for p, want := range map[string]bool{
		"package-lock.json":                           true,
		"npm-shrinkwrap.json":                         true,
		"packages/app/package-lock.json":              true,
		"web/ui/npm-shrinkwrap.json":                  true,
		"package.json":                                false,
		"yarn.lock":                                   false,
		"pnpm-lock.yaml":                              false,
		"node_modules/foo/package-lock.json":          false,
		"app/node_modules/foo/npm-shrinkwrap.json":    false,
		"my_node_modules/package-lock.json":           true,
		"package-lock.json.orig":                      false,
		"docs/package-lock.json/README.md":            false,
		"node_modules_backup/x/package-lock.json":     true,
		"a/b/c/d/e/f/g/h/i/j/k/l/package-lock.json":   true,
		"packages/node_modules/x/package-lock.json":   false,
		"packages/app/package-lock.JSON":              false,
		"packages/app/Package-Lock.json":              false,
		"packages/app/npm-shrinkwrap.json.disabled":   false,
		"packages/app/.package-lock.json":             false,
		"node_modules/.package-lock.json":             false,
		"packages/node_modules/.package-lock.json":    false,
		"examples/x/node_modules/y/package-lock.json": false,
	} {
		if got := webhook.IsLockfile(p); got != want {
			t.Errorf("IsLockfile(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestIsRecheck(t *testing.T) {
	for body, want := range map[string]bool{
		"/recheck":              true,
		"/RECHECK":              true,
		"  /recheck":            true,
		"\t/recheck  ":          true,
		"/recheck\r\nthanks":    true,
		"/recheck\nsecond line": true,
		"/rechecks":             false,
		"/recheck now":          false,
		"please /recheck":       false,
		"> /recheck":            false,
		"\n/recheck":            false,
		"`/recheck`":            false,
		"":                      false,
		"/re-check":             false,
	} {
		if got := webhook.IsRecheck(body); got != want {
			t.Errorf("IsRecheck(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestParseGitHubURL(t *testing.T) {
	for _, tc := range []struct {
		in, api, tokens string
	}{
		{"", "https://api.github.com/", "https://api.github.com"},
		{"https://github.com", "https://api.github.com/", "https://api.github.com"},
		{"https://api.github.com/", "https://api.github.com/", "https://api.github.com"},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"},
		{"https://ghe.example.com/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"},
		{"https://ghe.example.com:8443", "https://ghe.example.com:8443/api/v3/", "https://ghe.example.com:8443/api/v3"},
		{"https://proxy.example.com/github", "https://proxy.example.com/github/", "https://proxy.example.com/github"},
	} {
		ep, err := webhook.ParseGitHubURL(tc.in)
		if err != nil || ep.API != tc.api || ep.Tokens != tc.tokens {
			t.Errorf("ParseGitHubURL(%q) = %+v, %v; want {%s %s}", tc.in, ep, err, tc.api, tc.tokens)
		}
	}
	for _, bad := range []string{"ghe.example.com", "ftp://ghe.example.com", "https://user:secret@ghe.example.com", "https://ghe.example.com?x=1", "https://"} {
		if _, err := webhook.ParseGitHubURL(bad); err == nil {
			t.Errorf("ParseGitHubURL(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseGitHubURL(%q) error leaks the password: %v", bad, err)
		}
	}
}
