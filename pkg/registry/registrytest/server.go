// Package registrytest is an in-process fake npm registry for tests: an
// httptest server that answers the registry endpoints pkg/registry uses from
// recorded real responses, records the requests it gets, and can be told to
// be slow, fail, or misbehave. It is imported only by _test.go files.
//
// By default it serves pkg/registry/testdata/ (origins in its README.md):
//
//	GET /{package}                                 packuments/{package}.json
//	GET /{package}/{version}                       its "versions"[version] (or a dist-tag)
//	GET /-/npm/v1/attestations/{package}@{version} attestations/{package}@{version}.json
//	GET /-/npm/v1/keys                             keys.json
//
// A scoped package is accepted as /@scope%2fname or /@scope/name, as the
// registry does, and its files live under packuments/@scope/. Anything else
// is a 404 with the registry's {"error":"Not found"} body.
//
// Paths given to options and returned by [Server.Requests] are request
// paths as sent, escaped (/@scope%2fname/1.0.0); an option's path also
// matches the unescaped form.
package registrytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// OversizedBodySize is the size of the body [WithOversizedBody] serves:
// 1 MiB over pkg/registry's default cap of 32 MiB.
const OversizedBodySize = 33 << 20

// Option configures a [Server].
type Option func(*config)

type config struct {
	dir       string
	latency   time.Duration
	prefix    string
	statuses  map[string]*statusRule
	oversized map[string]bool
	handlers  map[string]http.HandlerFunc
}

type statusRule struct {
	code       int
	left       int
	retryAfter string
}

// WithDir serves the files of dir (laid out as pkg/registry/testdata/)
// instead of the default.
func WithDir(dir string) Option { return func(c *config) { c.dir = dir } }

// WithLatency delays every answer by d (a request cancelled meanwhile gets
// none).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithPathPrefix serves the registry under prefix, as Artifactory serves
// https://host/artifactory/api/npm/npm-remote/…; requests outside it are 404.
func WithPathPrefix(prefix string) Option {
	return func(c *config) { c.prefix = strings.TrimRight(prefix, "/") }
}

// WithStatus answers the first times requests to path with HTTP code and a
// small JSON error body; later requests are served normally. A negative
// times fails every request.
func WithStatus(path string, code, times int) Option {
	return func(c *config) {
		r := c.status(path)
		r.code, r.left = code, times
	}
}

// WithRetryAfter adds a Retry-After header with value (seconds or an HTTP
// date) to the failures [WithStatus] makes on path.
func WithRetryAfter(path, value string) Option {
	return func(c *config) { c.status(path).retryAfter = value }
}

func (c *config) status(path string) *statusRule {
	if c.statuses[path] == nil {
		c.statuses[path] = &statusRule{}
	}
	return c.statuses[path]
}

// WithOversizedBody answers requests to path with 200 and a body of
// [OversizedBodySize] bytes of valid-looking JSON that never ends, streamed
// without a Content-Length.
func WithOversizedBody(path string) Option { return func(c *config) { c.oversized[path] = true } }

// WithHandler answers requests to path with h (after latency and status
// rules, and after counting). A path ending in "/" matches every path under
// it; the longest match wins; "/" takes over the whole registry.
func WithHandler(path string, h http.HandlerFunc) Option {
	return func(c *config) { c.handlers[path] = h }
}

// Server is a fake npm registry. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	cfg config

	mu       sync.Mutex
	requests map[string]int
	total    int
	docs     map[string]*packument
}

type packument struct {
	raw      []byte
	versions map[string]json.RawMessage
	tags     map[string]string
}

// NewServer starts a fake registry, closed when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		statuses:  map[string]*statusRule{},
		oversized: map[string]bool{},
		handlers:  map[string]http.HandlerFunc{},
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.dir == "" {
		dir, err := defaultDir()
		if err != nil {
			t.Fatalf("registrytest: %v", err)
		}
		cfg.dir = dir
	}
	s := &Server{cfg: cfg, requests: map[string]int{}, docs: map[string]*packument{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// defaultDir finds pkg/registry/testdata from the test's working directory,
// which go test sets to the directory of the package under test.
func defaultDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "pkg", "registry", "testdata"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s: use WithDir", wd)
		}
	}
}

// URL returns the registry's base URL (with the path prefix, if any).
func (s *Server) URL() string { return s.srv.URL + s.cfg.prefix }

// Requests returns how many requests each path got (escaped, as sent).
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Total returns the number of requests the server got.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Reset forgets the requests counted so far (status rules keep their
// state).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = map[string]int{}
	s.total = 0
}

