package webhook_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/registry/registrytest"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/typosquat"
	"github.com/lockreview/lockreview/webhook"
	"github.com/lockreview/lockreview/webhook/githubtest"
)

// countingScheduler queues tasks on a real Queue (so coalescing and
// skipping happen as in production) but runs a counter instead of a review:
// the ingest benchmark measures the request path, not GitHub.
type countingScheduler struct {
	q         *webhook.Queue
	submitted atomic.Int64
	ran       atomic.Int64
}

func (c *countingScheduler) Submit(t webhook.Task) error {
	t.Run = func(context.Context) error { c.ran.Add(1); return nil }
	if err := c.q.Submit(t); err != nil {
		return err
	}
	c.submitted.Add(1)
	return nil
}

// BenchmarkIngest sends signed pull_request deliveries (28 KB, octokit's
// synchronize example, each a new head SHA on one of 1,000 pull requests) to the server over
// loopback at a fixed rate, from 64 concurrent clients, and reports the
// acknowledgement latency measured from each delivery's scheduled send time
// (so a stall is not hidden by the clients waiting for it). It then checks
// that no accepted delivery was lost: every one ran, or the queue coalesced
// or skipped it on purpose.
//
//	go test ./webhook -run '^$' -bench Ingest -benchtime 10000x
func BenchmarkIngest(b *testing.B) {
	for _, rate := range []int{1000, 2000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) { benchIngest(b, rate, "") })
	}
	// With the delivery log in a data dir: one append per delivery.
	b.Run("rate=1000/data-dir", func(b *testing.B) { benchIngest(b, 1000, b.TempDir()) })
}

func benchIngest(b *testing.B, rate int, dataDir string) {
	gh := githubtest.NewFakeGitHub(b)
	apps, err := webhook.NewApps(githubtest.AppID, gh.PrivateKey(), webhook.Endpoints{API: gh.URL() + "/", Tokens: gh.URL()})
	if err != nil {
		b.Fatal(err)
	}
	metrics := webhook.NewMetrics()
	sched := &countingScheduler{q: webhook.NewQueue(4, 10_000, webhook.WithQueueMetrics(metrics))}
	srv, err := webhook.NewServer(webhook.Config{
		AppID: githubtest.AppID, WebhookSecret: secret, Apps: apps, Engine: &review.Reviewer{},
		Scheduler: sched, Metrics: metrics, Logger: discardLogger(), DataDir: dataDir,
	})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	const prs = 1000
	bodies := make([][]byte, prs)
	for i := range bodies {
		bodies[i] = payload(b, "pull_request/synchronize.payload.json", map[string]any{
			"number": i + 1, "pull_request.number": i + 1, "pull_request.head.sha": fmt.Sprintf("%040x", i+1),
		})
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	type job struct {
		i  int
		at time.Time
	}
	jobs := make(chan job, 1024)
	lat := make([]time.Duration, b.N)
	var accepted, refused atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for j := range jobs {
				// Every delivery is a new push: a head SHA of its own.
				body := bytes.Replace(bodies[j.i%prs], []byte(fmt.Sprintf("%040x", j.i%prs+1)), []byte(fmt.Sprintf("%040x", 1<<40+j.i)), 1)
				req, _ := http.NewRequest(http.MethodPost, hs.URL+"/webhook", bytes.NewReader(body))
				githubtest.SetHeaders(req.Header, "pull_request", fmt.Sprintf("bench-%d-%d", rate, j.i), body, secret)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				resp.Body.Close()
				lat[j.i] = time.Since(j.at)
				if resp.StatusCode == http.StatusAccepted {
					accepted.Add(1)
				} else {
					refused.Add(1)
				}
			}
		})
	}
	b.ResetTimer()
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := range b.N {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		jobs <- job{i, at}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err := srv.Shutdown(context.Background()); err != nil {
		b.Fatal(err)
	}

	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")

	counts := scrape(b, srv, "lockreview_queue_tasks_total")
	coalesced, skipped := counts[`outcome="coalesced"`], counts[`outcome="skipped"`]
	ran := sched.ran.Load()
	if refused.Load() != 0 || accepted.Load() != int64(b.N) {
		b.Errorf("%d of %d deliveries accepted, %d refused", accepted.Load(), b.N, refused.Load())
	}
	if got := ran + int64(coalesced) + int64(skipped); got != accepted.Load() {
		b.Errorf("lost deliveries: %d accepted, %d ran + %d coalesced + %d skipped = %d", accepted.Load(), ran, int64(coalesced), int64(skipped), got)
	}
	b.ReportMetric(float64(ran), "ran")
	b.ReportMetric(coalesced+skipped, "coalesced+skipped")
}

// scrape returns the values of one metric family from /metrics, by labels.
func scrape(t testing.TB, h http.Handler, name string) map[string]float64 {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") {
			continue
		}
		labels := line[len(name)+1 : strings.Index(line, "}")]
		v, err := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[labels] = v
	}
	return out
}

// BenchmarkEndToEnd measures one review the way a user sees it: from the
// pull_request delivery to the completed check run, for a pull request
// whose lockfile updates 25 packages and adds 25 (75 registry versions),
// against the fake GitHub and a registry answering every request after 50
// ms. It reports the time and where it goes.
//
//	go test ./webhook -run '^$' -bench EndToEnd -benchtime 5x
func BenchmarkEndToEnd(b *testing.B) {
	for _, ghLatency := range []time.Duration{0, 20 * time.Millisecond} {
		b.Run("github-latency="+ghLatency.String(), func(b *testing.B) { benchEndToEnd(b, ghLatency) })
	}
}

