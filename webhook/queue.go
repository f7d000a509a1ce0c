package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Scheduling errors.
var (
	// ErrCapacityExceeded: the queue is full; the delivery is answered 503
	// so GitHub reports it failed and it can be redelivered.
	ErrCapacityExceeded = errors.New("queue capacity exceeded")
	// ErrClosed: the scheduler is shutting down and takes no more tasks.
	ErrClosed = errors.New("queue closed")
)

// Cancellation causes a task's context can carry (context.Cause).
var (
	// ErrSuperseded: a newer delivery for the same pull request replaced
	// this task while it ran.
	ErrSuperseded = errors.New("superseded by a newer review of the same pull request")
	// ErrShutdown: the server stopped before the task completed.
	ErrShutdown = errors.New("lockreview stopped before the review completed")
)

// Task is one unit of work a delivery asks for. Tasks with the same Key (a
// pull request) never run at the same time, and a newer one supersedes an
// older one: a waiting one is replaced, a running one is cancelled with
// ErrSuperseded.
type Task struct {
	// Key identifies the pull request ("owner/repo#12", lower case); empty
	// for a task that coalesces with nothing.
	Key string
	// HeadSHA is the head commit the delivery was about (a hint: the review
	// reads the pull request's current head).
	HeadSHA string
	// Automatic marks a task GitHub sends on its own for a push
	// (pull_request synchronize, check_suite requested). An automatic task
	// is skipped when a task for the same Key and HeadSHA is waiting or
	// running, or was the last to finish for that Key: one push is
	// reviewed once. Tasks a person asked for (/recheck, re-run) always run.
	Automatic bool
	// Logger carries the delivery's log attributes; nil means slog.Default().
	Logger *slog.Logger
	// Run does the work. ctx carries the logger, the review deadline, and
	// the cancellation causes above. A returned error is logged.
	Run func(ctx context.Context) error
}

// Scheduler runs Tasks. Submit must not block on the task's work.
type Scheduler interface {
	// Submit queues t. It returns ErrCapacityExceeded or ErrClosed when t
	// cannot be queued; an accepted task that is later coalesced or skipped
	// counts as accepted.
	Submit(t Task) error
}

// SyncScheduler runs each task in Submit, in the caller's goroutine, with a
// fresh context: tests get deterministic results with nothing to wait for.
// It does not coalesce. The zero value is ready to use.
type SyncScheduler struct {
	// Timeout bounds each task; zero means no deadline.
	Timeout time.Duration
}

// Submit runs t and returns nil; t's error is logged.
func (s *SyncScheduler) Submit(t Task) error {
	ctx := context.Background()
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	runTask(ctx, t)
	return nil
}

// runTask runs t with its logger in ctx and turns a panic into a logged
// error with its stack.
func runTask(ctx context.Context, t Task) (err error) {
	l := t.Logger
	if l == nil {
		l = slog.Default()
	}
	ctx = withLogger(ctx, l)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("task panicked: %v\n%s", p, debug.Stack())
		}
		if err != nil {
			l.Error("task failed", "error", err)
		}
	}()
	return t.Run(ctx)
}

// Queue is the asynchronous Scheduler: a bounded queue in front of a fixed
// pool of workers, coalescing tasks per pull request. It is in memory: a
// task still waiting when the process dies is lost (GitHub's redelivery or
// a /recheck brings it back), which is why Submit's answer is the only
// promise made to GitHub.
type Queue struct {
	capacity int
	timeout  time.Duration
	metrics  *Metrics

	base       context.Context
	cancelBase context.CancelCauseFunc

	mu      sync.Mutex
	cond    *sync.Cond
	waiting []*queued          // FIFO
	byKey   map[string]*queued // waiting task per key
	running map[string]*queued // running task per key
	nrun    int
	done    *lru.Cache[string, string] // key → head of its last finished task, for Automatic
	closed  bool
	wg      sync.WaitGroup
}

type queued struct {
	t      Task
	cancel context.CancelCauseFunc // set while running
}

// QueueOption configures NewQueue.
type QueueOption func(*Queue)

// WithTaskTimeout bounds each task (the review deadline); zero means none.
func WithTaskTimeout(d time.Duration) QueueOption { return func(q *Queue) { q.timeout = d } }

// WithQueueMetrics reports queue depth and task outcomes to m.
func WithQueueMetrics(m *Metrics) QueueOption { return func(q *Queue) { q.metrics = m } }

