package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryTransport(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers []func(w http.ResponseWriter)
		want    int // final status
		calls   int
	}{
		{"502-then-ok", []func(http.ResponseWriter){status(502, nil), status(200, nil)}, 200, 2},
		{"retry-after-seconds", []func(http.ResponseWriter){status(503, map[string]string{"Retry-After": "0"}), status(200, nil)}, 200, 2},
		{"secondary-rate-limit-header", []func(http.ResponseWriter){status(403, map[string]string{"Retry-After": "0"}), status(200, nil)}, 200, 2},
		{"primary-rate-limit", []func(http.ResponseWriter){status(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"}), status(200, nil)}, 200, 2},
		{"plain-403-final", []func(http.ResponseWriter){body(403, `{"message":"Resource not accessible by integration"}`), status(200, nil)}, 403, 1},
		{"404-final", []func(http.ResponseWriter){status(404, nil), status(200, nil)}, 404, 1},
		{"gives-up", []func(http.ResponseWriter){status(500, nil), status(500, nil), status(500, nil), status(500, nil)}, 500, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if r.Method == http.MethodPost && string(b) != "payload" {
					t.Errorf("attempt %d body %q", n.Load(), b)
				}
				tc.answers[min(int(n.Add(1))-1, len(tc.answers)-1)](w)
			}))
			defer srv.Close()
			rt := &retryTransport{next: http.DefaultTransport, retries: 2, backoff: time.Millisecond, maxWait: 5 * time.Second, attemptTimeout: 5 * time.Second, now: time.Now}
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("payload"))
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want || int(n.Load()) != tc.calls {
				t.Errorf("status %d after %d calls, want %d after %d", resp.StatusCode, n.Load(), tc.want, tc.calls)
			}
			if tc.name == "plain-403-final" && !strings.Contains(string(body), "not accessible") {
				t.Errorf("body lost after peeking: %q", body)
			}
		})
	}
}

func TestRetryTransportRespectsDeadline(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	rt := &retryTransport{next: http.DefaultTransport, retries: 3, backoff: time.Millisecond, maxWait: 90 * time.Second, now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	start := time.Now()
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || n.Load() != 1 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("status %d after %d calls in %v: a wait past the deadline must not be taken", resp.StatusCode, n.Load(), time.Since(start))
	}
	// withoutRetry: one attempt only.
	n.Store(0)
	req, _ = http.NewRequestWithContext(withoutRetry(context.Background()), http.MethodGet, srv.URL, nil)
	resp, err = rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n.Load() != 1 {
		t.Errorf("%d attempts without retry", n.Load())
	}
}

func status(code int, h map[string]string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range h {
			w.Header().Set(k, v)
		}
		w.WriteHeader(code)
	}
}

func body(code int, b string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		io.WriteString(w, b)
	}
}
