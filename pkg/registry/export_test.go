package registry

import "time"

// Test hooks, visible to package registry_test only.

// WithClock replaces time.Now for cache expiry and Retry-After dates.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithBackoff sets the first backoff step and the cap on any wait, so
// retry tests take milliseconds.
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) { c.retryBase, c.maxRetryWait = base, max }
}
