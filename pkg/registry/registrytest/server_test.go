package registrytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/registry/registrytest"
)

func get(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	tests := []struct {
		path     string
		wantCode int
		// wantField is a top-level member the answer must have.
		wantField string
		wantValue string
	}{
		{path: "/express", wantCode: 200, wantField: "name", wantValue: "express"},
		{path: "/express/4.17.1", wantCode: 200, wantField: "version", wantValue: "4.17.1"},
		{path: "/express/latest", wantCode: 200, wantField: "name", wantValue: "express"},
		{path: "/express/99.0.0", wantCode: 404, wantField: "error", wantValue: "version not found: 99.0.0"},
		{path: "/no-such-package", wantCode: 404, wantField: "error", wantValue: "Not found"},
		{path: "/express/4.17.1/extra", wantCode: 404},
		{path: "/-/npm/v1/keys", wantCode: 200},
		{path: "/-/npm/v1/attestations/sigstore@1.0.0", wantCode: 200},
		{path: "/-/npm/v1/attestations/express@4.17.1", wantCode: 404},
		{path: "/-/npm/v1/attestations/..%2f..%2fkeys@json", wantCode: 404},
		{path: "/..%2fkeys", wantCode: 404},
		{path: "/-/whoami", wantCode: 404},
	}
	for _, tt := range tests {
		code, _, body := get(t, srv.URL()+tt.path)
		if code != tt.wantCode {
			t.Errorf("GET %s: %d, want %d", tt.path, code, tt.wantCode)
			continue
		}
		if tt.wantField == "" {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Errorf("GET %s: not JSON: %v", tt.path, err)
			continue
		}
		if doc[tt.wantField] != tt.wantValue {
			t.Errorf("GET %s: %s = %v, want %q", tt.path, tt.wantField, doc[tt.wantField], tt.wantValue)
		}
	}
	if got, want := srv.Total(), len(tests); got != want {
		t.Errorf("Total() = %d, want %d", got, want)
	}
	if got := srv.Requests()["/express/4.17.1"]; got != 1 {
		t.Errorf("Requests()[/express/4.17.1] = %d, want 1", got)
	}
	srv.Reset()
	if srv.Total() != 0 || len(srv.Requests()) != 0 {
		t.Errorf("Reset left %d, %v", srv.Total(), srv.Requests())
	}
}

func TestStatusAndRetryAfter(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t,
		registrytest.WithStatus("/express", 503, 2),
		registrytest.WithRetryAfter("/express", "7"),
		registrytest.WithStatus("/@scope/pkg", 429, -1))
	var codes []int
	for range 3 {
		code, h, _ := get(t, srv.URL()+"/express")
		codes = append(codes, code)
		if code == 503 && h.Get("Retry-After") != "7" {
			t.Errorf("Retry-After = %q, want 7", h.Get("Retry-After"))
		}
	}
	if diff := cmp.Diff([]int{503, 503, 200}, codes); diff != "" {
		t.Errorf("codes diff (-want +got):\n%s", diff)
	}
	// A rule on the unescaped path matches the escaped request too.
	for range 3 {
		if code, _, _ := get(t, srv.URL()+"/@scope%2fpkg"); code != 429 {
			t.Errorf("GET /@scope%%2fpkg: %d, want 429 every time", code)
		}
	}
	if got := srv.Requests()["/@scope%2fpkg"]; got != 3 {
		t.Errorf("Requests() = %v, want the escaped path counted 3 times", srv.Requests())
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t, registrytest.WithOversizedBody("/express/4.17.1"))
	code, h, body := get(t, srv.URL()+"/express/4.17.1")
	if code != 200 || h.Get("Content-Length") != "" {
		t.Errorf("code %d, Content-Length %q; want 200 and none", code, h.Get("Content-Length"))
	}
	if len(body) < registrytest.OversizedBodySize || !strings.HasPrefix(string(body), `{"pad":["xxx`) {
		t.Errorf("body of %d bytes starting %.20q", len(body), body)
	}
}

func TestHandlerAndLatencyAndPrefix(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t,
		registrytest.WithPathPrefix("/artifactory/api/npm/npm-remote/"),
		registrytest.WithLatency(30*time.Millisecond),
		registrytest.WithHandler("/artifactory/api/npm/npm-remote/-/special/", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "prefix")
		}),
		registrytest.WithHandler("/artifactory/api/npm/npm-remote/-/special/exact", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "exact")
		}))
	if !strings.HasSuffix(srv.URL(), "/artifactory/api/npm/npm-remote") {
		t.Errorf("URL() = %q", srv.URL())
	}
	start := time.Now()
	for path, want := range map[string]string{"/-/special/exact": "exact", "/-/special/other": "prefix"} {
		if _, _, body := get(t, srv.URL()+path); string(body) != want {
			t.Errorf("GET %s = %q, want %q", path, body, want)
		}
	}
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("two requests took %v, want the latency on each", d)
	}
	if code, _, _ := get(t, srv.URL()+"/express/4.17.1"); code != 200 {
		t.Errorf("GET under the prefix: %d", code)
	}
	if code, _, _ := get(t, strings.TrimSuffix(srv.URL(), "/artifactory/api/npm/npm-remote")+"/express/4.17.1"); code != 404 {
		t.Errorf("GET outside the prefix: %d, want 404", code)
	}
}
