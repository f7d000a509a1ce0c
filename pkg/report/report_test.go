package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// now is the fixed clock of every real review in these tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// node is a lockfile node at path and line.
func node(path string, line int) *lockfile.Package {
	name := path[strings.LastIndex(path, "node_modules/")+len("node_modules/"):]
	return &lockfile.Package{Path: path, Name: name, Line: line}
}

// handBuilt covers every field the renderers read: two lockfiles, every
// change kind, direct/dev markers, every severity, an update finding, a
// typosquat target, evidence values, a finding without a line, a finding on a
// removed package (its line is in the base) from a check outside
// checks.All(), an accepted finding and a policy note.
func handBuilt() *review.Result {
	main := &diff.Changes{List: []diff.Change{
		{Kind: diff.Added, Name: "@scope/new-thing", To: "1.0.0", Direct: true, DirectKind: "prod",
			After: []*lockfile.Package{node("node_modules/@scope/new-thing", 40)}},
		{Kind: diff.Added, Name: "lodahs", To: "4.17.21",
			After: []*lockfile.Package{node("node_modules/lodahs", 812)}},
		{Kind: diff.Updated, Name: "es5-ext", From: "0.10.53", To: "0.10.61", Update: diff.Patch, Dev: true,
			Before: []*lockfile.Package{node("node_modules/es5-ext", 1200), node("node_modules/d/node_modules/es5-ext", 700)},
			After:  []*lockfile.Package{node("node_modules/d/node_modules/es5-ext", 702), node("node_modules/es5-ext", 1234)}},
		{Kind: diff.Updated, Name: "left-pad", From: "1.3.0", To: "2.0.0", Update: diff.Major, Direct: true, DirectKind: "dev", Dev: true,
			Before: []*lockfile.Package{node("node_modules/left-pad", 900)},
			After:  []*lockfile.Package{node("node_modules/left-pad", 905)}},
		{Kind: diff.Removed, Name: "request", From: "2.88.2", Direct: true, DirectKind: "prod",
			Before: []*lockfile.Package{node("node_modules/request", 1500)}},
		{Kind: diff.SourceChanged, Name: "debug", From: "4.3.4", To: "4.3.4",
			Before: []*lockfile.Package{node("node_modules/debug", 300)},
			After:  []*lockfile.Package{node("node_modules/debug", 301)}},
		{Kind: diff.IntegrityChanged, Name: "ms", From: "2.1.3", To: "2.1.3",
			Before: []*lockfile.Package{node("node_modules/ms", 1100)},
			After:  []*lockfile.Package{node("node_modules/ms", 1101)}},
	}}
	app := &diff.Changes{List: []diff.Change{
		{Kind: diff.Added, Name: "react", To: "18.2.0", Direct: true, DirectKind: "prod",
			After: []*lockfile.Package{node("node_modules/react", 20)}},
		{Kind: diff.Updated, Name: "typescript", From: "4.9.5", To: "5.0.0", Update: diff.Major, Direct: true, DirectKind: "dev", Dev: true,
			Before: []*lockfile.Package{node("node_modules/typescript", 88)},
			After:  []*lockfile.Package{node("node_modules/typescript", 90)}},
		{Kind: diff.Updated, Name: "optional-thing", From: "1.0.0", To: "1.1.0-beta.1", Update: diff.Prerelease, Direct: true, DirectKind: "optional",
			Before: []*lockfile.Package{node("node_modules/optional-thing", 60)},
			After:  []*lockfile.Package{node("node_modules/optional-thing", 61)}},
	}}
	findings := []checks.Finding{
		{Check: "integrity-changed", Severity: checks.Critical, Package: "ms", Version: "2.1.3", Lockfile: "package-lock.json", Line: 1101,
			Path: "node_modules/ms", Message: "ms 2.1.3 now has integrity sha512-BBB… instead of sha512-AAA…",
			Remediation: "The registry never changes a published version: regenerate the lockfile from the registry and find out who edited it.",
			Values:      map[string]string{"before": "sha512-AAA", "after": "sha512-BBB"}},
		{Check: "install-script", Severity: checks.High, Package: "es5-ext", Version: "0.10.61", From: "0.10.53", Lockfile: "package-lock.json", Line: 1234,
			Path: "node_modules/es5-ext", Message: "es5-ext 0.10.53 → 0.10.61 now runs an install script; 0.10.53 did not",
			Remediation: "Read the install script of this exact version before merging."},
		{Check: "typosquat", Severity: checks.High, Package: "lodahs", Version: "4.17.21", Lockfile: "package-lock.json", Line: 812,
			Path: "node_modules/lodahs", Message: "lodahs is new to the tree and one transposition away from a popular package",
			Remediation: "Check that the name is the one you meant.", Target: "lodash"},
		{Check: "license-changed", Severity: checks.Medium, Package: "left-pad", Version: "2.0.0", From: "1.3.0", Lockfile: "package-lock.json", Line: 905,
			Path: "node_modules/left-pad", Message: "left-pad's license changed from MIT to WTFPL",
			Remediation: "Check that the new license is acceptable.", Values: map[string]string{"before": "MIT", "after": "WTFPL"}},
		{Check: "native-addon", Severity: checks.Low, Package: "react", Version: "18.2.0", Lockfile: "packages/app/package-lock.json",
			Message: "react 18.2.0 builds native code"},
		{Check: "broad-update", Severity: checks.Info, Package: "typescript", Version: "5.0.0", From: "4.9.5", Lockfile: "packages/app/package-lock.json", Line: 90,
			Message: "typescript 4.9.5 → 5.0.0 is a major update"},
		{Check: "removed-dependency", Severity: checks.Info, Package: "request", Version: "2.88.2", Lockfile: "package-lock.json", Line: 1500,
			Path: "node_modules/request", Message: "request 2.88.2, a direct dependency, was removed"},
		{Check: "non-registry-source", Severity: checks.Medium, Package: "debug", Version: "4.3.4", Lockfile: "package-lock.json", Line: 301,
			Path: "node_modules/debug", Message: "debug 4.3.4 resolves from git+https://github.com/acme/debug.git#abc123",
			Remediation: "Prefer the registry release.", Suppressed: true, SuppressedBy: "our fork until upstream merges the fix (JIRA-123)"},
	}
	checks.Sort(findings)
	return &review.Result{
		Files: []review.FileResult{
			{Path: "package-lock.json", Changes: main},
			{Path: "packages/app/package-lock.json", Changes: app},
		},
		Findings:   findings,
		Notes:      []policy.Note{{File: "ci/policy.yml", Line: 12, Message: "ignore entry for request (legacy) expired on 2026-01-01 and no longer applies"}},
		Conclusion: policy.Failure,
		Policy:     policy.Default(),
	}
}

