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
