package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/registry/registrytest"
	"github.com/lockreview/lockreview/pkg/review"
)

func readFile(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// onlineReviewer reviews against a fake registry serving the real packuments
// and attestations in pkg/registry/testdata.
func onlineReviewer(t testing.TB, srv *registrytest.Server) *review.Reviewer {
	t.Helper()
	c, err := registry.New(srv.URL(), registry.WithRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	v, err := provenance.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &review.Reviewer{Registry: c, Verifier: v}
}

type key struct{ Check, Severity, Package string }

func keys(fs []checks.Finding) []key {
	var out []key
	for _, f := range fs {
		out = append(out, key{f.Check, f.Severity.String(), f.Package})
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func has(ks []key, k key) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// TestOnlineReview runs a full online review of real package versions
// (publisher and maintainer changes recorded in the registry) against the fake
// registry, and checks what a reviewer must see.
func TestOnlineReview(t *testing.T) {
	srv := registrytest.NewServer(t)
	rv := onlineReviewer(t, srv)
	req := review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: readFile(t, "online/base.json"), Head: readFile(t, "online/head.json")}}, Now: now}
	res, err := rv.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	got := keys(res.Findings)
	for _, want := range []key{
		// core-js 3.6.5 was published by another account than 3.6.4 and
		// runs the same postinstall: publisher-changed, not a new script.
		{"publisher-changed", "medium", "core-js"},
		// eslint-scope 5.1.0: a new maintainer set and another publisher.
		{"maintainers-changed", "medium", "eslint-scope"},
		{"publisher-changed", "high", "eslint-scope"},
	} {
		if !has(got, want) {
			t.Errorf("missing %v in %v", want, got)
		}
	}
	for _, k := range got {
		if k.Check == "install-script" && k.Package == "core-js" {
			t.Errorf("core-js's unchanged postinstall reported: %v", k)
		}
		if k.Check == "signature-invalid" || k.Check == "provenance-invalid" || k.Check == "metadata-unavailable" {
			t.Errorf("unexpected %v on untampered real data", k)
		}
	}
	if res.Incomplete || !res.Online {
		t.Errorf("Incomplete = %v, Online = %v; want a complete online review (problems %v)", res.Incomplete, res.Online, res.Problems)
	}
	// Each name@version once: 4 updates (old and new) + 1 addition, one
	// manifest each, one packument per name.
	reqs := srv.Requests()
	for path, n := range reqs {
		if n != 1 {
			t.Errorf("%s requested %d times, want once", path, n)
		}
	}
	// A second review of the same PR is served from the cache.
	before := srv.Total()
	if _, err := rv.Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if extra := srv.Total() - before; extra != 0 {
		t.Errorf("second review made %d requests, want 0", extra)
	}
}

// TestOnlineSignatures verifies the registry's real signatures of
// has-package-exports 1.2.3 against the lockfile's integrity.
func TestOnlineSignatures(t *testing.T) {
	srv := registrytest.NewServer(t)
	rv := onlineReviewer(t, srv)
	for _, tc := range []struct {
		head  string
		fires bool
	}{{"online/head.json", false}, {"online/head-tampered.json", true}} {
		res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: readFile(t, "online/base.json"), Head: readFile(t, tc.head)}}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if got := has(keys(res.Findings), key{"signature-invalid", "critical", "has-package-exports"}); got != tc.fires {
			t.Errorf("%s: signature-invalid = %v, want %v (findings %v)", tc.head, got, tc.fires, keys(res.Findings))
		}
		if tc.fires && res.Conclusion != policy.Failure {
			t.Errorf("%s: conclusion %v, want failure", tc.head, res.Conclusion)
		}
	}
}