// inputError is a review where the head of one lockfile did not parse.
func inputError() *review.Result {
	err := errors.New("package-lock.json at head: invalid lockfile: not valid JSON at offset 1834: unexpected end of input\n(line 61, column 3)")
	ok := &diff.Changes{List: []diff.Change{
		{Kind: diff.Added, Name: "is-number", To: "7.0.0", After: []*lockfile.Package{node("node_modules/is-number", 10)}},
	}}
	return &review.Result{
		Files: []review.FileResult{
			{Path: "package-lock.json", Err: err},
			{Path: "web/package-lock.json", Changes: ok},
		},
		Incomplete: true,
		Problems:   []string{err.Error()},
		Conclusion: policy.Failure,
		Policy:     policy.Default(),
	}
}

// empty is a review of a pull request whose lockfile did not change packages.
func empty() *review.Result {
	return &review.Result{
		Files:      []review.FileResult{{Path: "package-lock.json", Changes: &diff.Changes{}}},
		Conclusion: policy.Success,
		Policy:     policy.Default(),
	}
}

// huge has more package changes than a comment can list, and findings that
// still fit.
func huge() *review.Result {
	cs := &diff.Changes{}
	for i := range 500 {
		name := fmt.Sprintf("@scope-%03d/package-with-a-long-name-%04d", i%37, i)
		cs.List = append(cs.List, diff.Change{Kind: diff.Kind(i % 3), Name: name, From: "1.0.0", To: "1.0.1",
			After:  []*lockfile.Package{node("node_modules/"+name, 10+i*20)},
			Before: []*lockfile.Package{node("node_modules/"+name, 10+i*20)}})
		c := &cs.List[len(cs.List)-1]
		switch c.Kind {
		case diff.Added:
			c.From, c.Before = "", nil
		case diff.Removed:
			c.To, c.After = "", nil
		case diff.Updated:
			c.Update = diff.Patch
		}
	}
	var fs []checks.Finding
	for i := range 60 {
		fs = append(fs, checks.Finding{Check: "install-script", Severity: checks.Severity(i % 5), Package: cs.List[i].Name, Version: "1.0.1",
			Lockfile: "package-lock.json", Line: 10 + i*20, Message: fmt.Sprintf("finding number %d about a package that newly runs an install script", i),
			Remediation: "Read the install script."})
	}
	checks.Sort(fs)
	return &review.Result{
		Files:      []review.FileResult{{Path: "package-lock.json", Changes: cs}},
		Findings:   fs,
		Conclusion: policy.Failure,
		Policy:     policy.Default(),
	}
}

