package testkit

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "x.golden.txt")

	// Missing file: fails and says how to create it.
	r := &recorder{TB: t}
	Golden(r, path, []byte("one\n"))
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "-update") {
		t.Fatalf("missing golden: errors = %q, want one naming -update", r.errors)
	}

	// -update writes it, creating the directory.
	*update = true
	Golden(&recorder{TB: t}, path, []byte("one\ntwo\nthree\n"))
	*update = false
	if b, err := os.ReadFile(path); err != nil || string(b) != "one\ntwo\nthree\n" {
		t.Fatalf("after -update: %q, %v", b, err)
	}

	// Equal: passes.
	r = &recorder{TB: t}
	Golden(r, path, []byte("one\ntwo\nthree\n"))
	if len(r.errors) != 0 {
		t.Errorf("equal golden: errors = %q", r.errors)
	}

	// Different: fails with a diff and the regenerate command.
	r = &recorder{TB: t}
	Golden(r, path, []byte("one\nTWO\nthree\n"))
	if len(r.errors) != 1 {
		t.Fatalf("different golden: errors = %q", r.errors)
	}
	for _, want := range []string{"-    2  two", "+    2  TWO", "go test ./pkg/testkit -update"} {
		if !strings.Contains(r.errors[0], want) {
			t.Errorf("different golden: message lacks %q:\n%s", want, r.errors[0])
		}
	}
}

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct {
		name, want, got, diff string
	}{
		{
			name: "changed-line",
			want: "a\nb\nc\nd\ne\nf\ng\nh",
			got:  "a\nb\nc\nd\nE\nf\ng\nh",
			diff: "@@ -2,4 +2,4 @@\n     2  b\n     3  c\n     4  d\n-    5  e\n+    5  E\n     6  f\n     7  g\n     8  h\n",
		},
		{
			name: "added-at-end",
			want: "a\n",
			got:  "a\nb\n",
			diff: "@@ -1,1 +1,2 @@\n     1  a\n+    2  b\n     3  \n",
		},
		{
			name: "removed-at-start",
			want: "x\na",
			got:  "a",
			diff: "@@ -1,1 +1,0 @@\n-    1  x\n     1  a\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.diff, LineDiff(tc.want, tc.got)); d != "" {
				t.Errorf("LineDiff diff (-want +got):\n%s", d)
			}
		})
	}
}

func TestLineDiffCut(t *testing.T) {
	got := LineDiff(strings.Repeat("a\n", 500), strings.Repeat("b\n", 500))
	if n := strings.Count(got, "\n"); n > maxDiffLines+3 {
		t.Errorf("LineDiff of 500 changed lines has %d lines, want <= %d", n, maxDiffLines+3)
	}
	if !strings.Contains(got, "diff cut") {
		t.Errorf("LineDiff does not say it cut the diff")
	}
}

func TestTestdata(t *testing.T) {
	got := Testdata(t, "lockfiles/x/base.json")
	root := strings.TrimSuffix(got, filepath.FromSlash("/testdata/lockfiles/x/base.json"))
	if root == got {
		t.Fatalf("Testdata = %q, want it to end in testdata/lockfiles/x/base.json", got)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("Testdata root %q has no go.mod: %v", root, err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.json")
	if err := os.WriteFile(plain, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"x":1}`))
	zw.Close()
	packed := filepath.Join(dir, "b.json.gz")
	if err := os.WriteFile(packed, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := string(ReadFile(t, plain)); got != "{}" {
		t.Errorf("plain file = %q", got)
	}
	if got := string(ReadFile(t, packed)); got != `{"x":1}` {
		t.Errorf("gzipped file = %q, want it gunzipped", got)
	}
	r := &recorder{}
	ReadFile(r, filepath.Join(dir, "missing.gz"))
	if len(r.errors) == 0 {
		t.Error("a missing file did not fail the test")
	}
}
