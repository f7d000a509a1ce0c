package registry_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/registry/registrytest"
)

// BenchmarkManifests200 is the performance target: 200 distinct
// name@version manifests against a registry that takes 50 ms per request,
// with the default concurrency of 16, must finish within
// 1.3 × ceil(200/16) × 50 ms = 845 ms, with exactly 200 requests on a cold
// cache and none on a warm one.
func BenchmarkManifests200(b *testing.B) {
	const (
		n       = 200
		latency = 50 * time.Millisecond
		conc    = registry.DefaultConcurrency
	)
	bound := 13 * time.Duration((n+conc-1)/conc) * latency / 10 // 1.3 × ceil(n/conc) × latency
	srv := registrytest.NewServer(b,
		registrytest.WithLatency(latency),
		registrytest.WithHandler("/", func(w http.ResponseWriter, r *http.Request) {
			// /bench-pkg-17/1.0.17 → its manifest
			name, version, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"name":%q,"version":%q,"scripts":{"postinstall":"node install.js"},`+
				`"maintainers":[{"name":"m","email":"m@example.com"}],"_npmUser":{"name":"m","email":"m@example.com"},`+
				`"dist":{"tarball":"https://registry.npmjs.org/%s/-/%s-%s.tgz","integrity":"sha512-x"}}`,
				name, version, name, name, version)
		}))
	fetchAll := func(b *testing.B, c *registry.Client) {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				name, version := fmt.Sprintf("bench-pkg-%d", i), fmt.Sprintf("1.0.%d", i)
				if _, err := c.Manifest(context.Background(), name, version); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	var cold, warm int
	var worst time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		c, err := registry.New(srv.URL(), registry.WithConcurrency(conc))
		if err != nil {
			b.Fatal(err)
		}
		srv.Reset()
		b.StartTimer()

		start := time.Now()
		fetchAll(b, c) // cold cache: the measured pass
		worst = max(worst, time.Since(start))

		b.StopTimer()
		cold = srv.Total()
		fetchAll(b, c) // warm cache
		warm = srv.Total() - cold
		b.StartTimer()
		if cold != n || warm != 0 {
			b.Fatalf("requests: cold %d (want %d), warm %d (want 0)", cold, n, warm)
		}
	}
	b.ReportMetric(float64(cold), "requests/op")
	b.ReportMetric(float64(warm), "warm-requests/op")
	b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
	if worst > bound {
		b.Errorf("slowest pass took %v, over the bound of %v", worst, bound)
	}
}

// BenchmarkPublishTimes streams a 32 MB packument; B/op stays far below
// the document's size.
func BenchmarkPublishTimes(b *testing.B) {
	doc := bigPackument(3000, 10_000)
	srv := registrytest.NewServer(b, servePackument(doc))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := registry.New(srv.URL())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.PublishTimes(context.Background(), "big"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc)), "packument-bytes")
}
