package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Request kinds, the keys of [Stats.Requests].
const (
	KindManifest     = "manifest"
	KindPackument    = "packument"
	KindAttestations = "attestations"
	KindKeys         = "keys"
)

// Cache lifetimes. A published version's manifest and attestations never
// change (npm refuses to republish a version), so they live until the LRU
// evicts them.
const (
	// NegativeTTL is how long a 404 is remembered. It is short because a
	// version just published may not have reached the registry (or a mirror
	// in front of it) yet, and a review that ran too early should see it on
	// /recheck. Within one review it still means one request per
	// name@version.
	NegativeTTL = 10 * time.Minute
	// TimesTTL is how long publish times are kept: new versions add
	// entries, so they are not immutable.
	TimesTTL = 5 * time.Minute
	// KeysTTL is how long the registry's signing keys are kept.
	KeysTTL = time.Hour
)

// Client talks to one npm registry. It is safe for concurrent use by many
// reviews at once, which then share its cache and its concurrency bound.
// Each method returns either a non-nil result and a nil error, or a nil
// result and an error; a result is the caller's own copy, free to modify.
// A method blocks at most until its context is done; without a deadline, at
// most (retries+1) × timeout plus the retry waits.
//
// SECURITY RULE (DESIGN.md): "It contacts only the configured registry. A
// URL taken from a lockfile (`resolved`) or from registry metadata
// (`dist.attestations.url`, `dist.tarball`) is never fetched unless its
// origin is the configured registry." This client goes further: it has no
// method that takes a URL at all. Every request URL is the base URL plus a
// path built from a validated name and version; redirects to another origin
// are refused; the token is sent only in those requests.
type Client struct {
	base   string // scheme://host[:port][/prefix], no trailing slash
	origin string // normalized scheme://host:port
	cfg    config
	http   *http.Client
	sem    chan struct{}
	cache  *lru.Cache[string, cacheEntry]
	group  singleflight.Group
	stats  counters
}

// New returns a client for the registry at baseURL, an absolute http or
// https URL without user information, query or fragment. A path prefix is
// kept (https://host/artifactory/api/npm/npm-remote); a trailing slash is
// ignored. Use [DefaultURL] for the public registry.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("registry URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("registry URL %q: scheme must be http or https", baseURL)
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("registry URL %q: not an absolute URL with a host", baseURL)
	case u.User != nil:
		// Keeping credentials out of the URL keeps them out of errors and
		// logs; a token goes through WithToken.
		return nil, fmt.Errorf("registry URL: must not contain user information (use WithToken)")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("registry URL %q: must not have a query or fragment", baseURL)
	}
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case cfg.concurrency < 1:
		return nil, fmt.Errorf("registry concurrency %d: must be at least 1", cfg.concurrency)
	case cfg.timeout <= 0:
		return nil, fmt.Errorf("registry timeout %s: must be positive", cfg.timeout)
	case cfg.maxBody <= 0 || cfg.maxPackument <= 0:
		return nil, fmt.Errorf("registry response size cap: must be positive")
	case cfg.retries < 0:
		return nil, fmt.Errorf("registry retries %d: must not be negative", cfg.retries)
	case cfg.cacheSize < 1:
		return nil, fmt.Errorf("registry cache size %d: must be at least 1", cfg.cacheSize)
	}
	cache, err := lru.New[string, cacheEntry](cfg.cacheSize)
	if err != nil {
		return nil, fmt.Errorf("registry cache: %w", err)
	}
	c := &Client{
		base:   u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"),
		origin: origin(u),
		cfg:    cfg,
		sem:    make(chan struct{}, cfg.concurrency),
		cache:  cache,
	}
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = cfg.concurrency
		hc.Transport = tr
	}
	hc.CheckRedirect = c.checkRedirect
	c.http = &hc
	return c, nil
}

// SameOrigin reports whether rawURL has the configured registry's origin
// (scheme, host and port; default ports made explicit, host compared
// case-insensitively). Callers use it before trusting a URL found in a
// lockfile or in metadata; this package never fetches such a URL either way.
func (c *Client) SameOrigin(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	return origin(u) == c.origin
}

// origin returns scheme://host:port with the scheme and host in lower case
// and the default port filled in.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// checkRedirect follows a redirect only within the registry's origin, so
// neither the request nor the token can be steered elsewhere (including an
// https to http downgrade).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if origin(req.URL) != c.origin {
		return fmt.Errorf("%w: %s", ErrCrossOriginRedirect, origin(req.URL))
	}
	return nil
}

