package registry

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestPaths(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{manifestPath("express", "4.17.1"), "/express/4.17.1"},
		{manifestPath("@babel/core", "7.0.0"), "/@babel%2fcore/7.0.0"},
		{packumentPath("@babel/core"), "/@babel%2fcore"},
		{attestationsPath("sigstore", "1.0.0"), "/-/npm/v1/attestations/sigstore@1.0.0"},
		{attestationsPath("@sigstore/core", "4.0.1"), "/-/npm/v1/attestations/@sigstore%2fcore@4.0.1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("path = %q, want %q", tt.got, tt.want)
		}
	}
}

// TestValidNamesStayInPath checks the property validation exists for: a
// URL built from a valid name and version has exactly the path segments
// the endpoint expects, however the server unescapes it.
func TestValidNamesStayInPath(t *testing.T) {
	t.Parallel()
	names := []string{"a", "A.b_c-d~e!f'g(h)i*j", "@s/p", "@S.x/P_y", "_a"}
	for _, n := range names {
		if err := validateName(n); err != nil {
			t.Fatalf("validateName(%q): %v", n, err)
		}
		u, err := url.Parse("https://r.example/prefix" + manifestPath(n, "1.0.0-rc.1+b"))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if u.Host != "r.example" || u.RawQuery != "" || u.Fragment != "" {
			t.Errorf("%q: URL %v leaves the path", n, u)
		}
		if want := "/prefix/" + n + "/1.0.0-rc.1+b"; u.Path != want {
			t.Errorf("%q: unescaped path %q, want %q", n, u.Path, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	c := &Client{cfg: defaultConfig()}
	c.cfg.now = func() time.Time { return now }
	tests := []struct {
		h    string
		want time.Duration
	}{
		{"", 0},
		{"junk", 0},
		{"-5", 0},
		{"0", time.Nanosecond},
		{"7", 7 * time.Second},
		{" 2 ", 2 * time.Second},
		{"3600", maxRetryWait},
		{"99999999999999999999", 0}, // overflows int64: not a number we trust
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), time.Nanosecond},
		{now.Add(time.Hour).Format(http.TimeFormat), maxRetryWait},
	}
	for _, tt := range tests {
		if got := c.retryAfter(tt.h); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	c := &Client{cfg: defaultConfig()}
	for attempt := range 40 {
		d := c.backoff(attempt)
		full := min(retryBase<<min(attempt, 20), maxRetryWait)
		if attempt >= 20 {
			full = maxRetryWait
		}
		if d < full/2 || d > full {
			t.Errorf("backoff(%d) = %v, want in [%v, %v]", attempt, d, full/2, full)
		}
	}
}
