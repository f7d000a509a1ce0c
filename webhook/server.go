package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Config configures a Server. AppID, WebhookSecret, Apps and Engine are
// required.
type Config struct {
	// AppID is the GitHub App's id.
	AppID int64
	// WebhookSecret verifies deliveries. It is never logged.
	WebhookSecret []byte
	// Apps authenticates as the App (NewApps).
	Apps *Apps
	// Engine runs reviews (a *review.Reviewer).
	Engine Engine

	// Scheduler runs tasks. nil means a Queue of Workers workers and
	// QueueSize waiting tasks, each task bounded by ReviewTimeout.
	Scheduler     Scheduler
	Workers       int           // default 4
	QueueSize     int           // default 1000
	ReviewTimeout time.Duration // default 5m

	// DataDir, when set, persists the delivery ids seen, so a redelivery
	// after a restart is still recognised.
	DataDir string
	// Deliveries bounds the delivery ids remembered (default 100,000, for
	// DeliveryTTL, default 72h).
	Deliveries  int
	DeliveryTTL time.Duration

	Logger  *slog.Logger // default slog.Default()
	Metrics *Metrics     // default NewMetrics()
}

// Server is the GitHub App server: POST /webhook, GET /healthz, /readyz and
// /metrics.
type Server struct {
	cfg        Config
	dispatcher *Dispatcher
	queue      *Queue // nil with a caller's Scheduler
	seen       *recentSet
	mux        *http.ServeMux
	ready      atomic.Bool
	log        *slog.Logger
}

// NewServer checks cfg and builds the server. The Queue's workers start
// now; Shutdown stops them.
func NewServer(cfg Config) (*Server, error) {
	var errs []error
	if cfg.AppID <= 0 {
		errs = append(errs, errors.New("app id is required"))
	}
	if len(cfg.WebhookSecret) == 0 {
		errs = append(errs, errors.New("webhook secret is required"))
	}
	if cfg.Apps == nil {
		errs = append(errs, errors.New("app authentication (Apps) is required"))
	}
	if cfg.Engine == nil {
		errs = append(errs, errors.New("review engine is required"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 1000
	}
	if cfg.ReviewTimeout <= 0 {
		cfg.ReviewTimeout = 5 * time.Minute
	}
	if cfg.Deliveries <= 0 {
		cfg.Deliveries = 100_000
	}
	if cfg.DeliveryTTL <= 0 {
		cfg.DeliveryTTL = 72 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}

	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux()}
	s.seen = newRecentSet(cfg.Deliveries, cfg.DeliveryTTL)
	if cfg.DataDir != "" {
		if err := s.seen.openRecentLog(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	sched := cfg.Scheduler
	if sched == nil {
		s.queue = NewQueue(cfg.Workers, cfg.QueueSize, WithTaskTimeout(cfg.ReviewTimeout), WithQueueMetrics(cfg.Metrics))
		sched = s.queue
	}
	apps := cfg.Apps
	apps.useMetrics(cfg.Metrics)
	rv := &reviews{
		runner: NewRunner(func(id int64) GitHub { return apps.Installation(id) }, cfg.Engine, cfg.Metrics),
		sched:  sched,
		gate:   func(id int64) Gate { return apps.Installation(id) },
		appID:  cfg.AppID,
	}
	handlers := []EventHandler{
		&PullRequestHandler{rv},
		&IssueCommentHandler{rv},
		&CheckRunHandler{rv},
		&CheckSuiteHandler{rv},
		&InstallationHandler{forget: apps.Forget},
	}
	s.dispatcher = &Dispatcher{
		secret:   cfg.WebhookSecret,
		handlers: map[string]EventHandler{},
		sched:    sched,
		seen:     s.seen,
		metrics:  cfg.Metrics,
		logger:   cfg.Logger,
		now:      time.Now,
	}
	for _, h := range handlers {
		for _, ev := range h.Handles() {
			s.dispatcher.handlers[ev] = h
		}
	}

	s.mux.Handle("/webhook", s.dispatcher)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	s.mux.Handle("GET /metrics", cfg.Metrics.Handler())
	// Configuration is loaded and the key parsed (NewApps took it): ready.
	s.ready.Store(true)
	return s, nil
}

// ServeHTTP routes to /webhook, /healthz, /readyz and /metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Serve answers on ln until ctx ends, then shuts down gracefully: /readyz
// turns 503, the listener closes, requests in flight are answered, and the
// queue drains (running and waiting reviews finish) for at most drain; what
// is still running then is cancelled and completes its check run as
// interrupted.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		s.Shutdown(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "drain", drain.String())
	s.ready.Store(false)
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	herr := hs.Shutdown(sctx)
	if errors.Is(herr, context.DeadlineExceeded) {
		herr = nil // slow clients are cut; their deliveries are redelivered
	}
	return errors.Join(herr, s.Shutdown(sctx))
}

// Shutdown marks the server not ready, drains the queue until ctx ends (see
// Queue.Shutdown) and closes the delivery log.
func (s *Server) Shutdown(ctx context.Context) error {
	s.ready.Store(false)
	var err error
	if s.queue != nil {
		err = s.queue.Shutdown(ctx)
		if err != nil {
			s.log.Warn("queue not drained", "error", err)
		} else {
			s.log.Info("queue drained")
		}
	}
	return errors.Join(err, s.seen.Close())
}

// Queue returns the server's queue, or nil when Config.Scheduler was set.
func (s *Server) Queue() *Queue { return s.queue }
