package webhook

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryTransport repeats GitHub API requests that failed for reasons that
// pass: 5xx answers, rate limits and transport errors. GitHub: "If you
// receive a rate limit error, you should stop making requests temporarily
// according to these guidelines: If the retry-after response header is
// present, you should not retry your request until after that many seconds
// has elapsed. [...] Otherwise, you should wait for at least one minute
// before retrying." and for the primary limit "until after the time
// specified by the x-ratelimit-reset header".
//
// It sits below ghinstallation, so token requests are retried too and every
// attempt carries a valid token. Each attempt has its own timeout; waits
// never outlast the request's context deadline: a wait that would is not
// taken, and the last answer is returned instead.
type retryTransport struct {
	next           http.RoundTripper
	retries        int
	backoff        time.Duration // first backoff step; doubles per attempt
	maxWait        time.Duration // cap on one wait, Retry-After included
	attemptTimeout time.Duration
	metrics        *Metrics
	now            func() time.Time
}

type noRetryKey struct{}

// withoutRetry marks requests made with ctx as not to be repeated by the
// transport: a create that may have succeeded before the connection broke.
// The caller then decides, knowing what the request was for.
func withoutRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	retries := t.retries
	if ctx.Value(noRetryKey{}) != nil {
		retries = 0
	}
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.Body != nil && req.Body != http.NoBody {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if t.attemptTimeout > 0 {
			actx, cancel = context.WithTimeout(ctx, t.attemptTimeout)
			r = r.WithContext(actx)
		}
		resp, err := t.next.RoundTrip(r)
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.metrics.githubRequest(req.Method, code)

		wait, retry := t.classify(resp, err)
		if retry && wait == 0 {
			wait = t.step(attempt)
		}
		canRewind := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
		if !retry || attempt >= retries || !canRewind || ctx.Err() != nil || !t.fits(ctx, wait) {
			if resp != nil {
				// The attempt's timeout must cover reading the body too.
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
			} else {
				cancel()
			}
			return resp, err
		}
		if resp != nil {
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
		}
		cancel()
		t.metrics.githubRetry()
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

// classify says whether an answer is worth repeating and how long the server
// asked to wait (0: use the backoff). resp's body stays readable.
func (t *retryTransport) classify(resp *http.Response, err error) (time.Duration, bool) {
	if err != nil {
		return 0, true
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return t.retryAfter(resp.Header), true
	case http.StatusForbidden, http.StatusTooManyRequests:
	default:
		return 0, false
	}
	if d := t.retryAfter(resp.Header); d > 0 {
		return d, true // secondary rate limit
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Until(time.Unix(reset, 0))+time.Second, time.Second), true
		}
	}
	// A secondary rate limit without Retry-After says so in its message; a
	// 403 for missing permissions does not, and is final.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if bytes.Contains(bytes.ToLower(body), []byte("secondary rate limit")) {
		return time.Minute, true
	}
	return 0, false
}

func (t *retryTransport) retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return max(time.Duration(secs)*time.Second, time.Millisecond)
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(t.now()), time.Millisecond)
	}
	return 0
}

// step is the exponential backoff with ±25% jitter, capped at maxWait.
func (t *retryTransport) step(attempt int) time.Duration {
	d := t.backoff << attempt
	d = d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
	return min(d, t.maxWait)
}

// fits reports whether waiting d is allowed: at most maxWait, and ending
// before ctx's deadline.
func (t *retryTransport) fits(ctx context.Context, d time.Duration) bool {
	if d > t.maxWait {
		return false
	}
	if dl, ok := ctx.Deadline(); ok && t.now().Add(d).After(dl) {
		return false
	}
	return true
}

// cancelOnClose releases an attempt's timeout when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
