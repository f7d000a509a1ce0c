// Package githubtest is an in-process fake of the GitHub REST API for the
// webhook's tests: an httptest server that serves what a review reads (pull
// requests, their files, repository contents and git blobs, merge bases,
// permissions, the App and installation tokens) from state a test sets up,
// and records every request, so tests can assert "one comment edited, not a
// second one created". It checks authentication as GitHub does (a JWT signed
// with the App's key for /app, an installation token for the rest) and a
// few of GitHub's rules (50 annotations per request, 1 MB contents cap).
// It is imported only by _test.go files.
package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// Defaults of a new FakeGitHub.
const (
	AppID   = 4242
	AppSlug = "lockreview"
	// BotLogin is the login of the App's comments.
	BotLogin = AppSlug + "[bot]"
)

// maxJSONContent is the largest file the contents API returns inline as
// JSON; larger ones answer with empty content and encoding "none".
const maxJSONContent = 1 << 20

// Option configures a FakeGitHub.
type Option func(*FakeGitHub)

// WithPathPrefix serves the API under prefix, as GitHub Enterprise Server
// serves it under /api/v3.
func WithPathPrefix(prefix string) Option {
	return func(f *FakeGitHub) { f.prefix = strings.TrimRight(prefix, "/") }
}

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option { return func(f *FakeGitHub) { f.latency = d } }

// WithoutAppAttribution leaves performed_via_github_app out of comments, as
// older GitHub Enterprise Servers do.
func WithoutAppAttribution() Option { return func(f *FakeGitHub) { f.noAttribution = true } }

// FakeGitHub is a fake GitHub API. Its methods are safe for concurrent use.
type FakeGitHub struct {
	t             testing.TB
	srv           *httptest.Server
	prefix        string
	latency       time.Duration
	noAttribution bool
	key           *rsa.PrivateKey

	mu       sync.Mutex
	repos    map[string]*Repo
	calls    []Call
	failures []*failure
	tokens   map[string]int64 // token → installation
	nextID   int64
}

// Call is one request the fake received.
type Call struct {
	Method string
	// Path is the request path without the server's prefix.
	Path   string
	Query  url.Values
	Accept string
	Body   []byte
	// Status is the answer's status code.
	Status int
	// At is when the request arrived; Took how long the answer took
	// (latency included).
	At   time.Time
	Took time.Duration
}

func (c Call) String() string { return c.Method + " " + c.Path }

// Repo is a repository's state. Tests set it up through the FakeGitHub's
// methods and read it back through Comments, CheckRuns and Reactions.
type Repo struct {
	ID          int64
	Owner, Name string
	commits     map[string]map[string][]byte // sha → path → content
	pulls       map[int]*PullRequest
	perms       map[string]string
	comments    []*Comment
	checkRuns   []*CheckRun
	reactions   []Reaction
}

// PullRequest is a pull request's state.
type PullRequest struct {
	Number  int
	State   string // "open" unless set
	HeadSHA string
	BaseSHA string
	BaseRef string
	// MergeBase is what compare answers; empty means BaseSHA.
	MergeBase string
	Files     []File
}

// File is one entry of a pull request's changed files.
type File struct {
	Path, PreviousPath string
	Status             string // "modified" unless set
}

// Comment is an issue comment.
type Comment struct {
	ID       int64
	Issue    int
	Body     string
	User     string
	UserType string
	// AppID is performed_via_github_app.id (0: none).
	AppID int64
	// Edits counts the times the comment was edited.
	Edits int
}

// CheckRun is a check run as the API last left it.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	ExternalID  string
	Status      string
	Conclusion  string
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation
	// Updates counts PATCH requests.
	Updates int
}

// Annotation is a check run annotation.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Level     string `json:"annotation_level"`
	Title     string `json:"title"`
	Message   string `json:"message"`
}

// Reaction is a reaction added to an issue comment.
type Reaction struct {
	CommentID int64
	Content   string
}

