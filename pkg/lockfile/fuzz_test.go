package lockfile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
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
	f.Add(v2(`, "node_modules/a": {"version": "1", "resolved": "https://r.example/a/-/a-1.tgz", "integrity": "sha1-x"}, "node_modules/l": {"resolved": "w", "link": true}, "w/node_modules/b": {"version": "2"}`,
		`"a": {"version": "1", "resolved": "https://r.example/a/-/a-1.tgz", "integrity": "sha1-y", "dependencies": {"c": {"version": "3"}}}, "l": {"version": "file:w", "dependencies": {"b": {"version": "2"}}}, "a": {"version": "npm:a@1"}`, false))
	f.Add(v2(`, "node_modules/x": {"name": "y", "version": "1", "resolved": "file:t.tgz"}`, `"x": {"version": "file:t.tgz", "resolved": "https://e.example/t.tgz"}`, true))

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
			checkSectionsAgainstStdlib(t, l, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
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
		if raw, ok := fields["bin"]; ok {
			var want []string
			var cmds map[string]string
			if json.Unmarshal(raw, &cmds) == nil {
				for k, target := range cmds {
					if cmd := lockfile.BinName(k); cmd != "" && binTargetKept(target) {
						want = append(want, cmd)
					}
				}
				slices.Sort(want)
				want = slices.Compact(want)
			} else if p.Name != "" {
				want = []string{p.Name[strings.LastIndexByte(p.Name, '/')+1:]}
			}
			if !slices.Equal(p.Bin, want) {
				t.Fatalf("packages[%q].bin: Parse %q, encoding/json %q", path, p.Bin, want)
			}
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

// checkSectionsAgainstStdlib recomputes the comparison of `dependencies`
// with `packages` from an encoding/json decode (which also keeps the last of
// duplicate keys) by the documented rules, and compares it with
// Lockfile.SectionMismatches. The `packages` side is the model's, which
// checkPackagesAgainstStdlib checks. The version of a git dependency is
// left out: which URL forms name the same commit is unit-tested.
func checkSectionsAgainstStdlib(t *testing.T, l *lockfile.Lockfile, data []byte) {
	var root map[string]json.RawMessage
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("encoding/json rejects what Parse accepted: %v", err)
	}
	for _, d := range l.Duplicates {
		if d.Object == "" && d.Key == "packages" {
			return // compared with the first `packages` (documented)
		}
	}
	_, hasPackages := root["packages"]
	deps, hasDeps := root["dependencies"]
	if !hasPackages || !hasDeps || l.Version < 2 {
		if l.SectionMismatches != nil {
			t.Fatalf("SectionMismatches %+v without both sections", l.SectionMismatches)
		}
		return
	}
	type row struct{ Path, Name, Field, Packages, Dependencies string }
	var want []row
	str := func(fields map[string]json.RawMessage, name string) string {
		var s string
		if raw, ok := fields[name]; ok {
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("dependencies: %s: %v", name, err)
			}
		}
		return s
	}
	skipped := map[string]bool{} // paths of git entries whose version is not checked
	var walk func(prefix string, raw json.RawMessage)
	walk = func(prefix string, raw json.RawMessage) {
		var entries map[string]map[string]json.RawMessage
		if err := json.Unmarshal(raw, &entries); err != nil {
			t.Fatalf("dependencies: %v", err)
		}
		for key, fields := range entries {
			p := "node_modules/" + key
			if prefix != "" {
				p = prefix + "/node_modules/" + key
			}
			version, resolved, integrity := str(fields, "version"), str(fields, "resolved"), str(fields, "integrity")
			pk := l.Package(p)
			children := p
			switch {
			case pk == nil:
				if version != "" || resolved != "" {
					want = append(want, row{p, key, "entry", "", version})
				}
			default:
				if pk.Link {
					children = pk.Resolved
				}
				if version != "" && pk.Source.Kind == lockfile.SourceGit {
					skipped[p] = true
				} else if version != "" && !oracleVersionAgrees(pk, version, prefix) {
					want = append(want, row{p, pk.Name, "version", "", version})
				}
				wantResolved := pk.Resolved
				if pk.Link {
					wantResolved = ""
				}
				if resolved != "" && resolved != wantResolved {
					want = append(want, row{p, pk.Name, "resolved", wantResolved, resolved})
				}
				if integrity != "" && integrity != pk.Integrity {
					want = append(want, row{p, pk.Name, "integrity", pk.Integrity, integrity})
				}
			}
			if nested, ok := fields["dependencies"]; ok {
				walk(children, nested)
			}
		}
	}
	walk("", deps)
	var got []row
	for _, m := range l.SectionMismatches {
		if m.Line < 1 {
			t.Fatalf("mismatch without a line: %+v", m)
		}
		if m.Field == "version" && skipped[m.Path] {
			continue
		}
		r := row{m.Path, m.Name, m.Field, m.Packages, m.Dependencies}
		if m.Field == "version" {
			r.Packages = "" // its form is unit-tested
		}
		got = append(got, r)
	}
	if len(want) > 1000 {
		return
	}
	less := func(a, b row) int { return strings.Compare(a.Path+"\x00"+a.Field, b.Path+"\x00"+b.Field) }
	slices.SortFunc(want, less)
	slices.SortFunc(got, less)
	if !slices.Equal(want, got) {
		t.Fatalf("SectionMismatches differ from encoding/json:\nParse:         %+v\nencoding/json: %+v", got, want)
	}
}

// oracleVersionAgrees restates the rule for the `dependencies` version of
// a non-git entry (see sections.go): parent is the real path of the entry's
// parent.
func oracleVersionAgrees(pk *lockfile.Package, v, parent string) bool {
	if pk.Link {
		rest, ok := strings.CutPrefix(v, "file:")
		return ok && (rest == pk.Resolved || strings.ReplaceAll(rest, "%23", "#") == pk.Resolved)
	}
	switch {
	case pk.Resolved != "" && v == pk.Resolved:
		return true
	case pk.Alias != "" && !pk.Workspace:
		return v == "npm:"+pk.Name+"@"+pk.Version
	case v == pk.Version:
		return true
	case pk.Source.Kind == lockfile.SourceFile && strings.HasPrefix(v, "file:"):
		r, ok := strings.CutPrefix(pk.Resolved, "file:")
		if !ok {
			return false
		}
		rel := strings.TrimPrefix(v, "file:")
		return path.Clean(rel) == path.Clean(r) || (parent != "" && path.Join(parent, rel) == path.Clean(r))
	}
	return false
}

// binTargetKept is npm's test of a bin target: not empty once normalized.
func binTargetKept(target string) bool {
	return path.Join("/", strings.ReplaceAll(target, "\\", "/")) != "/"
}
