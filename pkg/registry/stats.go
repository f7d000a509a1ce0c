package registry

import "sync/atomic"

// Stats counts what a [Client] did since [New]. It is a snapshot; counters
// only grow.
type Stats struct {
	// Requests is the number of HTTP requests sent, by kind
	// ([KindManifest], [KindPackument], [KindAttestations], [KindKeys]).
	// Retries count as requests.
	Requests map[string]int64
	// CacheHits is the number of calls answered from the cache, including
	// remembered 404s.
	CacheHits int64
	// Retries is the number of requests repeated after a retryable failure.
	Retries int64
	// NotFound is the number of fetches the registry answered with 404.
	NotFound int64
	// Errors is the number of fetches that failed otherwise, after retries.
	Errors int64
}

// Total returns the number of HTTP requests of every kind.
func (s Stats) Total() int64 {
	var n int64
	for _, v := range s.Requests {
		n += v
	}
	return n
}

type counters struct {
	manifest, packument, attestations, keys atomic.Int64
	cacheHits, retries, notFound, errors    atomic.Int64
}

func (c *counters) request(kind string) {
	switch kind {
	case KindManifest:
		c.manifest.Add(1)
	case KindPackument:
		c.packument.Add(1)
	case KindAttestations:
		c.attestations.Add(1)
	case KindKeys:
		c.keys.Add(1)
	}
}

// Stats returns the client's counters. Safe for concurrent use.
func (c *Client) Stats() Stats {
	return Stats{
		Requests: map[string]int64{
			KindManifest:     c.stats.manifest.Load(),
			KindPackument:    c.stats.packument.Load(),
			KindAttestations: c.stats.attestations.Load(),
			KindKeys:         c.stats.keys.Load(),
		},
		CacheHits: c.stats.cacheHits.Load(),
		Retries:   c.stats.retries.Load(),
		NotFound:  c.stats.notFound.Load(),
		Errors:    c.stats.errors.Load(),
	}
}