type failure struct {
	method, path string
	status, left int
	header       http.Header
}

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// NewFakeGitHub starts a fake GitHub, closed when the test ends. The App's
// private key is generated once per test binary.
func NewFakeGitHub(t testing.TB, opts ...Option) *FakeGitHub {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	f := &FakeGitHub{t: t, key: testKey, repos: map[string]*Repo{}, tokens: map[string]int64{}, nextID: 1000}
	for _, o := range opts {
		o(f)
	}
	mux := http.NewServeMux()
	f.routes(mux)
	var h http.Handler = mux
	if f.prefix != "" {
		h = http.StripPrefix(f.prefix, mux)
	}
	f.srv = httptest.NewServer(f.record(h))
	t.Cleanup(f.srv.Close)
	return f
}

// URL returns the API root (with the prefix), without a trailing slash.
func (f *FakeGitHub) URL() string { return f.srv.URL + f.prefix }

// HostURL returns the server's URL without the prefix, as an operator gives
// a GitHub Enterprise Server's address.
func (f *FakeGitHub) HostURL() string { return f.srv.URL }

// PrivateKey returns the App's private key.
func (f *FakeGitHub) PrivateKey() *rsa.PrivateKey { return f.key }

// PrivateKeyPEM returns the App's private key as GitHub hands it out
// (PKCS#1 PEM).
func (f *FakeGitHub) PrivateKeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(f.key)})
}

// Client returns an HTTP client for the fake's server.
func (f *FakeGitHub) Client() *http.Client { return f.srv.Client() }

func (f *FakeGitHub) repo(owner, name string) *Repo {
	k := strings.ToLower(owner + "/" + name)
	r := f.repos[k]
	if r == nil {
		f.nextID++
		r = &Repo{ID: f.nextID, Owner: owner, Name: name, commits: map[string]map[string][]byte{}, pulls: map[int]*PullRequest{}, perms: map[string]string{}}
		f.repos[k] = r
	}
	return r
}

// Commit makes sha a commit of owner/name holding files (path → content).
// Calling it again for the same sha adds files.
func (f *FakeGitHub) Commit(owner, name, sha string, files map[string][]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(owner, name)
	if r.commits[sha] == nil {
		r.commits[sha] = map[string][]byte{}
	}
	for p, c := range files {
		r.commits[sha][p] = c
	}
}

// SetPullRequest creates or replaces a pull request.
func (f *FakeGitHub) SetPullRequest(owner, name string, pr PullRequest) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if pr.State == "" {
		pr.State = "open"
	}
	f.repo(owner, name).pulls[pr.Number] = &pr
}

// SetPermission sets user's role on owner/name (admin, maintain, write,
// triage, read). Users not set are not collaborators (404).
func (f *FakeGitHub) SetPermission(owner, name, user, role string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repo(owner, name).perms[user] = role
}

// AddComment adds a comment to issue n, as user (a person unless userType
// says "Bot"), returning its id.
func (f *FakeGitHub) AddComment(owner, name string, n int, user, userType, body string, appID int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	r := f.repo(owner, name)
	r.comments = append(r.comments, &Comment{ID: f.nextID, Issue: n, Body: body, User: user, UserType: userType, AppID: appID})
	return f.nextID
}

// Fail answers the next times requests matching method and path (without
// the prefix; a trailing "*" matches any suffix) with status and header.
func (f *FakeGitHub) Fail(method, path string, status, times int, header http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, &failure{method: method, path: path, status: status, left: times, header: header})
}

// Calls returns the requests received so far.
func (f *FakeGitHub) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// Writes returns the non-GET requests received so far, token requests
// excluded, as "METHOD /path" strings.
func (f *FakeGitHub) Writes() []string {
	var out []string
	for _, c := range f.Calls() {
		if c.Method != http.MethodGet && !strings.HasSuffix(c.Path, "/access_tokens") {
			out = append(out, c.String())
		}
	}
	return out
}

