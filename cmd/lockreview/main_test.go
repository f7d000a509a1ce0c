package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "lockfiles"}, parts...)...)
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDiffExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"attack-fails", []string{"diff", "--offline", "--base", testdata("attack-typosquat", "base.json"), "--head", testdata("attack-typosquat", "head.json")}, exitFindings, "typosquat", ""},
		{"fail-on-critical-passes-high", []string{"diff", "--offline", "--fail-on", "critical", "--base", testdata("attack-typosquat", "base.json"), "--head", testdata("attack-typosquat", "head.json")}, exitOK, "typosquat", ""},
		{"fail-on-low", []string{"diff", "--offline", "--fail-on", "low", "--base", testdata("v1-octokit-webhooks-dependabot-lodash", "base.json"), "--head", testdata("v1-octokit-webhooks-dependabot-lodash", "head.json")}, exitFindings, "resolved-changed", ""},
		{"v1-section-edit-fails", []string{"diff", "--offline", "--base", testdata("attack-v1-section-mismatch", "base.json"), "--head", testdata("attack-v1-section-mismatch", "head.json")}, exitFindings, "section-mismatch", ""},
		{"clean-update", []string{"diff", "--offline", "--base", testdata("v3-workspaces-npm-cli-dependabot-babel-traverse", "base.json"), "--head", testdata("v3-workspaces-npm-cli-dependabot-babel-traverse", "head.json")}, exitOK, "", ""},
		{"missing-file", []string{"diff", "--offline", "--base", "nope.json", "--head", testdata("attack-typosquat", "head.json")}, exitUsage, "", "nope.json"},
		{"no-args", []string{"diff"}, exitUsage, "", "give --base and --head"},
		{"bad-format", []string{"diff", "--offline", "--format", "xml", "--base", "a", "--head", "b"}, exitUsage, "", "unknown --format"},
		{"bad-fail-on", []string{"diff", "--offline", "--fail-on", "severe", "--base", testdata("attack-typosquat", "base.json"), "--head", testdata("attack-typosquat", "head.json")}, exitUsage, "", `--fail-on: unknown value "severe" (want none, info, low, medium, high or critical)`},
		{"git-and-files", []string{"diff", "--git", "a..b", "--base", "x"}, exitUsage, "", "cannot be combined"},
		{"unknown-command", []string{"frobnicate"}, exitUsage, "", "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("run(%q) = %d\nstdout: %s\nstderr: %s\nwant %d, stdout containing %q, stderr containing %q", tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

func TestDiffMalformedInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "package-lock.json")
	if err := os.WriteFile(bad, []byte("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": 1}\n  }\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "diff", "--offline", "--base", testdata("attack-typosquat", "base.json"), "--head", bad)
	if code != exitUsage || !strings.Contains(stderr, bad) || !strings.Contains(stderr, "line 4") {
		t.Errorf("malformed head: exit %d, stderr %q; want 2 and a message naming %s and line 4", code, stderr, bad)
	}
}

// TestDiffFromPipe: a side given as a named pipe (process substitution,
// /dev/stdin) is read once, streamed, and reviewed like the file.
func TestDiffFromPipe(t *testing.T) {
	head, err := os.ReadFile(testdata("attack-typosquat", "head.json"))
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "head.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		_, _ = w.Write(head)
		w.Close()
	}()
	code, stdout, stderr := runCLI(t, "diff", "--offline", "--base", testdata("attack-typosquat", "base.json"), "--head", fifo)
	_, want, _ := runCLI(t, "diff", "--offline", "--base", testdata("attack-typosquat", "base.json"), "--head", testdata("attack-typosquat", "head.json"))
	want = strings.ReplaceAll(want, testdata("attack-typosquat", "head.json"), fifo)
	if code != exitFindings || stdout != want {
		t.Errorf("diff with the head from a pipe: exit %d, stderr %q\nstdout:\n%s\nwant exit 1 and:\n%s", code, stderr, stdout, want)
	}
}