// get fetches base+path and hands the body, capped at limit bytes, to
// consume. It retries what can succeed on a second try (network errors,
// timeouts, 429, 5xx but 501) and returns [ErrNotFound] for a 404.
func (c *Client) get(ctx context.Context, kind, path string, limit int64, consume func(io.Reader) error) error {
	u := c.base + path
	for attempt := 0; ; attempt++ {
		wait, retry, err := c.attempt(ctx, kind, u, limit, consume)
		if err == nil {
			return nil
		}
		if !retry || attempt >= c.cfg.retries {
			return err
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		c.stats.retries.Add(1)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("GET %s: waiting to retry: %w", u, ctx.Err())
		case <-t.C:
		}
	}
}

// attempt makes one request. It returns whether the error is worth a retry
// and how long the registry asked to wait (Retry-After), if it did.
func (c *Client) attempt(ctx context.Context, kind, u string, limit int64, consume func(io.Reader) error) (wait time.Duration, retry bool, err error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return 0, false, fmt.Errorf("GET %s: %w", u, ctx.Err())
	}
	defer func() { <-c.sem }()

	actx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent)
	if c.cfg.token != "" {
		// Sent only here, on a URL built from the configured base.
		req.Header.Set("Authorization", "Bearer "+c.cfg.token)
	}
	c.stats.request(kind)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, actx, u, err)
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case code >= 200 && code <= 299:
	case code == http.StatusNotFound:
		drain(resp.Body)
		return 0, false, ErrNotFound
	case code == http.StatusTooManyRequests || code >= 500 && code != http.StatusNotImplemented:
		drain(resp.Body)
		return c.retryAfter(resp.Header.Get("Retry-After")), true, &StatusError{URL: u, StatusCode: code}
	default:
		drain(resp.Body)
		return 0, false, &StatusError{URL: u, StatusCode: code}
	}

	if resp.ContentLength > limit {
		return 0, false, fmt.Errorf("GET %s: %w: %d bytes, the cap is %d", u, ErrTooLarge, resp.ContentLength, limit)
	}
	body := &capReader{r: resp.Body, left: limit}
	if err := consume(body); err != nil {
		switch {
		case body.tooLarge:
			return 0, false, fmt.Errorf("GET %s: %w: more than %d bytes", u, ErrTooLarge, limit)
		case body.err != nil:
			return c.transportError(ctx, actx, u, body.err)
		case errors.Is(err, ErrMalformed):
			return 0, false, fmt.Errorf("GET %s: %w", u, err)
		default:
			return 0, false, fmt.Errorf("GET %s: %w: %v", u, ErrMalformed, err)
		}
	}
	return 0, false, nil
}

// transportError classifies an error from sending the request or reading
// the body: the caller's context ending is final, a per-attempt timeout or
// network failure is retried, a refused redirect is final.
func (c *Client) transportError(ctx, actx context.Context, u string, err error) (time.Duration, bool, error) {
	switch {
	case ctx.Err() != nil:
		return 0, false, fmt.Errorf("GET %s: %w", u, ctx.Err())
	case errors.Is(err, ErrCrossOriginRedirect):
		return 0, false, fmt.Errorf("GET %s: %w", u, ErrCrossOriginRedirect)
	case actx.Err() != nil:
		// Not wrapping the context error keeps context.DeadlineExceeded
		// meaning "the caller's deadline" for the caller.
		return 0, true, fmt.Errorf("GET %s: %w after %s", u, ErrTimeout, c.cfg.timeout)
	default:
		return 0, true, fmt.Errorf("GET %s: %w", u, err)
	}
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
// RFC 9110 section 10.2.3.
func (c *Client) retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(strings.TrimSpace(h), 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		if secs > int64(c.cfg.maxRetryWait/time.Second) {
			return c.cfg.maxRetryWait
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(c.cfg.now())
	} else {
		return 0
	}
	// A Retry-After of 0 or in the past still means "retry", just now.
	return min(max(d, time.Nanosecond), c.cfg.maxRetryWait)
}

// backoff is exponential with equal jitter, capped.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.maxRetryWait
	if attempt < 20 {
		d = min(c.cfg.retryBase<<attempt, c.cfg.maxRetryWait)
	}
	return d/2 + rand.N(d/2+1)
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(r io.Reader) { _, _ = io.CopyN(io.Discard, r, 64<<10) }

// capReader stops a body at left bytes and records why reading stopped:
// too large, or a transport error (as opposed to a decoding error, which the
// consumer reports).
type capReader struct {
	r        io.Reader
	left     int64
	tooLarge bool
	err      error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.tooLarge {
		return 0, ErrTooLarge
	}
	if c.left <= 0 {
		// At the cap: one more byte means the body is too large.
		var b [1]byte
		n, err := io.ReadFull(c.r, b[:])
		if n > 0 {
			c.tooLarge = true
			return 0, ErrTooLarge
		}
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return 0, io.EOF
		}
		c.err = err
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}