// hugeFindings has more findings than a comment can hold.
func hugeFindings() *review.Result {
	res := huge()
	res.Findings = nil
	for i := range 600 {
		res.Findings = append(res.Findings, checks.Finding{Check: "typosquat", Severity: checks.High, Package: fmt.Sprintf("pkg-%04d", i), Version: "1.0.0",
			Lockfile: "package-lock.json", Line: i + 1, Message: strings.Repeat("a long message about what was seen ", 4), Target: "lodash",
			Remediation: "Check the name."})
	}
	return res
}

// renderAll renders every format of res into golden files named after scenario.
func renderAll(t *testing.T, scenario string, res *review.Result) {
	t.Helper()
	golden := func(ext string, b []byte) {
		t.Helper()
		testkit.Golden(t, filepath.Join("testdata", scenario+".golden."+ext), b)
	}
	md := report.Markdown(res)
	if len(md) > report.MaxCommentSize {
		t.Errorf("Markdown is %d bytes, over MaxCommentSize %d", len(md), report.MaxCommentSize)
	}
	if !strings.HasPrefix(md, report.Marker+"\n") {
		t.Errorf("Markdown does not start with the marker line:\n%.200s", md)
	}
	golden("md", []byte(md))

	var js bytes.Buffer
	if err := report.JSON(&js, res); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	checkJSON(t, js.Bytes())
	golden("json", js.Bytes())

	var sarif bytes.Buffer
	if err := report.SARIF(&sarif, res); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	checkSARIF(t, sarif.Bytes())
	golden("sarif", sarif.Bytes())

	var txt bytes.Buffer
	if err := report.Text(&txt, res); err != nil {
		t.Fatalf("Text: %v", err)
	}
	golden("txt", txt.Bytes())

	golden("check.md", []byte(checkText(t, report.CheckOutput(res))))
}