func TestDiffJSON(t *testing.T) {
	code, stdout, _ := runCLI(t, "diff", "--offline", "--format", "json", "--base", testdata("attack-typosquat", "base.json"), "--head", testdata("attack-typosquat", "head.json"))
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, stdout)
	}
	var typo map[string]any
	for _, f := range doc.Findings {
		if f["check"] == "typosquat" {
			typo = f
		}
	}
	for _, k := range []string{"check", "severity", "package", "version", "lockfile", "line", "message", "target"} {
		if typo[k] == nil {
			t.Errorf("typosquat finding has no %q: %v", k, typo)
		}
	}
	if typo["target"] != "cross-env" || typo["severity"] != "high" {
		t.Errorf("typosquat finding = %v", typo)
	}
}

func TestDiffSARIFAndMarkdown(t *testing.T) {
	_, sarif, _ := runCLI(t, "diff", "--offline", "--format", "sarif", "--base", testdata("attack-integrity-swap", "base.json"), "--head", testdata("attack-integrity-swap", "head.json"))
	if !strings.Contains(sarif, `"version": "2.1.0"`) || !strings.Contains(sarif, `"ruleId": "integrity-changed"`) || !strings.Contains(sarif, `"startLine": 8245`) {
		t.Errorf("SARIF output lacks version, rule or line:\n%s", sarif)
	}
	_, md, _ := runCLI(t, "diff", "--offline", "--format", "markdown", "--base", testdata("attack-integrity-swap", "base.json"), "--head", testdata("attack-integrity-swap", "head.json"))
	if !strings.HasPrefix(md, "<!-- lockreview:comment -->") || !strings.Contains(md, "integrity-changed") {
		t.Errorf("markdown output:\n%s", md)
	}
}