func benchEndToEnd(b *testing.B, ghLatency time.Duration) {
	base, head := fiftyPackages()
	ix := review.TyposquatIndex(typosquat.Default())
	var total, queued, beforeEngine, engine, after time.Duration
	var ghCalls, regCalls int
	for range b.N {
		b.StopTimer()
		reg := registrytest.NewServer(b, registrytest.WithLatency(50*time.Millisecond), registrytest.WithHandler("/", fakeRegistry))
		rc, err := registry.New(reg.URL())
		if err != nil {
			b.Fatal(err)
		}
		v, err := provenance.Default()
		if err != nil {
			b.Fatal(err)
		}
		eng := &timedEngine{next: &review.Reviewer{Registry: rc, Verifier: v, Typosquat: ix}}
		e := newEnv(b, withAsync(4), withEngine(eng), withGitHub(githubtest.WithLatency(ghLatency)), withLogger(discardLogger()))
		b.StartTimer()
		e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{"package-lock.json": base})
		e.gh.Commit(owner, repoName, headSHA, map[string][]byte{"package-lock.json": head})
		e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{Number: prNum, HeadSHA: headSHA, BaseSHA: baseSHA, BaseRef: "master", Files: []githubtest.File{{Path: "package-lock.json"}}})
		body := payload(b, "pull_request/opened.payload.json", nil)

		start := time.Now()
		w := e.deliver("pull_request", body)
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d", w.Code)
		}
		waitFor(b, func() bool {
			runs := e.gh.CheckRuns(owner, repoName)
			return len(runs) == 1 && runs[0].Status == "completed"
		})
		total += time.Since(start)
		b.StopTimer()
		calls := e.gh.Calls()
		ghCalls += len(calls)
		regCalls += reg.Total()
		if run := e.onlyCheck(); run.Conclusion == "" || strings.Contains(run.Summary, "not available") {
			b.Fatalf("review incomplete: %s %q", run.Conclusion, run.Summary)
		}
		queued += calls[0].At.Sub(start)
		beforeEngine += eng.start.Sub(calls[0].At)
		engine += eng.end.Sub(eng.start)
		after += calls[len(calls)-1].At.Add(calls[len(calls)-1].Took).Sub(eng.end)
		must(b, e.srv.Shutdown(context.Background()))
		b.StartTimer()
	}
	n := time.Duration(b.N)
	ms := func(d time.Duration) float64 { return float64((d / n).Microseconds()) / 1000 }
	b.ReportMetric(ms(total), "total-ms")
	b.ReportMetric(ms(queued), "ack+queue-ms")
	b.ReportMetric(ms(beforeEngine), "github-before-ms")
	b.ReportMetric(ms(engine), "review-ms")
	b.ReportMetric(ms(after), "publish-ms")
	b.ReportMetric(float64(ghCalls)/float64(b.N), "github-calls")
	b.ReportMetric(float64(regCalls)/float64(b.N), "registry-calls")
}

// timedEngine records when the last review started and ended.
type timedEngine struct {
	next       webhook.Engine
	start, end time.Time
}

func (t *timedEngine) Run(ctx context.Context, req review.Request) (*review.Result, error) {
	t.start = time.Now()
	defer func() { t.end = time.Now() }()
	return t.next.Run(ctx, req)
}

// fiftyPackages returns a v3 lockfile pair: 25 packages updated 1.0.0 →
// 1.1.0 and 25 added, all from registry.npmjs.org.
func fiftyPackages() (base, head []byte) {
	var bb, hb strings.Builder
	const top = `{"name":"bench","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"bench","version":"1.0.0"}`
	bb.WriteString(top)
	hb.WriteString(top)
	entry := func(sb *strings.Builder, name, version string) {
		fmt.Fprintf(sb, `,"node_modules/%s":{"version":%q,"resolved":"https://registry.npmjs.org/%s/-/%s-%s.tgz","integrity":"sha512-%s","license":"MIT"}`,
			name, version, name, name, version, strings.Repeat("A", 86)+"==")
	}
	for i := range 25 {
		name := fmt.Sprintf("bench-updated-%02d", i)
		entry(&bb, name, "1.0.0")
		entry(&hb, name, "1.1.0")
	}
	for i := range 25 {
		entry(&hb, fmt.Sprintf("bench-added-%02d", i), "2.0.0")
	}
	bb.WriteString("}}")
	hb.WriteString("}}")
	return []byte(bb.String()), []byte(hb.String())
}

// fakeRegistry answers any /{name}/{version} with a manifest and any
// /{name} with a packument published two years ago.
func fakeRegistry(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch len(parts) {
	case 1:
		fmt.Fprintf(w, `{"name":%q,"time":{"created":"2022-01-01T00:00:00Z","1.0.0":"2022-01-01T00:00:00Z","1.1.0":"2022-06-01T00:00:00Z","2.0.0":"2023-01-01T00:00:00Z"}}`, parts[0])
	case 2:
		fmt.Fprintf(w, `{"name":%q,"version":%q,"license":"MIT","repository":{"type":"git","url":"git+https://github.com/example/%s.git"},"maintainers":[{"name":"a","email":"a@example.com"}],"_npmUser":{"name":"a","email":"a@example.com"},"dist":{"integrity":"sha512-%s","tarball":"https://registry.npmjs.org/x.tgz"}}`,
			parts[0], parts[1], parts[0], strings.Repeat("A", 86)+"==")
	default:
		http.NotFound(w, r)
	}
}
