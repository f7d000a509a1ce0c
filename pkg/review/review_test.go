package review_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/typosquat"
)

func pair(t testing.TB, scenario string) review.FilePair {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "lockfiles", scenario)
	base, err := os.ReadFile(filepath.Join(dir, "base.json"))
	if err != nil {
		t.Fatal(err)
	}
	head, err := os.ReadFile(filepath.Join(dir, "head.json"))
	if err != nil {
		t.Fatal(err)
	}
	return review.FilePair{Path: "package-lock.json", Base: base, Head: head}
}

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func TestRun(t *testing.T) {
	rv := review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	tests := []struct {
		name       string
		files      []review.FilePair
		policy     *policy.Policy
		conclusion policy.Conclusion
		checks     []string
		problem    string
	}{
		{name: "typosquat-fails", files: []review.FilePair{pair(t, "attack-typosquat")}, conclusion: policy.Failure, checks: []string{"install-script", "typosquat"}},
		// Only the dependencies section (what npm 6 installs from) was edited.
		{name: "v1-section-edit-fails", files: []review.FilePair{pair(t, "attack-v1-section-mismatch")}, conclusion: policy.Failure, checks: []string{"section-mismatch"}},
		{name: "license-change-passes-default-policy", files: []review.FilePair{pair(t, "v3-octokit-webhooks-license-change")}, conclusion: policy.Success, checks: []string{"license-changed"}},
		{name: "two-lockfiles", files: []review.FilePair{pair(t, "attack-integrity-swap"), {Path: "web/package-lock.json", Base: pair(t, "v1-octokit-webhooks-dependabot-lodash").Base, Head: pair(t, "v1-octokit-webhooks-dependabot-lodash").Head}}, conclusion: policy.Failure, checks: []string{"integrity-changed", "resolved-changed", "resolved-changed"}},
		// A new lockfile is all new code: it is reviewed like any addition.
		{name: "new-lockfile", files: []review.FilePair{{Path: "package-lock.json", Head: pair(t, "v3-octokit-webhooks-license-change").Head}}, conclusion: policy.Success, checks: []string{"broad-update", "native-addon", "native-addon"}},
		{name: "malformed-head-fails-naming-file-and-position", files: []review.FilePair{{Path: "app/package-lock.json", Base: pair(t, "v3-octokit-webhooks-license-change").Base, Head: []byte("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n}")}},
			conclusion: policy.Failure, problem: "app/package-lock.json at head"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := rv.Run(context.Background(), review.Request{Files: tc.files, Policy: tc.policy, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if res.Conclusion != tc.conclusion {
				t.Errorf("Conclusion = %v, want %v (findings %+v, problems %v)", res.Conclusion, tc.conclusion, res.Findings, res.Problems)
			}
			var ids []string
			for _, f := range res.Findings {
				if f.Severity > checks.Info {
					ids = append(ids, f.Check)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tc.checks, ",") {
				t.Errorf("checks = %v, want %v", ids, tc.checks)
			}
			if tc.problem != "" {
				if len(res.Problems) != 1 || !strings.Contains(res.Problems[0], tc.problem) || !strings.Contains(res.Problems[0], "line") || !res.Incomplete {
					t.Errorf("Problems = %q, want one naming %q and a line", res.Problems, tc.problem)
				}
				if !errors.Is(res.Files[0].Err, lockfile.ErrInvalid) {
					t.Errorf("file error %v does not wrap lockfile.ErrInvalid", res.Files[0].Err)
				}
			}
		})
	}
}

func TestRunPolicy(t *testing.T) {
	p, err := policy.Parse([]byte("version: 1\nignore:\n  - package: crossenv\n    reason: test fixture\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}).Run(context.Background(), review.Request{Files: []review.FilePair{pair(t, "attack-typosquat")}, Policy: p, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Conclusion != policy.Success || len(res.Active()) != 0 || len(res.Findings) != 2 {
		t.Errorf("with crossenv accepted: conclusion %v, active %d, findings %d; want success, 0, 2", res.Conclusion, len(res.Active()), len(res.Findings))
	}
	p.Checks.Disable = []string{"typosquat", "install-script"}
	res, _ = (&review.Reviewer{}).Run(context.Background(), review.Request{Files: []review.FilePair{pair(t, "attack-typosquat")}, Policy: p, Now: now})
	if len(res.Findings) != 0 {
		t.Errorf("disabled checks still ran: %+v", res.Findings)
	}
}

func TestRunRejectsEmptyPath(t *testing.T) {
	if _, err := (&review.Reviewer{}).Run(context.Background(), review.Request{Files: []review.FilePair{{}}}); err == nil {
		t.Error("Run with an unnamed file pair: nil error")
	}
}

// BenchmarkReview is the offline review of the largest real pair: parse both
// sides, compare, run every offline check (typosquat index included), render
// the comment.
func BenchmarkReview(b *testing.B) {
	fp := pair(b, "v2-large-woocommerce-blocks-dependabot")
	rv := review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	b.SetBytes(int64(len(fp.Base) + len(fp.Head)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{fp}, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if len(report.Markdown(res)) == 0 {
			b.Fatal("empty comment")
		}
	}
}

// streamed returns fp with its sides behind Open, as the CLI gives them.
func streamed(fp review.FilePair, openErr error) review.FilePair {
	sides := map[string][]byte{"base": fp.Base, "head": fp.Head}
	return review.FilePair{Path: fp.Path, Open: func(side string) (io.ReadCloser, error) {
		if openErr != nil {
			return nil, openErr
		}
		if sides[side] == nil {
			return nil, nil
		}
		return io.NopCloser(bytes.NewReader(sides[side])), nil
	}}
}

// TestRunStreamed checks that a review of streamed sides (FilePair.Open)
// finds exactly what the review of the same bytes finds.
func TestRunStreamed(t *testing.T) {
	rv := review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	for _, fp := range []review.FilePair{
		pair(t, "attack-typosquat"),
		pair(t, "v2-large-woocommerce-blocks-dependabot"),
		pair(t, "v1-octokit-webhooks-dependabot-lodash"),
		{Path: "package-lock.json", Head: pair(t, "v3-octokit-webhooks-license-change").Head},
		{Path: "package-lock.json", Base: pair(t, "v3-octokit-webhooks-license-change").Base, Head: []byte("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n}")},
	} {
		want, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{fp}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		got, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{streamed(fp, nil)}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if w, g := string(report.Markdown(want)), string(report.Markdown(got)); w != g {
			t.Errorf("streamed review of %s differs from the in-memory one:\n%s\n---\n%s", fp.Path, g, w)
		}
	}
	res, err := rv.Run(context.Background(), review.Request{Files: []review.FilePair{streamed(pair(t, "attack-typosquat"), errors.New("permission denied"))}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !res.InputError || len(res.Problems) == 0 || !strings.Contains(res.Problems[0], "package-lock.json at head: permission denied") {
		t.Errorf("a side that cannot be opened: InputError %v, problems %q; want an input error naming the file and side", res.InputError, res.Problems)
	}
}

// TestRunSBOM checks what a review keeps of the SBOM: the delta always
// (unless SkipSBOM), the head's whole BOM only with KeepBOM.
func TestRunSBOM(t *testing.T) {
	fp := pair(t, "v1-octokit-webhooks-dependabot-lodash")
	for _, tc := range []struct {
		name            string
		rv              review.Reviewer
		wantBOM, wantSB bool
	}{
		{"default", review.Reviewer{}, false, true},
		{"keep-bom", review.Reviewer{KeepBOM: true}, true, true},
		{"skip-sbom", review.Reviewer{SkipSBOM: true}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.rv.Run(context.Background(), review.Request{Files: []review.FilePair{fp}, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			f := res.Files[0]
			if (f.BOM != nil) != tc.wantBOM || (f.SBOM != nil) != tc.wantSB {
				t.Fatalf("BOM kept %v, delta kept %v; want %v, %v", f.BOM != nil, f.SBOM != nil, tc.wantBOM, tc.wantSB)
			}
			if tc.wantSB && f.SBOM.Empty() {
				t.Error("the lodash update gave an empty SBOM delta")
			}
			if tc.wantBOM && (f.BOM.Components == nil || len(*f.BOM.Components) == 0) {
				t.Error("the kept BOM has no components")
			}
		})
	}
}
