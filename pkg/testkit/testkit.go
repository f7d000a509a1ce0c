// Package testkit holds helpers for the project's tests: golden files that a
// -update flag rewrites, and the path of the repository's shared testdata/
// corpus. It is imported only by _test.go files, never by code that ships.
package testkit

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is registered in every test binary that imports testkit, so
// `go test ./pkg/report -update` rewrites that package's golden files.
var update = flag.Bool("update", false, "rewrite golden files with the current output instead of comparing")

// maxDiffLines bounds the diff Golden prints, so a mismatch on a large file
// stays readable.
const maxDiffLines = 80

// Golden compares got with the golden file at path (relative to the test's
// package directory). With -update it writes got to path instead, creating
// the directory. On a mismatch or a missing file it fails the test with a
// line diff and the command that regenerates the file.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden %s: %v", path, err)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v\nregenerate with: %s", path, err, regenerate())
		return
	}
	if bytes.Equal(want, got) {
		return
	}
	t.Errorf("golden %s differs (-want +got):\n%s\nregenerate with: %s", path, LineDiff(string(want), string(got)), regenerate())
}

// regenerate returns the command that rewrites the calling package's golden
// files: `go test ./pkg/report -update`.
func regenerate() string {
	pkg := "."
	if wd, err := os.Getwd(); err == nil {
		if root, err := findRoot(wd); err == nil {
			if rel, err := filepath.Rel(root, wd); err == nil && rel != "." {
				pkg = "./" + filepath.ToSlash(rel)
			}
		}
	}
	return "go test " + pkg + " -update"
}

// LineDiff returns a unified-style diff of want and got: the lines between
// their common prefix and suffix, with three lines of context, each prefixed
// by its line number. It is meant for humans reading a test failure, not for
// patch(1), and is cut after a few dozen lines.
func LineDiff(want, got string) string {
	w := strings.Split(want, "\n")
	g := strings.Split(got, "\n")
	pre := 0
	for pre < len(w) && pre < len(g) && w[pre] == g[pre] {
		pre++
	}
	suf := 0
	for suf < len(w)-pre && suf < len(g)-pre && w[len(w)-1-suf] == g[len(g)-1-suf] {
		suf++
	}
	const context = 3
	start := max(pre-context, 0)
	var b strings.Builder
	fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", start+1, len(w)-suf-start, start+1, len(g)-suf-start)
	lines := 0
	emit := func(prefix string, n int, s string) bool {
		if lines == maxDiffLines {
			b.WriteString("… (diff cut)\n")
			lines++
			return false
		}
		if lines > maxDiffLines {
			return false
		}
		fmt.Fprintf(&b, "%s%5d  %s\n", prefix, n, s)
		lines++
		return true
	}
	for i := start; i < pre; i++ {
		emit(" ", i+1, w[i])
	}
	for i := pre; i < len(w)-suf; i++ {
		if !emit("-", i+1, w[i]) {
			break
		}
	}
	for i := pre; i < len(g)-suf; i++ {
		if !emit("+", i+1, g[i]) {
			break
		}
	}
	for i := len(g) - suf; i < len(g) && i < len(g)-suf+context; i++ {
		emit(" ", i+1, g[i])
	}
	return b.String()
}

// Testdata returns the path of rel inside the repository's top-level
// testdata/ directory, found by walking up from the working directory to the
// directory holding go.mod. It does not check that rel exists.
func Testdata(t testing.TB, rel string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatalf("testdata: %v", err)
		return ""
	}
	root, err := findRoot(wd)
	if err != nil {
		t.Fatalf("testdata: %v", err)
		return ""
	}
	return filepath.Join(root, "testdata", filepath.FromSlash(rel))
}

// ReadFile returns the contents of the file at path, gunzipped when the name
// ends in ".gz" (large fixtures are kept compressed). Any error fails the
// test.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
		return nil
	}
	if !strings.HasSuffix(path, ".gz") {
		return data
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err == nil {
		data, err = io.ReadAll(zr)
	}
	if err != nil {
		t.Fatalf("gunzip %s: %v", path, err)
		return nil
	}
	return data
}

// findRoot returns the nearest directory at or above dir that holds go.mod.
func findRoot(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
		d = parent
	}
}
