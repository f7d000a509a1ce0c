package lockfile

import "math"

// DefaultMaxSize is the default input size limit (256 MiB).
const DefaultMaxSize = 256 << 20

// DefaultMaxDepth is the default nesting limit, for JSON nesting and for v1
// dependency nesting alike. Real lockfiles nest JSON about 5 levels deep;
// v1 files nest dependencies rarely more than 10 levels.
const DefaultMaxDepth = 256

// Option configures Parse.
type Option func(*config)

type config struct {
	maxSize  int64
	maxDepth int
}

// WithMaxSize bounds the input size in bytes; larger input fails with
// ErrTooLarge before any parsing. n <= 0 keeps the default, DefaultMaxSize;
// values above 2 GiB - 1 are lowered to it (offsets are kept in 32 bits).
func WithMaxSize(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxSize = min(n, math.MaxInt32)
		}
	}
}

// WithMaxDepth bounds JSON nesting and v1 dependency nesting; deeper input
// fails with ErrTooDeep. n <= 0 keeps the default, DefaultMaxDepth.
func WithMaxDepth(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxDepth = n
		}
	}
}

func newConfig(opts []Option) config {
	cfg := config{maxSize: DefaultMaxSize, maxDepth: DefaultMaxDepth}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}
