package policy_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/policy"
)

func TestParseFull(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if p.FailOn == nil || *p.FailOn != checks.Medium || !p.FailClosed || p.Comment != policy.CommentOnFindings {
		t.Errorf("fail-on/fail-closed/comment = %v %v %v", p.FailOn, p.FailClosed, p.Comment)
	}
	if p.MinReleaseAge != 72*time.Hour || p.BroadUpdateThreshold != 80 {
		t.Errorf("min-release-age = %v, broad-update-threshold = %d", p.MinReleaseAge, p.BroadUpdateThreshold)
	}
	if p.Enabled("native-addon") || !p.Enabled("install-script") {
		t.Errorf("Enabled: native-addon should be disabled, install-script enabled")
	}
	cfg := p.CheckConfig()
	want := checks.Config{
		AllowedHosts:         []string{"registry.npmjs.org", "npm.acme.internal"},
		InternalScopes:       []string{"@acme"},
		InternalNames:        []string{"acme-utils"},
		LicenseAllow:         []string{"MIT", "Apache-2.0", "ISC", "BSD-2-Clause", "BSD-3-Clause"},
		LicenseDeny:          []string{"AGPL-3.0-only"},
		BroadUpdateThreshold: 80,
		MinReleaseAge:        72 * time.Hour,
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("CheckConfig diff (-want +got):\n%s", diff)
	}
	if p.Ignore[0].Line != 19 || p.Ignore[1].Line != 23 {
		t.Errorf("ignore lines = %d, %d; want 19, 23", p.Ignore[0].Line, p.Ignore[1].Line)
	}
}

// TestParseTrailingDocumentMarker: a bare "---" at the end (an empty second
// document) loses nothing and is accepted; a second document with content
// is not (TestParseErrors).
func TestParseTrailingDocumentMarker(t *testing.T) {
	p, err := policy.Parse([]byte("---\nversion: 1\nfail-on: critical\n---\n"))
	if err != nil || p.FailOn == nil || *p.FailOn != checks.Critical {
		t.Errorf("Parse = %+v, %v; want fail-on critical", p, err)
	}
}

func TestParseDefaults(t *testing.T) {
	for _, in := range []string{"", "version: 1\n", "# only a comment\n"} {
		p, err := policy.Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if p.FailOn == nil || *p.FailOn != checks.High || p.Comment != policy.CommentAlways || p.MinReleaseAge != 48*time.Hour {
			t.Errorf("Parse(%q) defaults = %+v", in, p)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]string{
		"version: 2\n":                                                                "line 1: version: want 1",
		"version: 1\nfail-on: severe\n":                                               `line 2: fail-on: unknown value "severe" (want none, info`,
		"version: 1\nunknown-field: x\n":                                              `line 2: unknown field "unknown-field"`,
		"version: 1\nchecks:\n  disabel: [typosquat]\n":                               `line 3: unknown field "disabel"`,
		"version: 1\nchecks:\n  severity:\n    nope: low\n":                           `line 4: checks.severity: unknown check "nope"`,
		"version: 1\ncomment: sometimes\n":                                            "line 2: comment",
		"version: 1\nmin-release-age: soon\n":                                         "line 2: min-release-age",
		"version: 1\ninternal-scopes: [acme]\n":                                       "internal-scopes: \"acme\" is not a scope",
		"version: 1\nchecks:\n  disable: [typosquat,\n    nope]\n":                    `line 4: checks.disable: unknown check "nope"`,
		"version: 1\nignore:\n  - package: a\n":                                       "line 3: ignore[0]: reason is required",
		"version: 1\nignore:\n  - package: a\n    reason: r\n    versions: '>>1'\n":   "versions",
		"version: 1\nignore:\n  - package: a\n    reason: r\n    expires: tomorrow\n": "expires",
		"version: 1\nlicenses:\n  deny: [MIT OR ISC]\n":                               "not a single SPDX id",
		"version: [1\n": "line 1: did not find expected",
		"- a\n- b\n":    "cannot unmarshal",
		// A second document would be silently ignored.
		"version: 1\nfail-on: high\n---\nfail-on: none\n": "line 3: a second YAML document",
		// An escape sequence in a key does not reach the terminal.
		"version: 1\n\"\\e[31mevil\\u202e\": 1\n": `line 2: unknown field "[31mevil"`,
	}
	for in, want := range tests {
		_, err := policy.Parse([]byte(in))
		if !errors.Is(err, policy.ErrInvalid) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), policy.FileName) {
			t.Errorf("Parse(%q) error = %v, want ErrInvalid naming %s and containing %q", in, err, policy.FileName, want)
		}
	}
	if _, err := policy.Parse(make([]byte, policy.MaxSize+1)); !errors.Is(err, policy.ErrInvalid) {
		t.Errorf("oversized policy: %v", err)
	}
	// A policy read from elsewhere is named as such, once.
	_, err := policy.ParseAt("ci/policy.yml", []byte("version: 1\nfail-on: severe\n"))
	if err == nil || !strings.Contains(err.Error(), "ci/policy.yml: line 2") || strings.Contains(err.Error(), policy.FileName) {
		t.Errorf("ParseAt error = %v, want it to name ci/policy.yml and not %s", err, policy.FileName)
	}
}

