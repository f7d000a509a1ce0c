package webhook_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/webhook/githubtest"
)

// pushNew makes newSHA the pull request's head, with the license-change
// lockfile.
func (e *env) pushNew() {
	_, head := lockfiles(e.t, "v3-octokit-webhooks-license-change")
	e.gh.Commit(owner, repoName, newSHA, map[string][]byte{"package-lock.json": head})
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{Number: prNum, HeadSHA: newSHA, BaseSHA: baseSHA, BaseRef: "master", Files: []githubtest.File{{Path: "package-lock.json"}}})
}

// Two synchronize deliveries racing through the real queue: one comment,
// about the newest head, and no check run left in progress.
func TestRacingSynchronize(t *testing.T) {
	for i := range 5 {
		_ = i
		e := newEnv(t, withAsync(4), withGitHub(githubtest.WithLatency(2*time.Millisecond)))
		e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
		e.pushNew()
		var wg sync.WaitGroup
		for _, sha := range []string{headSHA, newSHA} {
			wg.Go(func() {
				w := e.deliver("pull_request", payload(t, "pull_request/synchronize.payload.json", map[string]any{"pull_request.head.sha": sha}))
				wantStatus(t, w, http.StatusAccepted)
			})
		}
		wg.Wait()
		if err := e.srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		cs := e.comments()
		if len(cs) != 1 {
			t.Fatalf("%d comments, want 1", len(cs))
		}
		if !strings.Contains(cs[0].Body, newSHA[:12]) {
			t.Errorf("comment is not about the newest head %s", newSHA[:12])
		}
		runs := e.gh.CheckRuns(owner, repoName)
		if len(runs) == 0 {
			t.Fatal("no check run")
		}
		for _, r := range runs {
			if r.Status != "completed" || r.HeadSHA != newSHA {
				t.Errorf("check run %d on %s is %s, want completed on the newest head", r.ID, r.HeadSHA, r.Status)
			}
		}
		if last := runs[len(runs)-1]; last.Conclusion == "cancelled" {
			t.Errorf("the last check run was cancelled: %+v", last)
		}
	}
}

// blockingEngine blocks each review until released or cancelled.
type blockingEngine struct {
	started chan struct{}
	release chan struct{}
	next    review.Reviewer
}

func (b *blockingEngine) Run(ctx context.Context, req review.Request) (*review.Result, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.next.Run(ctx, req)
}

// A review superseded while it runs completes its check run as cancelled;
// the newer one publishes.
func TestSupersededReviewIsCancelled(t *testing.T) {
	eng := &blockingEngine{started: make(chan struct{}, 4), release: make(chan struct{})}
	e := newEnv(t, withAsync(2), withEngine(eng))
	e.setupPR("v3-octokit-webhooks-license-change")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	<-eng.started
	e.pushNew()
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/synchronize.payload.json", map[string]any{"pull_request.head.sha": newSHA})), http.StatusAccepted)
	<-eng.started // the second review started: the first has returned
	close(eng.release)
	must(t, e.srv.Shutdown(context.Background()))

	runs := e.gh.CheckRuns(owner, repoName)
	if len(runs) != 2 {
		t.Fatalf("%d check runs, want 2", len(runs))
	}
	if runs[0].Conclusion != "cancelled" || runs[0].Status != "completed" {
		t.Errorf("first run %s %s, want completed cancelled", runs[0].Status, runs[0].Conclusion)
	}
	if runs[1].Conclusion != "success" || runs[1].HeadSHA != newSHA {
		t.Errorf("second run %s on %s, want success on %s", runs[1].Conclusion, runs[1].HeadSHA, newSHA)
	}
	if cs := e.comments(); len(cs) != 1 || !strings.Contains(cs[0].Body, newSHA[:12]) {
		t.Errorf("want one comment about %s", newSHA[:12])
	}
}

// Shutdown drains reviews in flight; one still running at the deadline is
// cancelled and its check completed, not left in progress.
func TestShutdown(t *testing.T) {
	t.Run("drains", func(t *testing.T) {
		eng := &blockingEngine{started: make(chan struct{}, 1), release: make(chan struct{})}
		e := newEnv(t, withAsync(1), withEngine(eng))
		e.setupPR("v3-octokit-webhooks-license-change")
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		<-eng.started
		go func() { time.Sleep(20 * time.Millisecond); close(eng.release) }()
		must(t, e.srv.Shutdown(context.Background()))
		if run := e.onlyCheck(); run.Conclusion != "success" {
			t.Errorf("drained review concluded %s", run.Conclusion)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		eng := &blockingEngine{started: make(chan struct{}, 1), release: make(chan struct{})}
		e := newEnv(t, withAsync(1), withEngine(eng))
		e.setupPR("v3-octokit-webhooks-license-change")
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		<-eng.started
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		if err := e.srv.Shutdown(ctx); err == nil {
			t.Error("Shutdown past its deadline returned nil")
		}
		run := e.onlyCheck()
		if run.Status != "completed" || run.Conclusion != "neutral" {
			t.Errorf("interrupted review: %s %s, want completed neutral", run.Status, run.Conclusion)
		}
		mustContain(t, "summary", run.Summary, "stopped before the review completed")
		// Deliveries after shutdown are refused with 503, and their id is
		// not remembered.
		wantStatus(t, e.deliverID("pull_request", "44444444-4444-4444-4444-444444444444", payload(t, "pull_request/reopened.payload.json", nil)), http.StatusServiceUnavailable)
	})
}

// The review deadline ends a stuck review as neutral with the reason.
func TestReviewTimeout(t *testing.T) {
	eng := &blockingEngine{started: make(chan struct{}, 1), release: make(chan struct{})}
	e := newEnv(t, withEngine(eng), withTimeout(50*time.Millisecond))
	e.setupPR("v3-octokit-webhooks-license-change")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	run := e.onlyCheck()
	if run.Status != "completed" || run.Conclusion != "neutral" {
		t.Errorf("timed out review: %s %s", run.Status, run.Conclusion)
	}
	mustContain(t, "summary", run.Summary, "longer than its time limit")
}