// gitRepo makes an empty git repository; run runs git in it and write copies
// a testdata file to a path in it.
func gitRepo(t *testing.T) (dir string, run func(args ...string), write func(rel, src string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir = t.TempDir()
	run = func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write = func(rel, src string) {
		t.Helper()
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main")
	return dir, run, write
}

// chdir changes the working directory for the rest of the test.
func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

// TestDiffGit builds a repository with two commits and reviews the range,
// with the policy read from the base commit only.
func TestDiffGit(t *testing.T) {
	dir, gitRun, write := gitRepo(t)
	write("package-lock.json", testdata("attack-typosquat", "base.json"))
	write("web/npm-shrinkwrap.json", testdata("attack-integrity-swap", "base.json"))
	write("node_modules/x/package-lock.json", testdata("attack-integrity-swap", "base.json"))
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "lockreview.yml"), []byte("version: 1\nfail-on: critical\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gitRun("add", "-A")
	gitRun("commit", "-qm", "base")
	write("package-lock.json", testdata("attack-typosquat", "head.json"))
	write("web/npm-shrinkwrap.json", testdata("attack-integrity-swap", "head.json"))
	write("node_modules/x/package-lock.json", testdata("attack-integrity-swap", "head.json"))
	// The head tries to loosen the policy; the base's must still apply.
	if err := os.WriteFile(filepath.Join(dir, ".github", "lockreview.yml"), []byte("version: 1\nfail-on: none\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gitRun("add", "-A")
	gitRun("commit", "-qm", "head")

	chdir(t, dir)

	code, stdout, stderr := runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc struct {
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
		Findings []struct {
			Check, Lockfile string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range doc.Files {
		paths = append(paths, f.Path)
	}
	if strings.Join(paths, ",") != "package-lock.json,web/npm-shrinkwrap.json" {
		t.Errorf("reviewed files = %v, want the two lockfiles outside node_modules", paths)
	}
	// fail-on: critical from the base: the typosquat (high) alone would pass,
	// the integrity swap (critical) fails.
	code, _, _ = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD", "--fail-on", "critical")
	if code != exitFindings {
		t.Errorf("exit %d, want 1 from the critical integrity swap", code)
	}
	// From a subdirectory: the same files, named from the top level, and
	// the base's policy still applies.
	if err := os.Chdir(filepath.Join(dir, "web")); err != nil {
		t.Fatal(err)
	}
	code, sub, stderr := runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD", "--format", "json")
	if code != exitFindings || sub != stdout {
		t.Errorf("from web/: exit %d, stderr %s\nreport differs from the one run at the top level:\n%s", code, stderr, sub)
	}
	if code, _, _ = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD", "--fail-on", "high"); code != exitFindings {
		t.Errorf("from web/ with --fail-on high: exit %d, want 1", code)
	}
	if code, _, stderr := runCLI(t, "diff", "--offline", "--git", "nosuchref..HEAD"); code != exitUsage || !strings.Contains(stderr, "nosuchref") {
		t.Errorf("bad ref: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "diff", "--offline", "--git", "--upload-pack=x..HEAD"); code != exitUsage || !strings.Contains(stderr, "want BASE..HEAD") {
		t.Errorf("option-like ref: exit %d, stderr %q", code, stderr)
	}
}

// TestDiffGitLiteralPaths checks that folder names are data to git: a
// lockfile under ":app" (pathspec magic for "app") or ":(glob)x" is
// reviewed, not read as absent at both sides (a pass) or a git error.
func TestDiffGitLiteralPaths(t *testing.T) {
	dir, run, write := gitRepo(t)
	for _, d := range []string{":app", ":(glob)x", ":!y"} {
		write(d+"/package-lock.json", testdata("attack-integrity-swap", "base.json"))
	}
	run("add", "-A")
	run("commit", "-qm", "base")
	for _, d := range []string{":app", ":(glob)x", ":!y"} {
		write(d+"/package-lock.json", testdata("attack-integrity-swap", "head.json"))
	}
	run("commit", "-qam", "head")
	chdir(t, dir)
	code, stdout, stderr := runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, d := range []string{":app", ":(glob)x", ":!y"} {
		if !strings.Contains(stdout, `"lockfile": "`+d+`/package-lock.json"`) {
			t.Errorf("no finding in %s/package-lock.json:\n%s", d, stdout)
		}
	}
}

// TestDiffGitSymlink checks that a lockfile that is a symbolic link in git
// fails the review with a message that says so, instead of a JSON error
// about the link's text.
func TestDiffGitSymlink(t *testing.T) {
	dir, run, write := gitRepo(t)
	headLock, err := filepath.Abs(testdata("attack-integrity-swap", "head.json"))
	if err != nil {
		t.Fatal(err)
	}
	baseLock, err := filepath.Abs(testdata("attack-integrity-swap", "base.json"))
	if err != nil {
		t.Fatal(err)
	}
	write("real.json", testdata("attack-integrity-swap", "base.json"))
	write("package-lock.json", testdata("attack-integrity-swap", "base.json"))
	run("add", "-A")
	run("commit", "-qm", "base")
	if err := os.Remove(filepath.Join(dir, "package-lock.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.json", filepath.Join(dir, "package-lock.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	run("add", "-A")
	run("commit", "-qm", "link")
	chdir(t, dir)
	code, _, stderr := runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, "package-lock.json at ") || !strings.Contains(stderr, `symbolic link to "real.json"`) {
		t.Errorf("link added: exit %d, stderr %q; want 2 and a message naming the link", code, stderr)
	}
	// Then a change to the target alone: npm installs it through the link.
	write("real.json", headLock)
	run("commit", "-qam", "target")
	code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, `symbolic link to real.json, which changed`) {
		t.Errorf("target changed: exit %d, stderr %q; want 2 and a message naming the link and its target", code, stderr)
	}
	// An unrelated change still passes.
	write("README", headLock)
	run("add", "-A")
	run("commit", "-qm", "other")
	if code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD"); code != exitOK {
		t.Errorf("unrelated change: exit %d, stderr %q; want 0", code, stderr)
	}
	// A chain of links, and a link through a linked folder: followed to the
	// end.
	write("data/lock.json", headLock)
	if err := os.Remove(filepath.Join(dir, "real.json")); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"real.json": "mid.json", "mid.json": "cfg/lock.json", "cfg": "data"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	run("add", "-A")
	run("commit", "-qm", "chain")
	write("data/lock.json", baseLock)
	run("commit", "-qam", "edit through the chain")
	code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, `symbolic link to data/lock.json, which changed`) {
		t.Errorf("chain: exit %d, stderr %q; want 2 naming data/lock.json", code, stderr)
	}
	// A middle link retargeted to a file already in the base: nothing
	// named like a lockfile changed, but npm reads another file.
	write("data/other.json", baseLock)
	run("add", "-A")
	run("commit", "-qm", "other")
	if err := os.Remove(filepath.Join(dir, "mid.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("data/other.json", filepath.Join(dir, "mid.json")); err != nil {
		t.Fatal(err)
	}
	run("add", "-A")
	run("commit", "-qm", "retarget")
	code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, "through mid.json, a link that changed") {
		t.Errorf("retargeted middle link: exit %d, stderr %q; want 2", code, stderr)
	}
	// ".." after a linked folder applies to where the link led.
	write("d/e/x", baseLock)
	write("d/lock.json", baseLock)
	for _, l := range []string{"mid.json"} {
		if err := os.Remove(filepath.Join(dir, l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("sub/../lock.json", filepath.Join(dir, "mid.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("d/e", filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	run("add", "-A")
	run("commit", "-qm", "dotdot")
	write("d/lock.json", headLock)
	run("commit", "-qam", "edit d/lock.json")
	code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, "symbolic link to d/lock.json, which changed") {
		t.Errorf("dot-dot after a linked folder: exit %d, stderr %q; want 2 naming d/lock.json", code, stderr)
	}
	// A link out of the repository cannot be reviewed.
	if err := os.Remove(filepath.Join(dir, "mid.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside.json", filepath.Join(dir, "mid.json")); err != nil {
		t.Fatal(err)
	}
	run("add", "-A")
	run("commit", "-qm", "out")
	code, _, stderr = runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, "leads out of the repository") {
		t.Errorf("link out: exit %d, stderr %q; want 2", code, stderr)
	}
}

func TestSBOM(t *testing.T) {
	code, stdout, stderr := runCLI(t, "sbom", testdata("v3-octokit-webhooks-license-change", "head.json"), "--spec", "1.5")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var bom struct {
		SpecVersion  string `json:"specVersion"`
		SerialNumber string `json:"serialNumber"`
		Components   []struct {
			PURL string `json:"purl"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(stdout), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.SpecVersion != "1.5" || !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") || len(bom.Components) != 561 {
		t.Errorf("sbom: spec %s, serial %q, %d components", bom.SpecVersion, bom.SerialNumber, len(bom.Components))
	}
	for _, args := range [][]string{{"sbom"}, {"sbom", "nope.json"}, {"sbom", testdata("attack-typosquat", "head.json"), "--spec", "2.0"}} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("run(%q) = %d, want %d", args, code, exitUsage)
		}
	}
}

func TestDiffSBOMDelta(t *testing.T) {
	out := filepath.Join(t.TempDir(), "delta.cdx.json")
	code, _, stderr := runCLI(t, "diff", "--offline", "--sbom-delta", out, "--base", testdata("v3-octokit-webhooks-license-change", "base.json"), "--head", testdata("v3-octokit-webhooks-license-change", "head.json"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"lockreview:delta"`) || !strings.Contains(string(data), `"pkg:npm/fast-uri@3.0.3"`) {
		t.Errorf("delta document lacks the delta annotations or fast-uri 3.0.3")
	}
	if got := deltaPath("out/delta.cdx.json", "web/package-lock.json"); got != filepath.Join("out", "delta.web-package-lock.json.cdx.json") {
		t.Errorf("deltaPath = %q", got)
	}
}

// TestDiffGitFolderLink: a folder link retargeted to another folder that
// holds a lockfile changes what npm installs there, though no path named
// like a lockfile changed: the review fails and says why.
func TestDiffGitFolderLink(t *testing.T) {
	dir, run, write := gitRepo(t)
	write("appA/package-lock.json", testdata("attack-integrity-swap", "base.json"))
	write("appB/package-lock.json", testdata("attack-integrity-swap", "head.json"))
	if err := os.Symlink("appA", filepath.Join(dir, "app")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	run("add", "-A")
	run("commit", "-qm", "base")
	if err := os.Remove(filepath.Join(dir, "app")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("appB", filepath.Join(dir, "app")); err != nil {
		t.Fatal(err)
	}
	run("add", "-A")
	run("commit", "-qm", "retarget")
	chdir(t, dir)
	code, _, stderr := runCLI(t, "diff", "--offline", "--git", "HEAD~1..HEAD")
	if code != exitUsage || !strings.Contains(stderr, "app at ") || !strings.Contains(stderr, "folder link that changed; it now leads to appB, which holds appB/package-lock.json") {
		t.Errorf("exit %d, stderr %q; want 2 naming the link and the lockfile", code, stderr)
	}
}