// lookup returns the option registered for the request's path, escaped or
// not.
func lookup[V any](m map[string]V, r *http.Request) (V, bool) {
	if v, ok := m[r.URL.EscapedPath()]; ok {
		return v, true
	}
	v, ok := m[r.URL.Path]
	return v, ok
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.EscapedPath()]++
	s.total++
	s.mu.Unlock()

	if d := s.cfg.latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if rule, ok := lookup(s.cfg.statuses, r); ok {
		s.mu.Lock()
		fail := rule.left != 0
		if rule.left > 0 {
			rule.left--
		}
		s.mu.Unlock()
		if fail {
			if rule.retryAfter != "" {
				w.Header().Set("Retry-After", rule.retryAfter)
			}
			writeError(w, rule.code, http.StatusText(rule.code))
			return
		}
	}
	if _, ok := lookup(s.cfg.oversized, r); ok {
		writeOversized(w)
		return
	}
	if h := s.handler(r); h != nil {
		h(w, r)
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, s.cfg.prefix)
	if !ok || !strings.HasPrefix(path, "/") {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	s.route(w, path)
}

func (s *Server) handler(r *http.Request) http.HandlerFunc {
	if h, ok := lookup(s.cfg.handlers, r); ok {
		return h
	}
	var best string
	for p := range s.cfg.handlers {
		if strings.HasSuffix(p, "/") && len(p) > len(best) &&
			(strings.HasPrefix(r.URL.EscapedPath(), p) || strings.HasPrefix(r.URL.Path, p)) {
			best = p
		}
	}
	if best == "" {
		return nil
	}
	return s.cfg.handlers[best]
}

// route serves the default registry from the unescaped path.
func (s *Server) route(w http.ResponseWriter, path string) {
	switch {
	case path == "/-/npm/v1/keys":
		s.serveFile(w, "keys.json")
		return
	case strings.HasPrefix(path, "/-/npm/v1/attestations/"):
		spec := strings.TrimPrefix(path, "/-/npm/v1/attestations/")
		at := strings.LastIndexByte(spec, '@')
		if at <= 0 || !safeName(spec[:at]) || !safeName(spec[at+1:]) {
			writeError(w, http.StatusNotFound, "Not found")
			return
		}
		s.serveFile(w, filepath.Join("attestations", filepath.FromSlash(spec)+".json"))
		return
	case strings.HasPrefix(path, "/-/"):
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	n := 1
	if strings.HasPrefix(segs[0], "@") {
		n = 2
	}
	if len(segs) < n || len(segs) > n+1 {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	name := strings.Join(segs[:n], "/")
	doc, err := s.packument(name)
	if err != nil {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	if len(segs) == n {
		writeJSON(w, doc.raw)
		return
	}
	version := segs[n]
	if v, ok := doc.tags[version]; ok {
		version = v
	}
	m, ok := doc.versions[version]
	if !ok {
		writeError(w, http.StatusNotFound, "version not found: "+segs[n])
		return
	}
	writeJSON(w, m)
}

// safeName keeps the fake from serving files outside its directory.
func safeName(s string) bool {
	return s != "" && !strings.Contains(s, "..") && !strings.ContainsAny(s, `\`) && !strings.HasPrefix(s, "/")
}

func (s *Server) packument(name string) (*packument, error) {
	if !safeName(name) {
		return nil, fs.ErrNotExist
	}
	s.mu.Lock()
	doc, ok := s.docs[name]
	s.mu.Unlock()
	if ok {
		return doc, nil
	}
	raw, err := os.ReadFile(filepath.Join(s.cfg.dir, "packuments", filepath.FromSlash(name)+".json"))
	if err != nil {
		return nil, err
	}
	var w struct {
		Versions map[string]json.RawMessage `json:"versions"`
		Tags     map[string]string          `json:"dist-tags"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("packument %s: %w", name, err)
	}
	doc = &packument{raw: raw, versions: w.Versions, tags: w.Tags}
	s.mu.Lock()
	s.docs[name] = doc
	s.mu.Unlock()
	return doc, nil
}

func (s *Server) serveFile(w http.ResponseWriter, rel string) {
	data, err := os.ReadFile(filepath.Join(s.cfg.dir, rel))
	if errors.Is(err, fs.ErrNotExist) {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, data)
}

func writeJSON(w http.ResponseWriter, data []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(data)
}

// writeError answers as the registry does: {"error": "…"}.
func writeError(w http.ResponseWriter, code int, msg string) {
	body, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

// writeOversized streams {"pad":["xxx…","xxx…",… of OversizedBodySize
// bytes: many small tokens, so a streaming decoder reaches the size cap
// without holding a large token.
func writeOversized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	chunk := make([]byte, 0, 64<<10)
	elem := `"` + strings.Repeat("x", 1021) + `",`
	for len(chunk)+len(elem) <= cap(chunk) {
		chunk = append(chunk, elem...)
	}
	head := []byte(`{"pad":[`)
	if _, err := w.Write(head); err != nil {
		return
	}
	for sent := len(head); sent < OversizedBodySize; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}
