package webhook_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/testkit"
	"github.com/lockreview/lockreview/webhook"
	"github.com/lockreview/lockreview/webhook/githubtest"
)

// discardScheduler counts tasks and runs none.
type discardScheduler struct{ n atomic.Int64 }

func (d *discardScheduler) Submit(webhook.Task) error { d.n.Add(1); return nil }

// panicWatch fails the fuzz run when routing panicked (the dispatcher
// recovers and logs it, so the panic would otherwise pass unseen).
type panicWatch struct{ hit atomic.Bool }

func (p *panicWatch) Enabled(context.Context, slog.Level) bool { return true }
func (p *panicWatch) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "route panicked" {
		p.hit.Store(true)
	}
	return nil
}
func (p *panicWatch) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p *panicWatch) WithGroup(string) slog.Handler      { return p }

// FuzzDispatch: any body under any event type, validly signed, is answered
// with one of the dispatcher's statuses and never panics.
func FuzzDispatch(f *testing.F) {
	root := testkit.Testdata(f, "webhooks")
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.json"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		event := filepath.Base(filepath.Dir(p))
		f.Add(event, data)
		f.Add("check_run", data)
	}
	for _, s := range []string{`{}`, `null`, `[]`, `{"action":"created","issue":{"pull_request":null}}`,
		`{"action":"opened","number":-1,"installation":{"id":1},"repository":{"name":"r","owner":{"login":"o"}}}`,
		`{"action":"rerequested","check_run":{"name":"lockreview","pull_requests":[{"number":1}]},"installation":{"id":1},"repository":{"name":"r","owner":{"login":"o"}}}`,
		`{"action":"created","issue":{"number":1,"pull_request":{}},"comment":{"body":"/recheck","user":{"login":"a"}},"installation":{"id":1},"repository":{"name":"r","owner":{"login":"o"}}}`} {
		f.Add("issue_comment", []byte(s))
		f.Add("pull_request", []byte(s))
	}

	gh := githubtest.NewFakeGitHub(f)
	apps, err := webhook.NewApps(githubtest.AppID, gh.PrivateKey(), webhook.Endpoints{API: gh.URL() + "/", Tokens: gh.URL()})
	if err != nil {
		f.Fatal(err)
	}
	watch := &panicWatch{}
	sched := &discardScheduler{}
	srv, err := webhook.NewServer(webhook.Config{
		AppID: githubtest.AppID, WebhookSecret: secret, Apps: apps, Engine: &review.Reviewer{},
		Scheduler: sched, Logger: slog.New(watch), Deliveries: 1000,
	})
	if err != nil {
		f.Fatal(err)
	}
	var id atomic.Int64
	allowed := map[int]bool{http.StatusOK: true, http.StatusAccepted: true, http.StatusBadRequest: true}
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		if strings.ContainsAny(event, "\r\n\x00") || event == "" {
			return // not a header value net/http would deliver
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, githubtest.SignedRequest(event, "fuzz-"+itoa(id.Add(1)), body, secret))
		if !allowed[w.Code] {
			t.Fatalf("event %q: status %d %q", event, w.Code, w.Body.String())
		}
		if watch.hit.Load() {
			t.Fatalf("event %q: routing panicked on %q", event, body)
		}
	})
}