// NewQueue starts workers goroutines taking tasks from a queue of at most
// capacity waiting tasks. It panics on a non-positive argument: that is a
// programming error at start-up.
func NewQueue(workers, capacity int, opts ...QueueOption) *Queue {
	if workers < 1 || capacity < 1 {
		panic(fmt.Sprintf("webhook.NewQueue: workers (%d) and capacity (%d) must be positive", workers, capacity))
	}
	q := &Queue{
		capacity: capacity,
		byKey:    map[string]*queued{},
		running:  map[string]*queued{},
	}
	q.done, _ = lru.New[string, string](10_000)
	for _, o := range opts {
		o(q)
	}
	q.cond = sync.NewCond(&q.mu)
	q.base, q.cancelBase = context.WithCancelCause(context.Background())
	q.metrics.watchQueue(q.Depth, q.Running)
	q.wg.Add(workers)
	for range workers {
		go q.worker()
	}
	return q
}

// Submit queues t (see Scheduler and Task for coalescing).
func (q *Queue) Submit(t Task) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if t.Key != "" {
		if t.Automatic && t.HeadSHA != "" && q.covered(t.Key, t.HeadSHA) {
			q.metrics.task("skipped")
			return nil
		}
		if r := q.running[t.Key]; r != nil {
			r.cancel(ErrSuperseded)
		}
		if w := q.byKey[t.Key]; w != nil {
			// Keep the older task's place in line: it was waiting longest.
			w.t = t
			q.metrics.task("coalesced")
			return nil
		}
	}
	if len(q.waiting) >= q.capacity {
		q.metrics.task("rejected")
		return ErrCapacityExceeded
	}
	e := &queued{t: t}
	q.waiting = append(q.waiting, e)
	if t.Key != "" {
		q.byKey[t.Key] = e
	}
	q.cond.Signal()
	return nil
}

// covered reports whether key@sha is waiting, running or done; q.mu is held.
func (q *Queue) covered(key, sha string) bool {
	if w := q.byKey[key]; w != nil && w.t.HeadSHA == sha {
		return true
	}
	if r := q.running[key]; r != nil && r.t.HeadSHA == sha {
		return true
	}
	// Only the last finished head counts: after a push of B, a force-push
	// back to A must be reviewed again (the comment describes B).
	last, ok := q.done.Get(key)
	return ok && last == sha
}

func (q *Queue) worker() {
	defer q.wg.Done()
	for {
		e := q.next()
		if e == nil {
			return
		}
		ctx, cancel := context.WithCancelCause(q.base)
		e.cancel = cancel
		q.mu.Unlock()

		runCtx, stop := ctx, context.CancelFunc(func() {})
		if q.timeout > 0 {
			runCtx, stop = context.WithTimeout(ctx, q.timeout)
		}
		err := runTask(runCtx, e.t)
		stop()
		cause := context.Cause(ctx)
		cancel(nil)

		q.mu.Lock()
		if e.t.Key != "" {
			delete(q.running, e.t.Key)
			if e.t.HeadSHA != "" {
				q.done.Add(e.t.Key, e.t.HeadSHA)
			}
		}
		q.nrun--
		switch {
		case cause != nil:
			q.metrics.task("cancelled")
		case err != nil:
			q.metrics.task("failed")
		default:
			q.metrics.task("done")
		}
		q.cond.Broadcast()
		q.mu.Unlock()
	}
}

// next waits for a task whose key is not running and returns it with q.mu
// held and the task marked running; nil (q.mu released) once the queue is
// closed and empty.
func (q *Queue) next() *queued {
	q.mu.Lock()
	for {
		for i, e := range q.waiting {
			if e.t.Key != "" && q.running[e.t.Key] != nil {
				continue
			}
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			if e.t.Key != "" {
				delete(q.byKey, e.t.Key)
				q.running[e.t.Key] = e
			}
			q.nrun++
			return e
		}
		if q.closed && len(q.waiting) == 0 {
			q.mu.Unlock()
			return nil
		}
		q.cond.Wait()
	}
}

// Depth returns the number of waiting tasks.
func (q *Queue) Depth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// Running returns the number of running tasks.
func (q *Queue) Running() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.nrun
}

// Shutdown stops taking tasks and waits for the waiting and running ones to
// finish. When ctx ends first, the waiting tasks are dropped, the running
// ones are cancelled with ErrShutdown (a review then completes its check
// run as interrupted), and Shutdown waits for them to return.
func (q *Queue) Shutdown(ctx context.Context) error {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()

	idle := make(chan struct{})
	go func() { q.wg.Wait(); close(idle) }()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	q.mu.Lock()
	dropped := len(q.waiting)
	for _, e := range q.waiting {
		if e.t.Logger != nil {
			e.t.Logger.Warn("task dropped at shutdown")
		}
		q.metrics.task("dropped")
	}
	q.waiting, q.byKey = nil, map[string]*queued{}
	q.cond.Broadcast()
	q.mu.Unlock()
	q.cancelBase(ErrShutdown)
	<-idle
	if dropped > 0 {
		return fmt.Errorf("queue shutdown: %d waiting tasks dropped: %w", dropped, ctx.Err())
	}
	return ctx.Err()
}
