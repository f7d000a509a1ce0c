package registry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/registry/registrytest"
)

// TestPublishTimesRealPackuments checks the streaming decoder against a
// plain decode of every recorded packument.
func TestPublishTimesRealPackuments(t *testing.T) {
	t.Parallel()
	srv := registrytest.NewServer(t)
	c := newClient(t, srv)
	files, err := filepath.Glob("testdata/packuments/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no packuments: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Time map[string]string `json:"time"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			want := &registry.Times{Versions: map[string]time.Time{}}
			for k, v := range doc.Time {
				ts := mustTime(t, v)
				switch k {
				case "created":
					want.Created = ts
				case "modified":
					want.Modified = ts
				default:
					want.Versions[k] = ts
				}
			}
			got, err := c.PublishTimes(context.Background(), name)
			if err != nil {
				t.Fatalf("PublishTimes(%q): %v", name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("PublishTimes(%q) diff (-want +got):\n%s", name, diff)
			}
		})
	}
	t.Run("express-facts", func(t *testing.T) {
		got, err := c.PublishTimes(context.Background(), "express")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Versions) != 294 || // "time" keeps 30 versions "versions" no longer lists
			!got.Created.Equal(mustTime(t, "2010-12-29T19:38:25.450Z")) ||
			!got.Versions["4.17.1"].Equal(mustTime(t, "2019-05-26T04:25:34.606Z")) {
			t.Errorf("express: %d versions, created %v, 4.17.1 at %v", len(got.Versions), got.Created, got.Versions["4.17.1"])
		}
	})
}

// bigPackument builds a packument shaped like a popular package's: n
// versions of about perVersion bytes each, a large readme, and "time" after
// them as the registry orders it.
func bigPackument(n, perVersion int) []byte {
	var b strings.Builder
	b.WriteString(`{"_id":"big","name":"big","dist-tags":{"latest":"1.0.0"},"versions":{`)
	pad := strings.Repeat("lorem ipsum ", perVersion/12)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"1.0.%d":{"name":"big","version":"1.0.%d","readme":%q,"scripts":{"test":"x"},"dist":{"tarball":"https://registry.npmjs.org/big/-/big-1.0.%d.tgz"}}`, i, i, pad, i)
	}
	fmt.Fprintf(&b, `},"readme":%q,"time":{"created":"2015-01-01T00:00:00.000Z","modified":"2025-01-01T00:00:00.000Z"`, strings.Repeat("r", 1<<20))
	for i := range n {
		fmt.Fprintf(&b, `,"1.0.%d":"2020-01-01T00:%02d:%02d.000Z"`, i, i/60%60, i%60)
	}
	b.WriteString(`},"users":{"a":true}}`)
	return []byte(b.String())
}

func servePackument(doc []byte) registrytest.Option {
	return registrytest.WithHandler("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc)
	})
}

// TestPublishTimesMemoryBounded streams a 32 MB packument and checks that
// the whole call allocates a small fraction of it: the document is never
// held in memory. What it does allocate is mostly the decoder's buffer
// growing to the largest single token (the 1 MiB readme), about 4 MB.
func TestPublishTimesMemoryBounded(t *testing.T) {
	// Not parallel: it reads the process-wide allocation counter.
	doc := bigPackument(3000, 10_000)
	srv := registrytest.NewServer(t, servePackument(doc))
	c := newClient(t, srv)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := c.PublishTimes(context.Background(), "big")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Versions) != 3000 || !got.Versions["1.0.2999"].Equal(mustTime(t, "2020-01-01T00:49:59Z")) {
		t.Errorf("got %d versions, 1.0.2999 at %v", len(got.Versions), got.Versions["1.0.2999"])
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("packument %d bytes, allocated %d bytes (client and fake server together)", len(doc), alloc)
	if limit := uint64(len(doc) / 4); alloc > limit {
		t.Errorf("allocated %d bytes for a %d-byte packument, want under %d", alloc, len(doc), limit)
	}
}