// checkText lays a check run out for a golden file.
func checkText(t *testing.T, c report.Check) string {
	t.Helper()
	if len(c.Summary) > report.MaxCheckTextSize || len(c.Text) > report.MaxCheckTextSize {
		t.Errorf("check output over the limit: summary %d, text %d bytes", len(c.Summary), len(c.Text))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nconclusion: %s\n\n--- summary ---\n%s\n--- text ---\n%s\n--- annotations ---\n", c.Title, c.Conclusion, c.Summary, c.Text)
	for _, a := range c.Annotations {
		fmt.Fprintf(&b, "%s:%d-%d %s %q\n  %q\n", a.Path, a.StartLine, a.EndLine, a.Level, a.Title, a.Message)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *review.Result
	}{
		{"hand-built", handBuilt()},
		{"input-error", inputError()},
		{"empty", empty()},
		{"no-files", &review.Result{Conclusion: policy.Success, Policy: policy.Default()}},
		{"huge", huge()},
	} {
		t.Run(tc.name, func(t *testing.T) { renderAll(t, tc.name, tc.res) })
	}
}

func TestMarkdownHuge(t *testing.T) {
	md := report.Markdown(huge())
	if len(md) > report.MaxCommentSize {
		t.Errorf("len = %d, want <= %d", len(md), report.MaxCommentSize)
	}
	for _, want := range []string{"- … and ", "finding number 59 "} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown(huge) lacks %q", want)
		}
	}

	md = report.Markdown(hugeFindings())
	testkit.Golden(t, filepath.Join("testdata", "huge-findings.golden.md"), []byte(md))
	if len(md) > report.MaxCommentSize {
		t.Errorf("len = %d, want <= %d", len(md), report.MaxCommentSize)
	}
	for _, want := range []string{"more findings (see the check run / JSON report)", "Package lists left out"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown(hugeFindings) lacks %q", want)
		}
	}
	if c := report.CheckOutput(hugeFindings()); len(c.Summary) > report.MaxCheckTextSize || len(c.Text) > report.MaxCheckTextSize {
		t.Errorf("CheckOutput(hugeFindings): summary %d, text %d bytes, want <= %d", len(c.Summary), len(c.Text), report.MaxCheckTextSize)
	}
}

// TestMarkdownMaxSize checks the cut order at every size from tiny to full:
// never over the limit, lists cut before accepted findings, accepted before
// active findings, the marker always first.
func TestMarkdownMaxSize(t *testing.T) {
	res := handBuilt()
	full := report.Markdown(res)
	for size := 200; size <= len(full)+100; size += 97 {
		md := report.Markdown(res, report.WithMaxSize(size))
		if len(md) > size {
			t.Fatalf("WithMaxSize(%d): got %d bytes", size, len(md))
		}
		if !strings.HasPrefix(md, report.Marker) {
			t.Fatalf("WithMaxSize(%d): marker missing", size)
		}
		hasLists := strings.Contains(md, "<details><summary>package-lock.json")
		hasAccepted := strings.Contains(md, "our fork until upstream")
		hasLast := strings.Contains(md, "is a major update") // the last active finding
		if hasLists && !(hasAccepted && hasLast) {
			t.Errorf("WithMaxSize(%d): package lists kept while findings were cut", size)
		}
		if hasAccepted && !hasLast {
			t.Errorf("WithMaxSize(%d): accepted findings kept while active findings were cut", size)
		}
	}
	if got := report.Markdown(res, report.WithMaxSize(len(full))); got != full {
		t.Errorf("WithMaxSize(len(full)) cut a comment that fits")
	}
}