// TestOnlineProvenance serves the real attestations of sigstore@1.0.0 and
// checks that they verify against the lockfile's integrity, and that a
// lockfile pinning other bytes makes them invalid.
func TestOnlineProvenance(t *testing.T) {
	const integrity = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="
	manifest := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"name":"sigstore","version":"1.0.0","license":"Apache-2.0","repository":{"type":"git","url":"git+https://github.com/sigstore/sigstore-js.git"},
"dist":{"integrity":%q,"tarball":"https://registry.npmjs.org/sigstore/-/sigstore-1.0.0.tgz","attestations":{"url":"https://registry.npmjs.org/-/npm/v1/attestations/sigstore@1.0.0","provenance":{"predicateType":"https://slsa.dev/provenance/v0.2"}}}}`, integrity)
	}
	packument := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"name":"sigstore","time":{"created":"2022-01-01T00:00:00Z","1.0.0":"2023-01-12T00:00:00Z"},"versions":{}}`)
	}
	srv := registrytest.NewServer(t, registrytest.WithHandler("/sigstore/1.0.0", manifest), registrytest.WithHandler("/sigstore", packument))
	rv := onlineReviewer(t, srv)
	lock := func(integ string) []byte {
		return []byte(`{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x","dependencies":{"sigstore":"^1"}},
"node_modules/sigstore":{"version":"1.0.0","resolved":"https://registry.npmjs.org/sigstore/-/sigstore-1.0.0.tgz","integrity":"` + integ + `","license":"Apache-2.0"}}}`)
	}
	empty := []byte(`{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"}}}`)

	res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: empty, Head: lock(integrity)}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var prov *checks.Finding
	for i := range res.Findings {
		if res.Findings[i].Check == "provenance" {
			prov = &res.Findings[i]
		}
	}
	if prov == nil || prov.Values["repository"] != "https://github.com/sigstore/sigstore-js" || prov.Values["workflow"] == "" {
		t.Fatalf("verified provenance not reported: %+v", res.Findings)
	}

	res, err = rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: empty, Head: lock("sha512-" + strings.Repeat("B", 86) + "==")}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !has(keys(res.Findings), key{"provenance-invalid", "critical", "sigstore"}) {
		t.Errorf("attestation of other bytes not reported as invalid: %v", keys(res.Findings))
	}

	// A lockfile entry without integrity cannot be bound to the attestation:
	// neither verified nor invalid.
	res, err = rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: empty, Head: lock("")}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys(res.Findings) {
		if k.Check == "provenance" || k.Check == "provenance-invalid" || k.Check == "provenance-dropped" {
			t.Errorf("no integrity to verify against, yet %v", k)
		}
	}
}

// TestOnlineRegistryFailure: a registry that keeps failing marks the review
// incomplete (neutral, never success) and names what is missing.
func TestOnlineRegistryFailure(t *testing.T) {
	srv := registrytest.NewServer(t, registrytest.WithStatus("/express/4.17.1", http.StatusServiceUnavailable, 100))
	rv := onlineReviewer(t, srv)
	res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: readFile(t, "online/base.json"), Head: readFile(t, "online/head.json")}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete || res.Conclusion == policy.Success || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "express@4.17.1") {
		t.Errorf("Incomplete %v, conclusion %v, problems %q; want an incomplete, non-success review naming express@4.17.1", res.Incomplete, res.Conclusion, res.Problems)
	}
	if !has(keys(res.Findings), key{"metadata-unavailable", "low", "express"}) {
		t.Errorf("metadata-unavailable not reported: %v", keys(res.Findings))
	}
}

