package registry

import (
	"net/http"
	"time"
)

// Defaults for [New]. The cache TTLs are documented on the methods that use
// them.
const (
	// DefaultURL is the public npm registry.
	DefaultURL = "https://registry.npmjs.org"

	// DefaultConcurrency is the default bound on requests in flight.
	DefaultConcurrency = 16
	// DefaultTimeout is the default bound on one request attempt.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxResponseSize caps manifests, attestations and keys.
	DefaultMaxResponseSize = 32 << 20
	// DefaultMaxPackument caps the bytes streamed from a packument (never
	// held in memory).
	DefaultMaxPackument = 256 << 20
	// DefaultRetries is the default number of retries after a retryable
	// failure.
	DefaultRetries = 3
	// DefaultCacheSize is the default number of LRU entries.
	DefaultCacheSize = 10_000
	// DefaultUserAgent is the default User-Agent header.
	DefaultUserAgent = "lockreview (+https://github.com/lockreview/lockreview)"

	// maxRetryWait caps a Retry-After header and the exponential backoff,
	// so one slow registry answer cannot stall a review for an hour.
	maxRetryWait = 30 * time.Second
	// retryBase is the first backoff step; it doubles on each attempt.
	retryBase = 250 * time.Millisecond
)

// Option configures a [Client] built by [New].
type Option func(*config)

type config struct {
	token        string
	httpClient   *http.Client
	concurrency  int
	timeout      time.Duration
	maxBody      int64
	maxPackument int64
	retries      int
	cacheSize    int
	userAgent    string

	// Test hooks, set through export_test.go.
	retryBase    time.Duration
	maxRetryWait time.Duration
	now          func() time.Time
}

func defaultConfig() config {
	return config{
		concurrency:  DefaultConcurrency,
		timeout:      DefaultTimeout,
		maxBody:      DefaultMaxResponseSize,
		maxPackument: DefaultMaxPackument,
		retries:      DefaultRetries,
		cacheSize:    DefaultCacheSize,
		userAgent:    DefaultUserAgent,
		retryBase:    retryBase,
		maxRetryWait: maxRetryWait,
		now:          time.Now,
	}
}

// WithToken sends token as `Authorization: Bearer <token>` on every request
// to the configured registry, and to nothing else. The token is never logged
// and never appears in an error. The caller reads it from the environment or
// a file; this package never does.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithHTTPClient makes requests with hc's transport. The client is copied:
// its CheckRedirect is replaced by one that refuses other origins, and its
// Timeout is left as is (the per-request timeout is [WithTimeout]).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithConcurrency bounds the requests in flight at once across all calls on
// the client. The default is [DefaultConcurrency]; n must be at least 1.
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// WithTimeout bounds each request attempt, from sending it to reading the
// last byte of the body. The default is [DefaultTimeout].
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithMaxResponseSize caps the body of a manifest, attestations or keys
// response; a larger one fails with [ErrTooLarge]. The default is
// [DefaultMaxResponseSize].
func WithMaxResponseSize(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithMaxPackumentSize caps the bytes read from a packument by
// [Client.PublishTimes]. The packument is streamed, so this bounds time and
// bandwidth, not memory. The default is [DefaultMaxPackument].
func WithMaxPackumentSize(n int64) Option { return func(c *config) { c.maxPackument = n } }

// WithRetries sets how many times a request is retried after a network
// error, a timeout, HTTP 429 or a 5xx (other than 501). Waits grow
// exponentially with jitter from 250 ms, follow a Retry-After header
// (seconds or HTTP date) when the registry sends one, are capped at 30 s,
// and end early when the context is done. The default is [DefaultRetries];
// 0 disables retries.
func WithRetries(n int) Option { return func(c *config) { c.retries = n } }

// WithCacheSize sets the number of entries of the LRU shared by all calls on
// the client (manifests, attestations, publish times, keys and cached 404s).
// The default is [DefaultCacheSize].
func WithCacheSize(n int) Option { return func(c *config) { c.cacheSize = n } }

// WithUserAgent sets the User-Agent header. The default is
// [DefaultUserAgent].
func WithUserAgent(s string) Option { return func(c *config) { c.userAgent = s } }
