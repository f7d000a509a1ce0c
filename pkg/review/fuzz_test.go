package review_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/typosquat"
)

// FuzzReview runs the whole offline review — parse, compare, every check,
// the SBOM delta and every renderer — on two arbitrary lockfiles. Whatever
// the input, it must not panic, a parse failure must fail the review, and a
// lockfile compared with itself must change nothing.
func FuzzReview(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "lockfile", "testdata", "*.json"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 64<<10 {
			continue
		}
		f.Add(data, data)
		f.Add([]byte(`{"lockfileVersion":3,"packages":{"":{"name":"x"}}}`), data)
	}
	rv := review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	f.Fuzz(func(t *testing.T, base, head []byte) {
		res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: base, Head: head}}, Now: now})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if res.InputError && res.Conclusion != policy.Failure {
			t.Fatalf("unparseable input did not fail the review: %v", res.Conclusion)
		}
		_ = report.Markdown(res)
		_ = report.CheckOutput(res)
		var sink discard
		if err := report.JSON(&sink, res); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		if err := report.SARIF(&sink, res); err != nil {
			t.Fatalf("SARIF: %v", err)
		}
		if res.InputError {
			return
		}
		same, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: head, Head: head}}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(same.Files[0].Changes.List); n != 0 {
			t.Fatalf("a lockfile compared with itself has %d changes", n)
		}
		if d := same.Files[0].SBOM; d != nil && !d.Empty() {
			t.Fatalf("a lockfile compared with itself has an SBOM delta: %+v", d)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