// TestMarkdownHostile renders names, versions and messages an attacker
// controls and checks that none of them escapes its table cell or list item.
func TestMarkdownHostile(t *testing.T) {
	const name = "evil|name`<img src=x onerror=alert(1)>\n## @octocat [click](javascript:alert(1)) <!-- lockreview:comment --> #1 \u202egnp.exe $x$ ~~s~~ **b**"
	const version = "1.0.0|`<script>`\r\n- [x](http://e.vil)"
	res := &review.Result{
		Files: []review.FileResult{{Path: "package-lock.json", Changes: &diff.Changes{List: []diff.Change{
			{Kind: diff.Added, Name: name, To: version, After: []*lockfile.Package{node("node_modules/x", 5)}},
			{Kind: diff.Updated, Name: name, From: version, To: version + "2", Update: diff.NonSemver, After: []*lockfile.Package{node("node_modules/y", 6)}},
		}}}},
		Findings: []checks.Finding{
			{Check: "typosquat", Severity: checks.High, Package: name, Version: version, From: version, Lockfile: "package-lock.json", Line: 5,
				Message: "message " + name, Remediation: "fix " + name, Target: "@octocat/x|y"},
			{Check: "install-script", Severity: checks.Low, Package: name, Version: version, Lockfile: "package-lock.json",
				Message: name, Suppressed: true, SuppressedBy: "reason " + name},
		},
		Notes:      []policy.Note{{Line: 3, Message: "note " + name}},
		Problems:   []string{"```\n" + name + "\n```"},
		Incomplete: true,
		Conclusion: policy.Failure,
		Policy:     policy.Default(),
	}
	md := report.Markdown(res)
	testkit.Golden(t, filepath.Join("testdata", "hostile.golden.md"), []byte(md))

	if n := strings.Count(md, report.Marker); n != 1 {
		t.Errorf("marker appears %d times, want once", n)
	}
	// Link destinations are percent-encoded npmjs.com URLs; a scoped name
	// keeps its "@" there, where no mention is parsed.
	text := regexp.MustCompile(`\]\(https://www\.npmjs\.com/package/[^ ()<>|]*\)`).ReplaceAllString(md, "](URL)")
	for _, bad := range []string{"<img", "<script", "<!-- lockreview:comment --> #", "@octocat", "#1", "\u202e", "](javascript:", "](http", "\n## ", "\n- [x]"} {
		if i := strings.Index(text, bad); i >= 0 {
			t.Errorf("Markdown contains %q at %d: %q", bad, i, text[max(i-40, 0):min(i+40, len(text))])
		}
	}
	// Each table row has exactly the separators of its header.
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "| Severity") && !strings.HasPrefix(l, "| Lockfile") {
			continue
		}
		want := unescapedPipes(l)
		for _, row := range lines[i+1:] {
			if !strings.HasPrefix(row, "|") {
				break
			}
			if got := unescapedPipes(row); got != want {
				t.Errorf("row has %d cell separators, header %d: %q", got, want, row)
			}
		}
	}

	var txt bytes.Buffer
	if err := report.Text(&txt, res); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(txt.String(), "\x1b\u202e\r") {
		t.Errorf("Text passes control characters through: %q", txt.String())
	}
	for _, l := range strings.Split(strings.TrimSuffix(txt.String(), "\n"), "\n") {
		if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "- [x]") {
			t.Errorf("untrusted text started a line of Text: %q", l)
		}
	}
}

func unescapedPipes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

func TestTextColor(t *testing.T) {
	var plainOut, colored bytes.Buffer
	if err := report.Text(&plainOut, handBuilt()); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&colored, handBuilt(), report.WithColor(true)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plainOut.String(), "\x1b[") {
		t.Errorf("Text without WithColor has escape sequences")
	}
	if !strings.Contains(colored.String(), "\x1b[31mFAIL\x1b[0m") {
		t.Errorf("Text WithColor(true) does not colour the verdict:\n%s", colored.String())
	}
	strip := strings.NewReplacer("\x1b[0m", "", "\x1b[31m", "", "\x1b[32m", "", "\x1b[33m", "", "\x1b[34m", "", "\x1b[35m", "", "\x1b[2m", "")
	if got := strip.Replace(colored.String()); got != plainOut.String() {
		t.Errorf("coloured Text differs from plain beyond the colours:\n%s", testkit.LineDiff(plainOut.String(), got))
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for name, render := range map[string]func() error{
		"JSON":  func() error { return report.JSON(failWriter{}, handBuilt()) },
		"SARIF": func() error { return report.SARIF(failWriter{}, handBuilt()) },
		"Text":  func() error { return report.Text(failWriter{}, handBuilt()) },
	} {
		if err := render(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s to a failing writer: err = %v, want the write error", name, err)
		}
	}
}

func TestNilResult(t *testing.T) {
	if md := report.Markdown(nil); !strings.HasPrefix(md, report.Marker) {
		t.Errorf("Markdown(nil) = %q", md)
	}
	if err := report.JSON(&bytes.Buffer{}, nil); err != nil {
		t.Errorf("JSON(nil): %v", err)
	}
	if err := report.SARIF(&bytes.Buffer{}, nil); err != nil {
		t.Errorf("SARIF(nil): %v", err)
	}
	if err := report.Text(&bytes.Buffer{}, nil); err != nil {
		t.Errorf("Text(nil): %v", err)
	}
	_ = report.CheckOutput(nil)
}

// BenchmarkMarkdownTruncated measures the cutting path: a comment over the
// limit is rendered once per bisection step.
func BenchmarkMarkdownTruncated(b *testing.B) {
	res := hugeFindings()
	b.ReportAllocs()
	for b.Loop() {
		report.Markdown(res)
	}
}
