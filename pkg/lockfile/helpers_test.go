package lockfile_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// readFixture reads testdata/name, gunzipping *.gz files.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			tb.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			tb.Fatal(err)
		}
	}
	return data
}

// depsOf builds Deps of one type from name, range pairs (given sorted).
func depsOf(t lockfile.DepType, kv ...string) lockfile.Deps {
	var d lockfile.Deps
	for i := 0; i+1 < len(kv); i += 2 {
		d = append(d, lockfile.Dep{Name: kv[i], Spec: kv[i+1], Type: t})
	}
	return d
}

// depMap returns the dependencies of the given types as a map.
func depMap(d lockfile.Deps, types lockfile.DepType) map[string]string {
	var m map[string]string
	for _, dep := range d {
		if dep.Type&types != 0 {
			if m == nil {
				m = map[string]string{}
			}
			m[dep.Name] = dep.Spec
		}
	}
	return m
}
