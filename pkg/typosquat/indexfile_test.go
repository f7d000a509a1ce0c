package typosquat

import (
	"bytes"
	"testing"

	"github.com/lockreview/lockreview/pkg/testkit"
)

// TestEmbeddedIndex keeps index.bin equal to what the current code builds
// from popular.txt; `go generate ./pkg/typosquat` (this test with -update)
// rewrites it.
func TestEmbeddedIndex(t *testing.T) {
	built := New(Popular())
	testkit.Golden(t, "index.bin", indexFile(built, popularList))

	d, err := readIndexFile(embeddedIndex, popularList)
	if err != nil {
		t.Fatalf("readIndexFile: %v", err)
	}
	fromFile := New(Popular(), withPrebuilt(d))
	for _, name := range []string{"crossenv", "lodahs", "expresss", "@typos/node", "types-node", "reakt-dom", "webpack-dev-servr"} {
		a, okA := built.Nearest(name)
		b, okB := fromFile.Nearest(name)
		if a != b || okA != okB {
			t.Errorf("Nearest(%q): built %v %v, from index.bin %v %v", name, a, okA, b, okB)
		}
	}
	if _, err := readIndexFile(embeddedIndex, popularList+"x\n"); err == nil {
		t.Error("index.bin accepted for another list")
	}
	if _, err := readIndexFile(embeddedIndex[:len(embeddedIndex)-1], popularList); err == nil {
		t.Error("truncated index.bin accepted")
	}
	if !bytes.HasPrefix(embeddedIndex, []byte(indexMagic)) {
		t.Error("index.bin has no magic")
	}
}
