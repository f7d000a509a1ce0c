package webhook_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockreview/lockreview/webhook"
)

// gate is a task body that blocks until released, recording its start.
type gate struct {
	started chan string
	release chan struct{}
}

func newGate() *gate { return &gate{started: make(chan string, 100), release: make(chan struct{})} }

func (g *gate) task(key, name string, ran *[]string, mu *sync.Mutex) webhook.Task {
	return webhook.Task{Key: key, HeadSHA: name, Run: func(ctx context.Context) error {
		g.started <- name
		select {
		case <-g.release:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		mu.Lock()
		*ran = append(*ran, name)
		mu.Unlock()
		return nil
	}}
}

func waitStarted(t *testing.T, g *gate, want string) {
	t.Helper()
	select {
	case got := <-g.started:
		if got != want {
			t.Fatalf("started %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%q did not start", want)
	}
}

func TestQueueCoalescesPerPullRequest(t *testing.T) {
	q := webhook.NewQueue(1, 10)
	g := newGate()
	var ran []string
	var mu sync.Mutex
	// "other" occupies the only worker; three deliveries for PR a queue up
	// behind it: only the newest runs.
	must(t, q.Submit(g.task("other", "o", &ran, &mu)))
	waitStarted(t, g, "o")
	for _, sha := range []string{"a1", "a2", "a3"} {
		must(t, q.Submit(g.task("a", sha, &ran, &mu)))
	}
	if d := q.Depth(); d != 1 {
		t.Errorf("depth %d, want 1 (coalesced)", d)
	}
	close(g.release)
	waitStarted(t, g, "a3")
	must(t, q.Shutdown(context.Background()))
	if want := []string{"o", "a3"}; !equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
}

func TestQueueSupersedesRunningTask(t *testing.T) {
	q := webhook.NewQueue(2, 10)
	var cause atomic.Value
	started := make(chan struct{})
	must(t, q.Submit(webhook.Task{Key: "pr", HeadSHA: "old", Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		cause.Store(context.Cause(ctx))
		return nil
	}}))
	<-started
	var newRan atomic.Bool
	must(t, q.Submit(webhook.Task{Key: "pr", HeadSHA: "new", Run: func(ctx context.Context) error {
		if cause.Load() == nil {
			t.Error("the new task started before the old one returned")
		}
		newRan.Store(true)
		return nil
	}}))
	must(t, q.Shutdown(context.Background()))
	if c, _ := cause.Load().(error); !errors.Is(c, webhook.ErrSuperseded) {
		t.Errorf("old task's cause = %v, want ErrSuperseded", c)
	}
	if !newRan.Load() {
		t.Error("new task did not run")
	}
}

func TestQueueSkipsAutomaticDuplicates(t *testing.T) {
	q := webhook.NewQueue(1, 10)
	var runs atomic.Int64
	task := func(sha string, automatic bool) webhook.Task {
		return webhook.Task{Key: "pr", HeadSHA: sha, Automatic: automatic, Run: func(ctx context.Context) error {
			runs.Add(1)
			return nil
		}}
	}
	must(t, q.Submit(task("s1", true)))
	waitFor(t, func() bool { return runs.Load() == 1 && q.Running() == 0 })
	must(t, q.Submit(task("s1", true)))  // same push announced again: skipped
	must(t, q.Submit(task("s1", false))) // someone asked: runs
	waitFor(t, func() bool { return runs.Load() == 2 && q.Running() == 0 })
	must(t, q.Submit(task("s2", true))) // a new push: runs
	waitFor(t, func() bool { return runs.Load() == 3 && q.Running() == 0 })
	must(t, q.Submit(task("s1", true))) // force-pushed back: the comment describes s2, so runs
	must(t, q.Shutdown(context.Background()))
	if n := runs.Load(); n != 4 {
		t.Errorf("%d runs, want 4", n)
	}
}

func TestQueueCapacity(t *testing.T) {
	q := webhook.NewQueue(1, 2)
	g := newGate()
	var ran []string
	var mu sync.Mutex
	must(t, q.Submit(g.task("busy", "b", &ran, &mu)))
	waitStarted(t, g, "b")
	must(t, q.Submit(g.task("x", "x", &ran, &mu)))
	must(t, q.Submit(g.task("y", "y", &ran, &mu)))
	if err := q.Submit(g.task("z", "z", &ran, &mu)); !errors.Is(err, webhook.ErrCapacityExceeded) {
		t.Errorf("Submit on a full queue = %v, want ErrCapacityExceeded", err)
	}
	// A newer delivery for a waiting pull request still fits: it replaces.
	must(t, q.Submit(g.task("x", "x2", &ran, &mu)))
	close(g.release)
	must(t, q.Shutdown(context.Background()))
	if err := q.Submit(g.task("late", "l", &ran, &mu)); !errors.Is(err, webhook.ErrClosed) {
		t.Errorf("Submit after Shutdown = %v, want ErrClosed", err)
	}
	if want := []string{"b", "x2", "y"}; !equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
}

func TestQueueSerializesPerKeyAndRecoversPanics(t *testing.T) {
	q := webhook.NewQueue(4, 1000)
	var inFlight, maxInFlight, runs atomic.Int64
	for i := range 200 {
		key := []string{"a", "b", "c"}[i%3]
		must(t, q.Submit(webhook.Task{Key: key, Run: func(ctx context.Context) error {
			if n := inFlight.Add(1); n > maxInFlight.Load() {
				maxInFlight.Store(n)
			}
			defer inFlight.Add(-1)
			runs.Add(1)
			time.Sleep(time.Millisecond)
			if runs.Load()%7 == 0 {
				panic("boom")
			}
			return nil
		}}))
		must(t, q.Submit(webhook.Task{Run: func(ctx context.Context) error { return nil }}))
	}
	must(t, q.Shutdown(context.Background()))
	if maxInFlight.Load() > 3 {
		t.Errorf("%d tasks ran at once for 3 keys", maxInFlight.Load())
	}
	if runs.Load() < 3 {
		t.Errorf("%d runs", runs.Load())
	}
}

func TestQueueShutdownDeadline(t *testing.T) {
	q := webhook.NewQueue(1, 10)
	var cause atomic.Value
	started := make(chan struct{})
	must(t, q.Submit(webhook.Task{Key: "a", Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		cause.Store(context.Cause(ctx))
		return nil
	}}))
	var dropped atomic.Bool
	must(t, q.Submit(webhook.Task{Key: "b", Run: func(ctx context.Context) error { dropped.Store(true); return nil }}))
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := q.Shutdown(ctx); err == nil {
		t.Error("Shutdown past its deadline returned nil")
	}
	if c, _ := cause.Load().(error); !errors.Is(c, webhook.ErrShutdown) {
		t.Errorf("running task's cause = %v, want ErrShutdown", c)
	}
	if dropped.Load() {
		t.Error("a waiting task ran after the drain deadline")
	}
}

func TestQueueTaskTimeout(t *testing.T) {
	q := webhook.NewQueue(1, 1, webhook.WithTaskTimeout(20*time.Millisecond))
	done := make(chan error, 1)
	must(t, q.Submit(webhook.Task{Run: func(ctx context.Context) error {
		<-ctx.Done()
		done <- ctx.Err()
		return nil
	}}))
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("task ctx ended with %v, want DeadlineExceeded", err)
	}
	must(t, q.Shutdown(context.Background()))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