// Comments returns copies of the comments on issue n.
func (f *FakeGitHub) Comments(owner, name string, n int) []Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Comment
	for _, c := range f.repo(owner, name).comments {
		if c.Issue == n {
			out = append(out, *c)
		}
	}
	return out
}

// CheckRuns returns copies of the repository's check runs, oldest first.
func (f *FakeGitHub) CheckRuns(owner, name string) []CheckRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []CheckRun
	for _, c := range f.repo(owner, name).checkRuns {
		cp := *c
		cp.Annotations = slices.Clone(c.Annotations)
		out = append(out, cp)
	}
	return out
}

// Reactions returns the reactions added in the repository.
func (f *FakeGitHub) Reactions(owner, name string) []Reaction {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.repo(owner, name).reactions)
}

// statusRecorder captures the status code for the call log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (f *FakeGitHub) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		path := strings.TrimPrefix(r.URL.Path, f.prefix)
		if f.latency > 0 {
			time.Sleep(f.latency)
		}
		rec := &statusRecorder{ResponseWriter: w}
		if fl := f.takeFailure(r.Method, path); fl != nil {
			for k, v := range fl.header {
				rec.Header()[k] = v
			}
			writeJSON(rec, fl.status, map[string]string{"message": http.StatusText(fl.status)})
		} else if f.prefix != "" && !strings.HasPrefix(r.URL.Path, f.prefix+"/") {
			writeJSON(rec, http.StatusNotFound, map[string]string{"message": "Not Found"})
		} else {
			next.ServeHTTP(rec, r)
		}
		f.mu.Lock()
		f.calls = append(f.calls, Call{Method: r.Method, Path: path, Query: r.URL.Query(), Accept: r.Header.Get("Accept"), Body: body, Status: rec.status, At: at, Took: time.Since(at)})
		f.mu.Unlock()
	})
}

func (f *FakeGitHub) takeFailure(method, path string) *failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fl := range f.failures {
		if fl.left == 0 || fl.method != method {
			continue
		}
		if p, ok := strings.CutSuffix(fl.path, "*"); ok && strings.HasPrefix(path, p) || fl.path == path {
			fl.left--
			return fl
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
}

func (f *FakeGitHub) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", f.accessToken)
	mux.HandleFunc("GET /app", f.app)
	repo := func(pattern string, h func(http.ResponseWriter, *http.Request, *Repo)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !f.authorized(r) {
				writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
				return
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			rp := f.repos[strings.ToLower(r.PathValue("owner")+"/"+r.PathValue("repo"))]
			if rp == nil {
				notFound(w)
				return
			}
			h(w, r, rp)
		})
	}
	repo("GET /repos/{owner}/{repo}/pulls/{n}", f.getPull)
	repo("GET /repos/{owner}/{repo}/pulls/{n}/files", f.listFiles)
	repo("GET /repos/{owner}/{repo}/compare/{basehead}", f.compare)
	repo("GET /repos/{owner}/{repo}/contents/{path...}", f.contents)
	repo("GET /repos/{owner}/{repo}/git/blobs/{sha}", f.blob)
	repo("GET /repos/{owner}/{repo}/collaborators/{user}/permission", f.permission)
	repo("GET /repos/{owner}/{repo}/commits/{sha}/pulls", f.pullsForCommit)
	repo("GET /repos/{owner}/{repo}/issues/{n}/comments", f.listComments)
	repo("POST /repos/{owner}/{repo}/issues/{n}/comments", f.createComment)
	repo("PATCH /repos/{owner}/{repo}/issues/comments/{id}", f.editComment)
	repo("POST /repos/{owner}/{repo}/issues/comments/{id}/reactions", f.react)
	repo("POST /repos/{owner}/{repo}/check-runs", f.createCheckRun)
	repo("PATCH /repos/{owner}/{repo}/check-runs/{id}", f.updateCheckRun)
}

