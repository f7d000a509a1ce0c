package lockfile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

var benchFixtures = []string{
	"v3-big-10788pkgs.json.gz",
	"v2-woocommerce-blocks-large-head.json.gz",
	"v1-octokit-webhooks-lodash-head.json",
	"v3-workspaces-npm-cli-head.json",
}

func BenchmarkParse(b *testing.B) {
	for _, name := range benchFixtures {
		data := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lockfile.Parse(name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseReader is BenchmarkParse streaming from a file, as the CLI
// reads: the input is never held whole.
func BenchmarkParseReader(b *testing.B) {
	for _, name := range benchFixtures {
		data := readFixture(b, name)
		path := filepath.Join(b.TempDir(), "lock.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				_, err = lockfile.ParseReader(name, f)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// synthLockfile builds a v3 lockfile of at least minSize bytes by repeating
// the entries of the big real fixture under workspace-like prefixes
// ("w0/node_modules/x", "w1/node_modules/x", ...), keeping keys sorted and
// the formatting npm uses.
func synthLockfile(tb testing.TB, minSize int) []byte {
	tb.Helper()
	src := readFixture(tb, "v3-big-10788pkgs.json.gz")
	var lock struct {
		Packages map[string]json.RawMessage `json:"packages"`
	}
	if err := json.Unmarshal(src, &lock); err != nil {
		tb.Fatal(err)
	}
	keys := make([]string, 0, len(lock.Packages))
	for k := range lock.Packages {
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	indent := func(raw json.RawMessage) []byte {
		var b bytes.Buffer
		if err := json.Indent(&b, raw, "    ", "  "); err != nil {
			tb.Fatal(err)
		}
		return b.Bytes()
	}
	var out bytes.Buffer
	out.Grow(minSize + len(src))
	out.WriteString("{\n  \"name\": \"synthetic\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": ")
	out.Write(indent(lock.Packages[""]))
	entries := make([][]byte, len(keys))
	for i, k := range keys {
		entries[i] = indent(lock.Packages[k])
	}
	for n := 0; out.Len() < minSize; n++ {
		for i, k := range keys {
			fmt.Fprintf(&out, ",\n    \"w%03d/%s\": ", n, k)
			out.Write(entries[i])
		}
	}
	out.WriteString("\n  }\n}\n")
	return out.Bytes()
}

// BenchmarkParseSynthetic40MB shows how Parse scales past real sizes. Besides
// MB/s and B/op it reports retained-MB: the live heap held by the result.
func BenchmarkParseSynthetic40MB(b *testing.B) {
	data := synthLockfile(b, 40<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	for b.Loop() {
		if _, err := lockfile.Parse("synthetic.json", data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&before)
	l, _ := lockfile.Parse("synthetic.json", data)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "retained-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "input-MB")
	b.ReportMetric(float64(len(l.Packages)), "packages")
	runtime.KeepAlive(l)
}

// BenchmarkStdlibBaseline is the yardstick Parse was chosen against: the same
// input decoded with encoding/json into the wire shape Parse reads, without
// line numbers, duplicate detection or source classification.
func BenchmarkStdlibBaseline(b *testing.B) {
	data := readFixture(b, "v3-big-10788pkgs.json.gz")
	type entry struct {
		Name, Version, Resolved, Integrity string
		License                            json.RawMessage
		Dev, Optional, DevOptional, Peer   bool
		InBundle, Link, HasInstallScript   bool
		Dependencies, OptionalDependencies map[string]string
		PeerDependencies, DevDependencies  map[string]string
		OS                                 json.RawMessage `json:"os"`
		CPU                                json.RawMessage `json:"cpu"`
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var lock struct {
			LockfileVersion int              `json:"lockfileVersion"`
			Packages        map[string]entry `json:"packages"`
		}
		if err := json.Unmarshal(data, &lock); err != nil {
			b.Fatal(err)
		}
	}
}
