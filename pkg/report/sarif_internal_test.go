package report

import (
	"net/url"
	"testing"
)

func TestURIPath(t *testing.T) {
	for in, want := range map[string]string{
		"package-lock.json":           "package-lock.json",
		"my dir/package-lock.json":    "my%20dir/package-lock.json",
		"https:/package-lock.json":    "https%3A/package-lock.json",
		":app/package-lock.json":      "%3Aapp/package-lock.json",
		"web/a:b/npm-shrinkwrap.json": "web/a:b/npm-shrinkwrap.json",
		"100%/package-lock.json":      "100%25/package-lock.json",
		"#x/package-lock.json":        "%23x/package-lock.json",
		"web/x?y/package-lock.json":   "web/x%3Fy/package-lock.json",
	} {
		got := uriPath(in)
		if got != want {
			t.Errorf("uriPath(%q) = %q, want %q", in, got, want)
		}
		u, err := url.Parse(got)
		if err != nil || u.IsAbs() || u.Path != in {
			t.Errorf("uriPath(%q) = %q: parses as %+v (%v), want a relative reference to the same path", in, got, u, err)
		}
	}
}
