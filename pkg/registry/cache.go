package registry

import (
	"context"
	"errors"
	"time"
)

// cacheEntry is a result kept in the LRU: a value, or ErrNotFound.
type cacheEntry struct {
	val     any
	err     error
	expires time.Time // zero: until evicted
}

// ttlFunc says how long a fetch result may be cached; 0 means not at all,
// a negative value means until evicted.
type ttlFunc func(err error) time.Duration

// immutableTTL keeps a published version's data until evicted and a 404
// for NegativeTTL.
func immutableTTL(err error) time.Duration {
	switch {
	case err == nil:
		return -1
	case errors.Is(err, ErrNotFound):
		return NegativeTTL
	}
	return 0
}

// fixedTTL keeps results (and 404s) for d.
func fixedTTL(d time.Duration) ttlFunc {
	return func(err error) time.Duration {
		if err == nil || errors.Is(err, ErrNotFound) {
			return d
		}
		return 0
	}
}

func (c *Client) lookup(key string) (cacheEntry, bool) {
	e, ok := c.cache.Get(key)
	if !ok {
		return cacheEntry{}, false
	}
	if !e.expires.IsZero() && !c.cfg.now().Before(e.expires) {
		c.cache.Remove(key)
		return cacheEntry{}, false
	}
	return e, true
}

// cached answers from the LRU, or runs fetch once for all concurrent
// callers of key (singleflight) and caches what ttl allows. Each caller
// waits only as long as its own context allows. The fetch runs with the
// context of the caller that started it; if that caller gives up, the
// others get its context error, and those whose own context is still live
// start the fetch again rather than fail for someone else's cancellation.
func (c *Client) cached(ctx context.Context, key string, ttl ttlFunc, fetch func(context.Context) (any, error)) (any, error) {
	for {
		if e, ok := c.lookup(key); ok {
			c.stats.cacheHits.Add(1)
			return e.val, e.err
		}
		ch := c.group.DoChan(key, func() (any, error) {
			// A flight that ended between lookup and DoChan has filled
			// the cache: do not fetch again.
			if e, ok := c.lookup(key); ok {
				c.stats.cacheHits.Add(1)
				return e.val, e.err
			}
			v, err := fetch(ctx)
			switch {
			case err == nil:
			case errors.Is(err, ErrNotFound):
				c.stats.notFound.Add(1)
			default:
				c.stats.errors.Add(1)
			}
			if d := ttl(err); d != 0 {
				e := cacheEntry{val: v, err: err}
				if d > 0 {
					e.expires = c.cfg.now().Add(d)
				}
				c.cache.Add(key, e)
			}
			return v, err
		})
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-ch:
			if r.Err != nil && ctx.Err() == nil &&
				(errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)) {
				continue
			}
			return r.Val, r.Err
		}
	}
}
