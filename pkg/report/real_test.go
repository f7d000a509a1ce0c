package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// realScenarios are lockfile pairs from testdata/lockfiles (see
// testdata/README.md there for where each comes from). policy, when set,
// is a .github/lockreview.yml for the review.
var realScenarios = []struct {
	name   string
	policy string
}{
	{name: "v1-octokit-webhooks-dependabot-lodash"},
	{name: "v2-octokit-webhooks-es5-ext-install-script"},
	{name: "v2-octokit-webhooks-git-resolved-ssh"},
	{name: "v3-octokit-webhooks-license-change"},
	{name: "v3-octokit-webhooks-modernize-esbuild"},
	{name: "v3-workspaces-npm-cli-dependabot-babel-traverse"},
	{name: "v3-workspaces-prometheus-dependabot-vite"},
	{name: "v2-large-woocommerce-blocks-dependabot"},
	// The install-script finding accepted by policy, with an expired entry
	// that no longer applies.
	{name: "v2-octokit-webhooks-es5-ext-install-script", policy: `version: 1
ignore:
  - package: es5-ext
    check: install-script
    reason: reviewed the postinstall script; it only prints a message (SEC-42)
  - package: type
    reason: old exception
    expires: 2025-01-01
`},
}

// runReal reviews testdata/lockfiles/<scenario>/{base,head}.json as
// package-lock.json with the fixed clock.
func runReal(t testing.TB, scenario, policyYAML string) *review.Result {
	t.Helper()
	read := func(side string) []byte {
		b, err := os.ReadFile(testkit.Testdata(t, filepath.Join("lockfiles", scenario, side+".json")))
		if err != nil {
			t.Fatalf("lockfile fixture: %v", err)
		}
		return b
	}
	req := review.Request{
		Files: []review.FilePair{{Path: "package-lock.json", Base: read("base"), Head: read("head")}},
		Now:   now,
	}
	if policyYAML != "" {
		p, err := policy.Parse([]byte(policyYAML))
		if err != nil {
			t.Fatalf("policy: %v", err)
		}
		req.Policy = p
	}
	res, err := (&review.Reviewer{}).Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

func TestGoldenReal(t *testing.T) {
	for _, sc := range realScenarios {
		name := sc.name
		if sc.policy != "" {
			name += "-accepted"
		}
		t.Run(name, func(t *testing.T) {
			renderAll(t, "real-"+name, runReal(t, sc.name, sc.policy))
		})
	}
}

// TestRealUnparseableHead reviews a real base against a head cut in half:
// the comment must quote the parse error and the review must fail.
func TestRealUnparseableHead(t *testing.T) {
	base, err := os.ReadFile(testkit.Testdata(t, "lockfiles/v3-octokit-webhooks-license-change/base.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&review.Reviewer{}).Run(context.Background(), review.Request{
		Files: []review.FilePair{{Path: "package-lock.json", Base: base, Head: base[:len(base)/2]}},
		Now:   now,
	})
	if err != nil {
		t.Fatal(err)
	}
	renderAll(t, "real-unparseable-head", res)
	md := report.Markdown(res)
	if !strings.Contains(md, "package-lock.json at head") || !strings.Contains(md, "❌") {
		t.Errorf("comment does not quote the head parse error as a failure:\n%s", md)
	}
}

func BenchmarkMarkdown(b *testing.B) {
	res := runReal(b, "v2-large-woocommerce-blocks-dependabot", "")
	b.ReportAllocs()
	for b.Loop() {
		report.Markdown(res)
	}
}
