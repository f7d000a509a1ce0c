package webhook

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lockreview/lockreview/pkg/registry"
)

// Metrics holds the server's Prometheus collectors, on a registry of its own
// (not the global one, so tests and several servers in one process do not
// collide). Its methods are safe for concurrent use and on a nil *Metrics.
type Metrics struct {
	reg *prometheus.Registry

	deliveries     *prometheus.CounterVec
	ackSeconds     prometheus.Histogram
	reviews        *prometheus.CounterVec
	reviewSeconds  prometheus.Histogram
	githubRequests *prometheus.CounterVec
	githubRetries  prometheus.Counter
	tasks          *prometheus.CounterVec
}

// Delivery outcomes, the outcome label of lockreview_webhook_deliveries_total.
const (
	outcomeAccepted         = "accepted"          // queued
	outcomeIgnored          = "ignored"           // valid, nothing to do
	outcomeDuplicate        = "duplicate"         // delivery id seen before
	outcomePing             = "ping"              // answered 200
	outcomeInvalidSignature = "invalid_signature" // 401
	outcomeTooLarge         = "too_large"         // 413
	outcomeBadRequest       = "bad_request"       // 400
	outcomeQueueFull        = "queue_full"        // 503
)

// knownEvents bounds the event label: header values of unsigned requests
// must not create series.
var knownEvents = map[string]bool{
	"pull_request": true, "issue_comment": true, "check_run": true, "check_suite": true,
	"installation": true, "installation_repositories": true, "ping": true,
}

// NewMetrics returns the collectors, registered with Go runtime and process
// collectors on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lockreview_webhook_deliveries_total",
			Help: "Webhook deliveries received, by event and outcome.",
		}, []string{"event", "outcome"}),
		ackSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "lockreview_webhook_ack_seconds",
			Help:    "Time from receiving a delivery to answering it.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}),
		reviews: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lockreview_reviews_total",
			Help: "Reviews finished, by check run conclusion (success, neutral, failure, cancelled).",
		}, []string{"conclusion"}),
		reviewSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "lockreview_review_duration_seconds",
			Help:    "Time from a review starting on a worker to its check run completing.",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}),
		githubRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lockreview_github_requests_total",
			Help: "HTTP requests to the GitHub API (each attempt), by method and status code (\"error\" when no response).",
		}, []string{"method", "code"}),
		githubRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lockreview_github_retries_total",
			Help: "GitHub API requests repeated after a 5xx, a rate limit or a transport error.",
		}),
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lockreview_queue_tasks_total",
			Help: "Queued tasks by outcome: done, failed, coalesced (replaced by a newer one for the same pull request), skipped (same head already queued or reviewed), cancelled, rejected (queue full), dropped (at shutdown).",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.deliveries, m.ackSeconds, m.reviews, m.reviewSeconds, m.githubRequests, m.githubRetries, m.tasks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// WatchRegistry exports the npm registry client's counters (requests by
// kind, errors, retries, cache hits) read at scrape time.
func (m *Metrics) WatchRegistry(stats func() registry.Stats) {
	if m == nil || stats == nil {
		return
	}
	for _, kind := range []string{registry.KindManifest, registry.KindPackument, registry.KindAttestations, registry.KindKeys} {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "lockreview_registry_requests_total",
			Help:        "HTTP requests to the npm registry (retries included), by kind.",
			ConstLabels: prometheus.Labels{"kind": kind},
		}, func() float64 { return float64(stats().Requests[kind]) }))
	}
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "lockreview_registry_errors_total",
			Help: "npm registry fetches that failed after retries (404s not included).",
		}, func() float64 { return float64(stats().Errors) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "lockreview_registry_not_found_total",
			Help: "npm registry fetches answered 404.",
		}, func() float64 { return float64(stats().NotFound) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "lockreview_registry_retries_total",
			Help: "npm registry requests repeated after a retryable failure.",
		}, func() float64 { return float64(stats().Retries) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "lockreview_registry_cache_hits_total",
			Help: "npm registry lookups answered from the cache.",
		}, func() float64 { return float64(stats().CacheHits) }),
	)
}

// watchQueue exports the queue's depth and running tasks.
func (m *Metrics) watchQueue(depth, running func() int) {
	if m == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "lockreview_queue_depth",
			Help: "Tasks waiting for a worker.",
		}, func() float64 { return float64(depth()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "lockreview_queue_running",
			Help: "Tasks running on a worker.",
		}, func() float64 { return float64(running()) }),
	)
}

func (m *Metrics) delivery(event, outcome string, seconds float64) {
	if m == nil {
		return
	}
	if !knownEvents[event] {
		event = "other"
	}
	m.deliveries.WithLabelValues(event, outcome).Inc()
	m.ackSeconds.Observe(seconds)
}

func (m *Metrics) review(conclusion string, seconds float64) {
	if m == nil {
		return
	}
	m.reviews.WithLabelValues(conclusion).Inc()
	m.reviewSeconds.Observe(seconds)
}

func (m *Metrics) githubRequest(method string, code int) {
	if m == nil {
		return
	}
	c := "error"
	if code > 0 {
		c = strconv.Itoa(code)
	}
	m.githubRequests.WithLabelValues(method, c).Inc()
}

func (m *Metrics) githubRetry() {
	if m != nil {
		m.githubRetries.Inc()
	}
}

func (m *Metrics) task(outcome string) {
	if m != nil {
		m.tasks.WithLabelValues(outcome).Inc()
	}
}
