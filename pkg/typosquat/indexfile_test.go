package typosquat

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/testkit"
)

// TestEmbeddedIndex keeps index.bin equal to what the current code builds
// from popular.txt; `go generate ./pkg/typosquat` (this test with -update)
// rewrites it.
func TestEmbeddedIndex(t *testing.T) {
	// Default skips validation and deduplication when it reads index.bin:
	// the embedded list must have neither invalid nor duplicate names.
	seen := map[string]bool{}
	for _, n := range Popular() {
		n = strings.ToLower(strings.TrimSpace(n))
		if seen[n] || !validName(n) {
			t.Fatalf("popular.txt: %q is invalid or repeated", n)
		}
		seen[n] = true
	}
	built := New(Popular(), withEstablished(Established()))
	testkit.Golden(t, "index.bin", indexFile(built, popularList+establishedList))

	d, err := readIndexFile(embeddedIndex, popularList+establishedList)
	if err != nil {
		t.Fatalf("readIndexFile: %v", err)
	}
	fromFile := New(Popular(), withPrebuilt(d), withEstablished(Established()))
	for _, name := range append(readLinesInternal(t, "typosquats.tsv"), "crossenv", "lodahs", "expresss", "@typos/node", "types-node", "reakt-dom", "webpack-dev-servr", "jquery.js", "env-cross", "chalks", "@typescript_eslinter/eslint") {
		a, okA := built.Nearest(name)
		b, okB := fromFile.Nearest(name)
		if a != b || okA != okB {
			t.Errorf("Nearest(%q): built %v %v, from index.bin %v %v", name, a, okA, b, okB)
		}
	}
	if _, err := readIndexFile(embeddedIndex, popularList+establishedList+"x\n"); err == nil {
		t.Error("index.bin accepted for another list")
	}
	if _, err := readIndexFile(embeddedIndex[:len(embeddedIndex)-1], popularList+establishedList); err == nil {
		t.Error("truncated index.bin accepted")
	}
	if !bytes.HasPrefix(embeddedIndex, []byte(indexMagic)) {
		t.Error("index.bin has no magic")
	}
}

// readLinesInternal returns the first column of a testdata/typosquat file.
func readLinesInternal(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(testkit.Testdata(t, "typosquat/"+name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			out = append(out, f[0])
		}
	}
	return out
}