func TestApplyAndDecide(t *testing.T) {
	data, _ := os.ReadFile("testdata/full.yml")
	p, err := policy.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	findings := []checks.Finding{
		{Check: "install-script", Severity: checks.High, Package: "esbuild", Version: "0.25.1"},
		{Check: "install-script", Severity: checks.High, Package: "esbuild", Version: "0.19.0"},
		{Check: "install-script", Severity: checks.High, Package: "fsevents", Version: "2.3.3"},
		{Check: "license-changed", Severity: checks.Medium, Package: "fast-uri", Version: "3.0.3"},
	}
	notes := p.Apply(findings, now)
	got := map[string]string{}
	for _, f := range findings {
		got[f.Package+"@"+f.Version] = f.Severity.String() + map[bool]string{true: " suppressed"}[f.Suppressed]
	}
	want := map[string]string{
		"esbuild@0.25.1": "high suppressed",
		"esbuild@0.19.0": "high",
		"fsevents@2.3.3": "high", // its entry expired on 2026-06-30
		"fast-uri@3.0.3": "low",  // severity override
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Apply diff (-want +got):\n%s", diff)
	}
	if len(notes) != 1 || notes[0].Line != 23 || notes[0].File != policy.FileName || !strings.Contains(notes[0].Message, "expired on 2026-06-30") {
		t.Errorf("notes = %+v, want one about the expired fsevents entry", notes)
	}
	if c := p.Decide(findings, false); c != policy.Failure {
		t.Errorf("Decide = %v, want failure (unsuppressed high findings)", c)
	}

	lenient := policy.Default()
	if c := lenient.Decide([]checks.Finding{{Severity: checks.Medium}}, false); c != policy.Success {
		t.Errorf("default Decide(medium) = %v, want success", c)
	}
	if c := lenient.Decide(nil, true); c != policy.Neutral {
		t.Errorf("default Decide(incomplete) = %v, want neutral", c)
	}
	lenient.FailClosed = true
	if c := lenient.Decide(nil, true); c != policy.Failure {
		t.Errorf("fail-closed Decide(incomplete) = %v, want failure", c)
	}
	lenient.FailOn = nil
	if c := lenient.Decide([]checks.Finding{{Severity: checks.Critical}}, false); c != policy.Success {
		t.Errorf("fail-on none Decide(critical) = %v, want success", c)
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/full.yml")
	f.Add(data)
	f.Add([]byte("version: 1\nfail-on: low\n"))
	f.Add([]byte("ignore:\n  - {package: a, reason: b, versions: '<2'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policy.Parse(data)
		if err != nil {
			if !errors.Is(err, policy.ErrInvalid) {
				t.Fatalf("error not under ErrInvalid: %v", err)
			}
			return
		}
		p.Apply([]checks.Finding{{Check: "install-script", Package: "a", Version: "1.0.0"}}, time.Unix(0, 0))
		p.Decide(nil, true)
	})
}

// TestNotesNameTheFile checks that a note about a policy read from elsewhere
// (--policy) names that file, not .github/lockreview.yml.
func TestNotesNameTheFile(t *testing.T) {
	p, err := policy.ParseAt("ci/policy.yml", []byte("version: 1\nignore:\n  - package: a\n    reason: r\n    expires: 2020-01-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	notes := p.Apply([]checks.Finding{{Check: "typosquat", Package: "a"}}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(notes) != 1 || notes[0].File != "ci/policy.yml" || notes[0].Line != 3 {
		t.Errorf("notes = %+v, want one naming ci/policy.yml line 3", notes)
	}
}

// TestIgnoreWithoutCheckSparesTamperChecks checks that an entry accepting a
// package's risks ("any check") does not accept a tampered entry of it: that
// takes an entry naming the tamper check.
func TestIgnoreWithoutCheckSparesTamperChecks(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := policy.Parse([]byte("version: 1\nignore:\n  - package: lodash\n    reason: accepted install script\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := []checks.Finding{
		{Check: "install-script", Severity: checks.High, Package: "lodash"},
		{Check: "integrity-changed", Severity: checks.Critical, Package: "lodash"},
		{Check: "name-mismatch", Severity: checks.Critical, Package: "lodash"},
	}
	p.Apply(fs, now)
	for _, f := range fs {
		if want := f.Check == "install-script"; f.Suppressed != want {
			t.Errorf("%s: suppressed %v, want %v", f.Check, f.Suppressed, want)
		}
	}
	if p.Decide(fs, false) != policy.Failure {
		t.Error("a tampered entry accepted by a catch-all ignore entry passed")
	}
	p, err = policy.Parse([]byte("version: 1\nignore:\n  - package: lodash\n    check: integrity-changed\n    reason: private mirror rebuilds the tarball\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs = []checks.Finding{{Check: "integrity-changed", Severity: checks.Critical, Package: "lodash"}}
	p.Apply(fs, now)
	if !fs[0].Suppressed {
		t.Error("an entry naming integrity-changed did not accept it")
	}
	for _, id := range []string{"integrity-changed", "resolved-changed", "source-changed", "name-mismatch", "duplicate-key", "odd-path", "section-mismatch", "dependency-confusion", "signature-invalid", "provenance-invalid"} {
		if !checks.IsTamper(id) {
			t.Errorf("%s is not a tamper check", id)
		}
	}
	if checks.IsTamper("install-script") || checks.IsTamper("typosquat") {
		t.Error("a risk check is marked as a tamper check")
	}
}

// TestIgnoreSparesCopiesFromElsewhere checks that an entry accepting a
// package's install script (the README's esbuild example) does not accept
// it for a copy from a tarball URL or a git fork: only that copy's own
// source findings can be accepted.
func TestIgnoreSparesCopiesFromElsewhere(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := policy.Parse([]byte("version: 1\nignore:\n  - package: esbuild\n    check: install-script\n    reason: selects its platform binary\n  - package: esbuild\n    reason: known fork\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := []checks.Finding{
		{Check: "install-script", Severity: checks.High, Package: "esbuild", Version: "0.21.0"},
		{Check: "install-script", Severity: checks.High, Package: "esbuild", Version: "0.21.0", Path: "node_modules/a/node_modules/esbuild", Source: "https://evil.example/esbuild-0.21.0.tgz"},
		{Check: "non-registry-source", Severity: checks.Medium, Package: "esbuild", Version: "0.21.0", Path: "node_modules/a/node_modules/esbuild", Source: "https://evil.example/esbuild-0.21.0.tgz"},
	}
	p.Apply(fs, now)
	for i, want := range []bool{true, false, true} {
		if fs[i].Suppressed != want {
			t.Errorf("%s from %q: suppressed %v, want %v", fs[i].Check, fs[i].Source, fs[i].Suppressed, want)
		}
	}
	if p.Decide(fs, false) != policy.Failure {
		t.Error("an install script from an unvetted copy was accepted")
	}
}