// TestOnlineNeverContactsLockfileURLs is the canary: resolved URLs in the
// lockfile, and tarball and attestation URLs in the registry's metadata,
// point at a server that must receive no request during a full online review.
func TestOnlineNeverContactsLockfileURLs(t *testing.T) {
	var hits atomic.Int64
	canary := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer canary.Close()

	manifest := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"name":"evil","version":"1.0.0","dist":{"integrity":"sha512-%s==","tarball":"%s/evil.tgz","attestations":{"url":"%s/att","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}}}`, strings.Repeat("C", 86), canary.URL, canary.URL)
	}
	srv := registrytest.NewServer(t, registrytest.WithHandler("/evil/1.0.0", manifest))
	rv := onlineReviewer(t, srv)
	head, _ := json.Marshal(map[string]any{
		"name": "x", "lockfileVersion": 3,
		"packages": map[string]any{
			"":                       map[string]any{"name": "x", "dependencies": map[string]string{"evil": "*", "other": "*"}},
			"node_modules/evil":      map[string]any{"version": "1.0.0", "integrity": "sha512-" + strings.Repeat("C", 86) + "=="},
			"node_modules/other":     map[string]any{"version": "2.0.0", "resolved": canary.URL + "/other/-/other-2.0.0.tgz", "integrity": "sha512-x"},
			"node_modules/lodash":    map[string]any{"version": "4.17.21", "resolved": canary.URL + "/lodash.tgz", "integrity": "sha512-y"},
			"node_modules/@acme/int": map[string]any{"version": "1.0.0", "resolved": canary.URL + "/@acme/int/-/int-1.0.0.tgz", "integrity": "sha512-z"},
		},
	})
	res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: []byte(`{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"}}}`), Head: head}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the canary received %d requests; URLs from the lockfile or metadata must never be fetched", n)
	}
	// Packages resolved from another host are not looked up on the registry
	// either (their names may be internal).
	for path := range srv.Requests() {
		if strings.Contains(path, "other") || strings.Contains(path, "acme") || strings.Contains(path, "lodash") {
			t.Errorf("registry asked about %s, which resolves from another host", path)
		}
	}
	if len(res.Findings) == 0 {
		t.Error("no findings at all for a lockfile with non-registry sources")
	}
}

// BenchmarkOnline200 is the performance target: 200 changed packages
// against a registry with 50 ms latency per request. Reported: wall time per
// review vs the bound 1.3 × ceil(requests/concurrency) × 50 ms, and requests.
func BenchmarkOnline200(b *testing.B) {
	const n = 200
	var opts []registrytest.Option
	var base, head strings.Builder
	base.WriteString(`{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"}`)
	head.WriteString(`{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"}`)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("pkg-%03d", i)
		opts = append(opts,
			registrytest.WithHandler("/"+name+"/1.0.0", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"name":%q,"version":"1.0.0","dist":{"integrity":"sha512-x"}}`, name)
			}),
			registrytest.WithHandler("/"+name, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"name":%q,"time":{"created":"2020-01-01T00:00:00Z","1.0.0":"2020-01-01T00:00:00Z"}}`, name)
			}))
		fmt.Fprintf(&head, `,"node_modules/%s":{"version":"1.0.0","resolved":"https://registry.npmjs.org/%s/-/%s-1.0.0.tgz","integrity":"sha512-x"}`, name, name, name)
	}
	base.WriteString("}}")
	head.WriteString("}}")
	opts = append(opts, registrytest.WithLatency(50*time.Millisecond))
	req := review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: []byte(base.String()), Head: []byte(head.String())}}, Now: now}
	b.ResetTimer()
	var requests int
	for b.Loop() {
		b.StopTimer()
		srv := registrytest.NewServer(b, opts...)
		rv := onlineReviewer(b, srv)
		b.StartTimer()
		res, err := rv.Run(context.Background(), req)
		if err != nil || res.Incomplete {
			b.Fatalf("review: %v %v", err, res.Problems)
		}
		requests = srv.Total()
	}
	// Manifest and packument per name: 2n requests over 16 connections.
	bound := 1.3 * float64((requests+15)/16) * 50
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(bound, "bound-ms")
}

// TestOnlinePerLockfileIntegrity: two lockfiles pin the same name@version to
// different bytes; only the one the registry did not sign is reported.
func TestOnlinePerLockfileIntegrity(t *testing.T) {
	srv := registrytest.NewServer(t)
	rv := onlineReviewer(t, srv)
	base := readFile(t, "online/base.json")
	res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{
		{Path: "a/package-lock.json", Base: base, Head: readFile(t, "online/head.json")},
		{Path: "b/package-lock.json", Base: base, Head: readFile(t, "online/head-tampered.json")},
	}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, f := range res.Findings {
		if f.Check == "signature-invalid" {
			where = append(where, f.Lockfile)
		}
	}
	if strings.Join(where, ",") != "b/package-lock.json" {
		t.Errorf("signature-invalid in %v, want only b/package-lock.json", where)
	}
}
