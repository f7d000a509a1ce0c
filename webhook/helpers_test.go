package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/testkit"
	"github.com/lockreview/lockreview/webhook"
	"github.com/lockreview/lockreview/webhook/githubtest"
)

// The repository, pull request and commits of the octokit/webhooks
// pull_request payloads in testdata/webhooks/pull_request/.
const (
	owner    = "Codertocat"
	repoName = "Hello-World"
	prNum    = 2
	headSHA  = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	baseSHA  = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	// newSHA is a later push to the pull request.
	newSHA = "1111111111111111111111111111111111111111"
)

var secret = []byte("It's a Secret to Everybody")

// env is a server wired to a fake GitHub.
type env struct {
	t      testing.TB
	gh     *githubtest.FakeGitHub
	srv    *webhook.Server
	engine *countingEngine
	ids    atomic.Int64
}

type envConfig struct {
	ghOpts  []githubtest.Option
	ep      func(*githubtest.FakeGitHub) webhook.Endpoints
	async   bool // the real Queue
	workers int
	engine  webhook.Engine
	timeout time.Duration
	logger  *slog.Logger
}

type envOption func(*envConfig)

func withGitHub(opts ...githubtest.Option) envOption {
	return func(c *envConfig) { c.ghOpts = append(c.ghOpts, opts...) }
}

func withAsync(workers int) envOption {
	return func(c *envConfig) { c.async, c.workers = true, workers }
}

func withEndpoints(f func(*githubtest.FakeGitHub) webhook.Endpoints) envOption {
	return func(c *envConfig) { c.ep = f }
}

func withLogger(l *slog.Logger) envOption { return func(c *envConfig) { c.logger = l } }

func withEngine(e webhook.Engine) envOption { return func(c *envConfig) { c.engine = e } }

func withTimeout(d time.Duration) envOption { return func(c *envConfig) { c.timeout = d } }

// newEnv starts a fake GitHub and a server using it, with the synchronous
// scheduler unless withAsync.
func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = testLogger(t)
	}
	gh := githubtest.NewFakeGitHub(t, cfg.ghOpts...)
	ep := webhook.Endpoints{API: gh.URL() + "/", Tokens: gh.URL()}
	if cfg.ep != nil {
		ep = cfg.ep(gh)
	}
	apps, err := webhook.NewApps(githubtest.AppID, gh.PrivateKey(), ep,
		webhook.WithRetry(3, time.Millisecond, 2*time.Second), webhook.WithRequestTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, gh: gh}
	engine := cfg.engine
	if engine == nil {
		e.engine = &countingEngine{next: &review.Reviewer{}}
		engine = e.engine
	}
	wc := webhook.Config{
		AppID:         githubtest.AppID,
		WebhookSecret: secret,
		Apps:          apps,
		Engine:        engine,
		Logger:        cfg.logger,
		ReviewTimeout: cfg.timeout,
	}
	if cfg.async {
		wc.Workers = cfg.workers
	} else {
		wc.Scheduler = &webhook.SyncScheduler{Timeout: cfg.timeout}
	}
	srv, err := webhook.NewServer(wc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(t.Context()) })
	e.srv = srv
	return e
}

// countingEngine counts the reviews run.
type countingEngine struct {
	next webhook.Engine
	runs atomic.Int64
}

func (c *countingEngine) Run(ctx context.Context, req review.Request) (*review.Result, error) {
	c.runs.Add(1)
	return c.next.Run(ctx, req)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testLogger writes the server's logs to the test log, as JSON.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewJSONHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// lockfiles returns a scenario's base and head lockfiles from the shared
// testdata/lockfiles/.
func lockfiles(t testing.TB, scenario string) (base, head []byte) {
	t.Helper()
	dir := testkit.Testdata(t, "lockfiles/"+scenario)
	var err error
	if base, err = os.ReadFile(dir + "/base.json"); err != nil {
		t.Fatal(err)
	}
	if head, err = os.ReadFile(dir + "/head.json"); err != nil {
		t.Fatal(err)
	}
	return base, head
}

// setupPR makes pull request #2 change package-lock.json from the
// scenario's base to its head (commits baseSHA and headSHA).
func (e *env) setupPR(scenario string) {
	e.t.Helper()
	base, head := lockfiles(e.t, scenario)
	e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{"package-lock.json": base, "README.md": []byte("hello\n")})
	e.gh.Commit(owner, repoName, headSHA, map[string][]byte{"package-lock.json": head, "README.md": []byte("hello\n")})
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{
		Number: prNum, HeadSHA: headSHA, BaseSHA: baseSHA, BaseRef: "master",
		Files: []githubtest.File{{Path: "package-lock.json"}},
	})
}

// payload reads testdata/webhooks/<name> and applies edits ("a.b.c" → value).
func payload(t testing.TB, name string, edits map[string]any) []byte {
	t.Helper()
	data, err := os.ReadFile(testkit.Testdata(t, "webhooks/"+name))
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) == 0 {
		return data
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for path, v := range edits {
		keys := strings.Split(path, ".")
		m := doc
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		m[keys[len(keys)-1]] = v
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// deliver sends a signed delivery with a fresh id.
func (e *env) deliver(event string, body []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.deliverID(event, fmt.Sprintf("00000000-0000-0000-0000-%012d", e.ids.Add(1)), body)
}

func (e *env) deliverID(event, id string, body []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, githubtest.SignedRequest(event, id, body, secret))
	return w
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, code int) {
	t.Helper()
	if w.Code != code {
		t.Fatalf("status = %d %q, want %d", w.Code, strings.TrimSpace(w.Body.String()), code)
	}
}

// onlyCheck returns the one check run, failing unless there is exactly one.
func (e *env) onlyCheck() githubtest.CheckRun {
	e.t.Helper()
	runs := e.gh.CheckRuns(owner, repoName)
	if len(runs) != 1 {
		e.t.Fatalf("%d check runs, want 1: %+v", len(runs), runs)
	}
	return runs[0]
}

// comments returns the comments on the pull request.
func (e *env) comments() []githubtest.Comment { return e.gh.Comments(owner, repoName, prNum) }

func (e *env) countCalls(method, pathPrefix string) int {
	n := 0
	for _, c := range e.gh.Calls() {
		if c.Method == method && strings.HasPrefix(c.Path, pathPrefix) {
			n++
		}
	}
	return n
}

func mustContain(t testing.TB, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
