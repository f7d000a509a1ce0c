package lockfile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// FuzzParse checks that Parse never panics, that every error is under
// ErrInvalid, and that every success satisfies the documented invariants.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".gz") || strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 64<<10 { // small fixtures only: keep the fuzzer fast
			f.Add(data)
		}
	}
	f.Add([]byte(`{"lockfileVersion": 1, "dependencies": {"a": {"version": "npm:@s/b@1", "requires": {"c": true}, "dependencies": {"c": {"version": "git+ssh://git@h:o/r#x"}}}, "a": {}}}`))
	f.Add([]byte(`{"lockfileVersion": 3, "packages": {"": {"license": [{"type": "MIT"}]}, "node_modules/x": {"link": true, "resolved": "y"}, "y": {"version": "1"}, "node_modules/x": {"name": "z", "os": "linux"}}}`))
	f.Add([]byte("\xef\xbb\xbf{\"packages\": {\"node_modules/\\u0061\": {}, \"node_modules/a\": {}}}"))

	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := lockfile.Parse("fuzz.json", data, lockfile.WithMaxDepth(64))
		if err != nil {
			if l != nil {
				t.Fatalf("Parse returned a Lockfile and an error: %v", err)
			}
			if !errors.Is(err, lockfile.ErrInvalid) {
				t.Fatalf("error %v (%T) is not under ErrInvalid", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			var se *lockfile.SyntaxError
			if errors.As(err, &se) && (se.Line < 1 || se.Column < 1 || se.Offset < 0 || se.Offset > int64(len(data))) {
				t.Fatalf("SyntaxError position out of range: %+v (len %d)", se, len(data))
			}
			return
		}
		// Success implies valid JSON (std accepts duplicate names, as we do;
		// std rejects a byte order mark, which npm strips).
		if !json.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) {
			t.Fatalf("Parse accepted invalid JSON")
		}
		if l.Version < 1 || l.Version > 3 {
			t.Fatalf("Version = %d", l.Version)
		}
		if l.Version == 1 && l.Root != nil {
			t.Fatalf("v1 lockfile with a Root")
		}
		assertInvariants(t, l, data)
		if l.Version >= 2 {
			checkPackagesAgainstStdlib(t, l, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
		}
	})
}

// checkPackagesAgainstStdlib compares the packages map with encoding/json,
// which also keeps the last of duplicate keys. On input Parse accepts (valid
// UTF-8, no lone surrogates) both must agree on every path and string field.
func checkPackagesAgainstStdlib(t *testing.T, l *lockfile.Lockfile, data []byte) {
	var root map[string]json.RawMessage
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("encoding/json rejects what Parse accepted: %v", err)
	}
	var pkgs map[string]map[string]json.RawMessage
	if raw, ok := root["packages"]; ok {
		if err := json.Unmarshal(raw, &pkgs); err != nil {
			t.Fatalf("encoding/json: packages: %v", err)
		}
	}
	n := 0
	for path, fields := range pkgs {
		if path == "" {
			continue
		}
		n++
		p := l.Package(path)
		if p == nil {
			t.Fatalf("encoding/json has packages[%q], Parse does not", path)
		}
		str := func(name string) string {
			var s string
			if raw, ok := fields[name]; ok {
				if err := json.Unmarshal(raw, &s); err != nil {
					t.Fatalf("packages[%q].%s: %v", path, name, err)
				}
			}
			return s
		}
		if got, want := p.Resolved, str("resolved"); got != want {
			t.Fatalf("packages[%q].resolved: Parse %q, encoding/json %q", path, got, want)
		}
		if got, want := p.Integrity, str("integrity"); got != want {
			t.Fatalf("packages[%q].integrity: Parse %q, encoding/json %q", path, got, want)
		}
		if want := str("version"); p.Version != want && !(p.Link && want == "") {
			t.Fatalf("packages[%q].version: Parse %q, encoding/json %q", path, p.Version, want)
		}
		for _, f := range []struct {
			name string
			typ  lockfile.DepType
		}{{"dependencies", lockfile.DepProd}, {"optionalDependencies", lockfile.DepOptional}, {"peerDependencies", lockfile.DepPeer}, {"devDependencies", lockfile.DepDev}} {
			var want map[string]string
			if raw, ok := fields[f.name]; ok {
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatalf("packages[%q].%s: %v", path, f.name, err)
				}
			}
			if got := depMap(p.Deps, f.typ); !maps.Equal(got, want) {
				t.Fatalf("packages[%q].%s: Parse %v, encoding/json %v", path, f.name, got, want)
			}
		}
	}
	if n != len(l.Packages) {
		t.Fatalf("Parse has %d packages, encoding/json %d", len(l.Packages), n)
	}
}