// appJWT checks the App's JWT as GitHub does: RS256 with the App's key,
// issuer the App id, not expired.
func (f *FakeGitHub) appJWT(r *http.Request) bool {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	var claims jwt.RegisteredClaims
	tok, err := jwt.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 {
			return nil, fmt.Errorf("unexpected method %v", t.Method)
		}
		return &f.key.PublicKey, nil
	})
	return err == nil && tok.Valid && claims.Issuer == strconv.Itoa(AppID)
}

func (f *FakeGitHub) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "token ")
	if !ok {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok = f.tokens[tok]
	return ok
}

// MintToken returns an installation token the fake accepts, as if the App
// had asked for one (for tests that call the API directly).
func (f *FakeGitHub) MintToken(installation int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	tok := fmt.Sprintf("ghs_fake%d_%d", installation, f.nextID)
	f.tokens[tok] = installation
	return tok
}

func (f *FakeGitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	if !f.appJWT(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "A JSON web token could not be decoded"})
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	tok := f.MintToken(id)
	writeJSON(w, http.StatusCreated, map[string]any{
		"token":       tok,
		"expires_at":  time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"permissions": map[string]string{"checks": "write", "pull_requests": "write", "contents": "read", "metadata": "read"},
	})
}

func (f *FakeGitHub) app(w http.ResponseWriter, r *http.Request) {
	if !f.appJWT(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "A JSON web token could not be decoded"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": AppID, "slug": AppSlug, "name": "lockreview"})
}

func (f *FakeGitHub) pull(w http.ResponseWriter, r *http.Request, rp *Repo) *PullRequest {
	n, _ := strconv.Atoi(r.PathValue("n"))
	pr := rp.pulls[n]
	if pr == nil {
		notFound(w)
	}
	return pr
}

func (f *FakeGitHub) getPull(w http.ResponseWriter, r *http.Request, rp *Repo) {
	pr := f.pull(w, r, rp)
	if pr == nil {
		return
	}
	repoJSON := map[string]any{"id": rp.ID, "name": rp.Name, "full_name": rp.Owner + "/" + rp.Name, "owner": map[string]any{"login": rp.Owner}}
	writeJSON(w, http.StatusOK, map[string]any{
		"number": pr.Number,
		"state":  pr.State,
		"head":   map[string]any{"sha": pr.HeadSHA, "ref": "feature", "repo": repoJSON},
		"base":   map[string]any{"sha": pr.BaseSHA, "ref": pr.BaseRef, "repo": repoJSON},
	})
}

// paginate answers one page of items with GitHub's Link header.
func paginate[T any](w http.ResponseWriter, r *http.Request, prefix string, items []T, max int) []T {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max1(page)
	if max > 0 && len(items) > max {
		items = items[:max]
	}
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	if hi < len(items) {
		u := *r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(page+1))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s%s>; rel="next"`, r.Host, prefix, u.RequestURI()))
	}
	return items[lo:hi]
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func (f *FakeGitHub) listFiles(w http.ResponseWriter, r *http.Request, rp *Repo) {
	pr := f.pull(w, r, rp)
	if pr == nil {
		return
	}
	var out []map[string]any
	for _, fl := range paginate(w, r, f.prefix, pr.Files, 3000) {
		st := fl.Status
		if st == "" {
			st = "modified"
		}
		m := map[string]any{"filename": fl.Path, "status": st}
		if fl.PreviousPath != "" {
			m["previous_filename"] = fl.PreviousPath
		}
		if c, ok := rp.commits[pr.HeadSHA][fl.Path]; ok {
			m["sha"] = blobSHA(c)
		}
		out = append(out, m)
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (f *FakeGitHub) compare(w http.ResponseWriter, r *http.Request, rp *Repo) {
	base, head, ok := strings.Cut(r.PathValue("basehead"), "...")
	if !ok {
		notFound(w)
		return
	}
	var mb string
	for _, pr := range rp.pulls {
		if pr.HeadSHA == head && pr.BaseSHA == base {
			mb = pr.MergeBase
			if mb == "" {
				mb = pr.BaseSHA
			}
		}
	}
	if mb == "" {
		if _, ok := rp.commits[base]; !ok {
			notFound(w)
			return
		}
		mb = base
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"status":            "ahead",
		"merge_base_commit": map[string]any{"sha": mb},
		"base_commit":       map[string]any{"sha": base},
		"commits":           []any{},
		"files":             []any{},
	})
}

func blobSHA(c []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(c))
	h.Write(c)
	return hex.EncodeToString(h.Sum(nil))
}

// contents serves GET contents as GitHub does: the raw media type gets the
// bytes (up to 100 MB); JSON gets base64 content up to 1 MB and, above,
// empty content with encoding "none".
func (f *FakeGitHub) contents(w http.ResponseWriter, r *http.Request, rp *Repo) {
	ref := r.URL.Query().Get("ref")
	files, ok := rp.commits[ref]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "No commit found for the ref " + ref})
		return
	}
	p := r.PathValue("path")
	c, ok := files[p]
	if !ok {
		notFound(w)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "raw") {
		w.Header().Set("Content-Type", "application/vnd.github.raw; charset=utf-8")
		w.Write(c)
		return
	}
	doc := map[string]any{"type": "file", "path": p, "name": p[strings.LastIndex(p, "/")+1:], "size": len(c), "sha": blobSHA(c), "encoding": "base64", "content": base64.StdEncoding.EncodeToString(c)}
	if len(c) > maxJSONContent {
		doc["encoding"], doc["content"] = "none", ""
	}
	writeJSON(w, http.StatusOK, doc)
}

func (f *FakeGitHub) blob(w http.ResponseWriter, r *http.Request, rp *Repo) {
	want := r.PathValue("sha")
	for _, files := range rp.commits {
		for _, c := range files {
			if blobSHA(c) == want {
				if strings.Contains(r.Header.Get("Accept"), "raw") {
					w.Write(c)
					return
				}
				writeJSON(w, http.StatusOK, map[string]any{"sha": want, "size": len(c), "encoding": "base64", "content": base64.StdEncoding.EncodeToString(c)})
				return
			}
		}
	}
	notFound(w)
}

func (f *FakeGitHub) permission(w http.ResponseWriter, r *http.Request, rp *Repo) {
	user := r.PathValue("user")
	role, ok := rp.perms[user]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": user + " is not a user"})
		return
	}
	legacy := map[string]string{"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read"}[role]
	writeJSON(w, http.StatusOK, map[string]any{"permission": legacy, "role_name": role, "user": map[string]any{"login": user}})
}

func (f *FakeGitHub) pullsForCommit(w http.ResponseWriter, r *http.Request, rp *Repo) {
	sha := r.PathValue("sha")
	var out []map[string]any
	for _, pr := range rp.pulls {
		if pr.HeadSHA == sha {
			out = append(out, map[string]any{"number": pr.Number, "state": pr.State, "head": map[string]any{"sha": pr.HeadSHA}})
		}
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (f *FakeGitHub) commentJSON(c *Comment) map[string]any {
	m := map[string]any{"id": c.ID, "body": c.Body, "user": map[string]any{"login": c.User, "type": c.UserType}}
	if c.AppID != 0 && !f.noAttribution {
		m["performed_via_github_app"] = map[string]any{"id": c.AppID, "slug": AppSlug}
	}
	return m
}

func (f *FakeGitHub) listComments(w http.ResponseWriter, r *http.Request, rp *Repo) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	var mine []*Comment
	for _, c := range rp.comments {
		if c.Issue == n {
			mine = append(mine, c)
		}
	}
	out := []map[string]any{}
	for _, c := range paginate(w, r, f.prefix, mine, 0) {
		out = append(out, f.commentJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
		return false
	}
	return true
}

func (f *FakeGitHub) createComment(w http.ResponseWriter, r *http.Request, rp *Repo) {
	n, _ := strconv.Atoi(r.PathValue("n"))
	var in struct{ Body string }
	if !decodeBody(w, r, &in) {
		return
	}
	if len(in.Body) > 65536 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Body is too long (maximum is 65536 characters)"})
		return
	}
	f.nextID++
	c := &Comment{ID: f.nextID, Issue: n, Body: in.Body, User: BotLogin, UserType: "Bot", AppID: AppID}
	rp.comments = append(rp.comments, c)
	writeJSON(w, http.StatusCreated, f.commentJSON(c))
}

func (f *FakeGitHub) editComment(w http.ResponseWriter, r *http.Request, rp *Repo) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct{ Body string }
	if !decodeBody(w, r, &in) {
		return
	}
	for _, c := range rp.comments {
		if c.ID == id {
			if c.User != BotLogin {
				writeJSON(w, http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration"})
				return
			}
			c.Body = in.Body
			c.Edits++
			writeJSON(w, http.StatusOK, f.commentJSON(c))
			return
		}
	}
	notFound(w)
}

func (f *FakeGitHub) react(w http.ResponseWriter, r *http.Request, rp *Repo) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct{ Content string }
	if !decodeBody(w, r, &in) {
		return
	}
	rp.reactions = append(rp.reactions, Reaction{CommentID: id, Content: in.Content})
	writeJSON(w, http.StatusCreated, map[string]any{"id": 1, "content": in.Content})
}

type checkRunIn struct {
	Name       string  `json:"name"`
	HeadSHA    string  `json:"head_sha"`
	ExternalID string  `json:"external_id"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	Output     *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Text        *string      `json:"text"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

// apply updates c as the checks API does; it returns an error message for
// a request GitHub would refuse with 422.
func (in *checkRunIn) apply(c *CheckRun) string {
	if in.Status != nil {
		c.Status = *in.Status
	}
	if in.Conclusion != nil {
		c.Conclusion = *in.Conclusion
		c.Status = "completed"
	}
	if c.Status == "completed" && c.Conclusion == "" {
		return "conclusion is required when status is completed"
	}
	if o := in.Output; o != nil {
		if o.Title == nil || o.Summary == nil {
			return "output requires title and summary"
		}
		if len(o.Annotations) > 50 {
			return "only 50 annotations are allowed per request"
		}
		if len(*o.Summary) > 65535 {
			return "output summary is too long"
		}
		c.Title, c.Summary = *o.Title, *o.Summary
		if o.Text != nil {
			c.Text = *o.Text
		}
		c.Annotations = append(c.Annotations, o.Annotations...)
	}
	return ""
}

func (f *FakeGitHub) createCheckRun(w http.ResponseWriter, r *http.Request, rp *Repo) {
	var in checkRunIn
	if !decodeBody(w, r, &in) {
		return
	}
	if in.Name == "" || in.HeadSHA == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "name and head_sha are required"})
		return
	}
	f.nextID++
	c := &CheckRun{ID: f.nextID, Name: in.Name, HeadSHA: in.HeadSHA, ExternalID: in.ExternalID, Status: "queued"}
	if msg := in.apply(c); msg != "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": msg})
		return
	}
	rp.checkRuns = append(rp.checkRuns, c)
	writeJSON(w, http.StatusCreated, map[string]any{"id": c.ID, "name": c.Name, "head_sha": c.HeadSHA, "status": c.Status})
}

func (f *FakeGitHub) updateCheckRun(w http.ResponseWriter, r *http.Request, rp *Repo) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in checkRunIn
	if !decodeBody(w, r, &in) {
		return
	}
	for _, c := range rp.checkRuns {
		if c.ID == id {
			next := *c
			next.Annotations = slices.Clone(c.Annotations)
			if msg := in.apply(&next); msg != "" {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": msg})
				return
			}
			next.Updates++
			*c = next
			writeJSON(w, http.StatusOK, map[string]any{"id": c.ID, "name": c.Name, "status": c.Status, "conclusion": c.Conclusion})
			return
		}
	}
	notFound(w)
}
