package report

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/review"
)

func TestVerdict(t *testing.T) {
	high, medium := checks.Finding{Check: "install-script", Severity: checks.High}, checks.Finding{Check: "license-changed", Severity: checks.Medium}
	accepted := checks.Finding{Check: "typosquat", Severity: checks.Critical, Suppressed: true}
	never := policy.Default()
	never.FailOn = nil
	closed := policy.Default()
	closed.FailClosed = true
	changed := []review.FileResult{{Path: "package-lock.json", Changes: &diff.Changes{List: []diff.Change{{Kind: diff.Added, Name: "a", To: "1"}}}}}
	unchanged := []review.FileResult{{Path: "package-lock.json", Changes: &diff.Changes{}}}
	broken := []review.FileResult{{Path: "package-lock.json", Err: errors.New("bad")}}

	for _, tc := range []struct {
		name string
		res  review.Result
		want string
	}{
		{"fails", review.Result{Files: changed, Findings: []checks.Finding{high, medium}, Conclusion: policy.Failure, Policy: policy.Default()},
			"failure | 1 high, 1 medium | fails policy (fail-on: high)"},
		{"fails-and-incomplete", review.Result{Files: broken, Findings: []checks.Finding{high}, Conclusion: policy.Failure, Incomplete: true, Policy: policy.Default()},
			"failure | 1 high | fails policy (fail-on: high); review incomplete: 1 lockfile could not be reviewed"},
		{"fails-closed", review.Result{Files: broken, Conclusion: policy.Failure, Incomplete: true, Policy: closed},
			"failure | review incomplete: 1 lockfile could not be reviewed | fails: a review that could not complete is never a pass"},
		{"neutral", review.Result{Files: changed, Findings: []checks.Finding{medium}, Conclusion: policy.Neutral, Incomplete: true, Policy: policy.Default()},
			"neutral | review incomplete | 1 medium found so far; not a pass: part of the review could not be done"},
		{"below-threshold", review.Result{Files: changed, Findings: []checks.Finding{medium}, Conclusion: policy.Success, Policy: policy.Default()},
			"success | no findings at or above high | 1 medium below the threshold; passes policy (fail-on: high)"},
		{"fail-on-none", review.Result{Files: changed, Findings: []checks.Finding{high}, Conclusion: policy.Success, Policy: never},
			"success | 1 high | passes policy (fail-on: none)"},
		{"clean", review.Result{Files: changed, Conclusion: policy.Success, Policy: policy.Default()},
			"success | no findings | passes policy (fail-on: high)"},
		{"accepted", review.Result{Files: changed, Findings: []checks.Finding{accepted}, Conclusion: policy.Success, Policy: policy.Default()},
			"success | no findings | passes policy (fail-on: high); 1 finding accepted by policy"},
		{"no-changes", review.Result{Files: unchanged, Conclusion: policy.Success, Policy: policy.Default()},
			"success | no package changes | passes policy (fail-on: high)"},
		{"no-policy", review.Result{Files: changed, Conclusion: policy.Success},
			"success | no findings | passes policy"},
		{"no-conclusion", review.Result{Files: changed, Findings: []checks.Finding{high}},
			" | 1 high | the review did not reach a conclusion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vd := newView(&tc.res).verdict()
			got := string(vd.conclusion) + " | " + vd.headline + " | " + vd.detail
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("verdict diff (-want +got):\n%s", d)
			}
		})
	}
}
