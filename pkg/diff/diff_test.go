package diff_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// lock builds a v3 lockfile from "path name@version" lines plus root deps.
func lock(t *testing.T, rootDeps string, entries ...string) *lockfile.Lockfile {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"name":"root","lockfileVersion":3,"packages":{"":{"name":"root","dependencies":{` + rootDeps + `}}`)
	for _, e := range entries {
		b.WriteString(",")
		b.WriteString(e)
	}
	b.WriteString("}}")
	l, err := lockfile.Parse("test.json", []byte(b.String()))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, b.String())
	}
	return l
}

func entry(path, version string, extra ...string) string {
	name := path[strings.LastIndex(path, "node_modules/")+len("node_modules/"):]
	s := `"` + path + `":{"version":"` + version + `","resolved":"https://registry.npmjs.org/` + name + `/-/` + name[strings.LastIndex(name, "/")+1:] + `-` + version + `.tgz","integrity":"sha512-` + name + version + `"`
	for _, x := range extra {
		s += "," + x
	}
	return s + "}"
}

type row struct {
	Kind     string
	Name     string
	From, To string
	Update   string
	Direct   bool
	Dev      bool
	Existing bool
	Paths    []string
}

func rows(cs *diff.Changes) []row {
	var out []row
	for i := range cs.List {
		c := &cs.List[i]
		out = append(out, row{c.Kind.String(), c.Name, c.From, c.To, c.Update.String(), c.Direct, c.Dev, c.Existing, c.Paths()})
	}
	return out
}

func TestCompare(t *testing.T) {
	tests := map[string]struct {
		base, head *lockfile.Lockfile
		want       []row
	}{
		"no-change": {
			base: lock(t, `"a":"^1"`, entry("node_modules/a", "1.0.0")),
			head: lock(t, `"a":"^1"`, entry("node_modules/a", "1.0.0")),
		},
		"patch-update-direct": {
			base: lock(t, `"a":"^1"`, entry("node_modules/a", "1.0.0")),
			head: lock(t, `"a":"^1"`, entry("node_modules/a", "1.0.1")),
			want: []row{{Kind: "updated", Name: "a", From: "1.0.0", To: "1.0.1", Update: "patch", Direct: true, Paths: []string{"node_modules/a"}}},
		},
		"update-kinds": {
			base: lock(t, ``, entry("node_modules/a", "1.0.0"), entry("node_modules/b", "1.0.0"), entry("node_modules/c", "2.0.0"), entry("node_modules/d", "1.0.0-rc.1"), entry("node_modules/e", "1.0.0")),
			head: lock(t, ``, entry("node_modules/a", "2.0.0"), entry("node_modules/b", "1.1.0"), entry("node_modules/c", "1.9.0"), entry("node_modules/d", "1.0.0-rc.2"), entry("node_modules/e", "latest")),
			want: []row{
				{Kind: "updated", Name: "a", From: "1.0.0", To: "2.0.0", Update: "major", Paths: []string{"node_modules/a"}},
				{Kind: "updated", Name: "b", From: "1.0.0", To: "1.1.0", Update: "minor", Paths: []string{"node_modules/b"}},
				{Kind: "updated", Name: "c", From: "2.0.0", To: "1.9.0", Update: "downgrade", Paths: []string{"node_modules/c"}},
				{Kind: "updated", Name: "d", From: "1.0.0-rc.1", To: "1.0.0-rc.2", Update: "prerelease", Paths: []string{"node_modules/d"}},
				{Kind: "updated", Name: "e", From: "1.0.0", To: "latest", Update: "non-semver", Paths: []string{"node_modules/e"}},
			},
		},
		"grouped-by-name-two-paths": {
			base: lock(t, ``, entry("node_modules/x/node_modules/lodash", "4.17.11"), entry("node_modules/y/node_modules/lodash", "4.17.11"), entry("node_modules/x", "1.0.0"), entry("node_modules/y", "1.0.0")),
			head: lock(t, ``, entry("node_modules/x/node_modules/lodash", "4.17.15"), entry("node_modules/y/node_modules/lodash", "4.17.15"), entry("node_modules/x", "1.0.0"), entry("node_modules/y", "1.0.0")),
			want: []row{{Kind: "updated", Name: "lodash", From: "4.17.11", To: "4.17.15", Update: "patch", Paths: []string{"node_modules/x/node_modules/lodash", "node_modules/y/node_modules/lodash"}}},
		},
		"hoisting-move-is-update-not-add-remove": {
			base: lock(t, ``, entry("node_modules/x/node_modules/m", "1.0.0"), entry("node_modules/x", "1.0.0")),
			head: lock(t, ``, entry("node_modules/m", "1.2.0"), entry("node_modules/x", "1.0.0")),
			want: []row{{Kind: "updated", Name: "m", From: "1.0.0", To: "1.2.0", Update: "minor", Paths: []string{"node_modules/m"}}},
		},
		"dedupe-onto-existing-version": {
			base: lock(t, ``, entry("node_modules/lodash", "4.17.11"), entry("node_modules/z/node_modules/lodash", "4.17.15"), entry("node_modules/z", "1.0.0")),
			head: lock(t, ``, entry("node_modules/lodash", "4.17.15"), entry("node_modules/z", "1.0.0")),
			want: []row{{Kind: "updated", Name: "lodash", From: "4.17.11", To: "4.17.15", Update: "patch", Existing: true, Paths: []string{"node_modules/lodash"}}},
		},
		"moved-path-same-version-is-no-change": {
			base: lock(t, ``, entry("node_modules/x/node_modules/m", "1.0.0"), entry("node_modules/x", "1.0.0")),
			head: lock(t, ``, entry("node_modules/m", "1.0.0"), entry("node_modules/x", "1.0.0")),
		},
		"added-and-removed-dev": {
			base: lock(t, ``, entry("node_modules/old", "1.0.0", `"dev":true`)),
			head: lock(t, ``, entry("node_modules/new", "1.0.0", `"dev":true`)),
			want: []row{
				{Kind: "added", Name: "new", To: "1.0.0", Dev: true, Paths: []string{"node_modules/new"}},
				{Kind: "removed", Name: "old", From: "1.0.0", Dev: true, Paths: []string{"node_modules/old"}},
			},
		},
		"second-major-line-added": {
			base: lock(t, ``, entry("node_modules/a", "1.0.0"), entry("node_modules/b", "1.0.0")),
			head: lock(t, ``, entry("node_modules/a", "1.0.0"), entry("node_modules/b", "1.0.0"), entry("node_modules/b/node_modules/a", "2.0.0")),
			want: []row{{Kind: "added", Name: "a", To: "2.0.0", Paths: []string{"node_modules/b/node_modules/a"}}},
		},
		"integrity-changed-same-version": {
			base: lock(t, ``, entry("node_modules/a", "1.0.0")),
			head: lock(t, ``, `"node_modules/a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz","integrity":"sha512-other"}`),
			want: []row{{Kind: "integrity-changed", Name: "a", From: "1.0.0", To: "1.0.0", Paths: []string{"node_modules/a"}}},
		},
		"resolved-changed-same-version": {
			base: lock(t, ``, entry("node_modules/a", "1.0.0")),
			head: lock(t, ``, `"node_modules/a":{"version":"1.0.0","resolved":"https://evil.example/a-1.0.0.tgz","integrity":"sha512-a1.0.0"}`),
			want: []row{{Kind: "source-changed", Name: "a", From: "1.0.0", To: "1.0.0", Paths: []string{"node_modules/a"}}},
		},
		"omitted-resolved-is-unknown-not-changed": {
			base: lock(t, ``, entry("node_modules/a", "1.0.0")),
			head: lock(t, ``, `"node_modules/a":{"version":"1.0.0"}`),
		},
		"workspace-direct-dependency": {
			base: lock(t, ``, `"packages/w":{"name":"w","version":"1.0.0","dependencies":{"a":"^1"}}`, `"node_modules/w":{"resolved":"packages/w","link":true}`, entry("node_modules/a", "1.0.0")),
			head: lock(t, ``, `"packages/w":{"name":"w","version":"1.0.0","dependencies":{"a":"^1"}}`, `"node_modules/w":{"resolved":"packages/w","link":true}`, entry("node_modules/a", "1.1.0")),
			want: []row{{Kind: "updated", Name: "a", From: "1.0.0", To: "1.1.0", Update: "minor", Direct: true, Paths: []string{"node_modules/a"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := rows(diff.Compare(tc.base, tc.head))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Compare diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompareNilSides(t *testing.T) {
	l := lock(t, `"a":"^1"`, entry("node_modules/a", "1.0.0"))
	if got := rows(diff.Compare(nil, l)); len(got) != 1 || got[0].Kind != "added" || !got[0].Direct {
		t.Errorf("Compare(nil, l) = %+v, want one direct addition", got)
	}
	if got := rows(diff.Compare(l, nil)); len(got) != 1 || got[0].Kind != "removed" {
		t.Errorf("Compare(l, nil) = %+v, want one removal", got)
	}
	if got := diff.Compare(nil, nil); len(got.List) != 0 {
		t.Errorf("Compare(nil, nil) = %+v, want nothing", got.List)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		from, to string
		want     diff.UpdateKind
	}{
		{"1.0.0", "2.0.0", diff.Major},
		{"1.0.0", "1.1.0", diff.Minor},
		{"1.0.0", "1.0.1", diff.Patch},
		{"1.0.0-beta.1", "1.0.0-beta.2", diff.Prerelease},
		{"1.0.0-beta.1", "1.0.0", diff.Prerelease},
		{"1.0.0", "1.0.1-beta.1", diff.Prerelease},
		{"1.4.0", "2.0.0-rc.1", diff.Prerelease},
		{"2.0.0-rc.1", "2.1.0", diff.Minor},
		{"1.0.1-beta.1", "1.0.0", diff.Downgrade},
		{"2.0.0", "1.0.0", diff.Downgrade},
		{"1.0.0", "github:a/b#abc", diff.NonSemver},
		{"0.0.0-dev", "9.0.9", diff.Major},
		{"v1.0.0", "v1.0.1", diff.Patch},
	}
	for _, tc := range tests {
		if got := diff.Classify(tc.from, tc.to); got != tc.want {
			t.Errorf("Classify(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

func parseFile(t testing.TB, path string) *lockfile.Lockfile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lockfile.Parse(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func scenario(t testing.TB, name string) (base, head *lockfile.Lockfile) {
	dir := filepath.Join("..", "..", "testdata", "lockfiles", name)
	return parseFile(t, filepath.Join(dir, "base.json")), parseFile(t, filepath.Join(dir, "head.json"))
}

// TestCompareRealScenarios checks the changes a reviewer must see in real
// dependency-update commits (see testdata/README.md for their origin).
func TestCompareRealScenarios(t *testing.T) {
	find := func(cs *diff.Changes, kind diff.Kind, name string) *diff.Change {
		for i := range cs.List {
			if cs.List[i].Kind == kind && cs.List[i].Name == name {
				return &cs.List[i]
			}
		}
		return nil
	}
	t.Run("v1-lodash", func(t *testing.T) {
		cs := diff.Compare(scenario(t, "v1-octokit-webhooks-dependabot-lodash"))
		c := find(cs, diff.Updated, "lodash")
		if c == nil || c.From != "4.17.11" || c.To != "4.17.15" {
			t.Fatalf("lodash update not found: %+v", rows(cs))
		}
		if c := find(cs, diff.SourceChanged, "minimist"); c == nil {
			t.Errorf("minimist 0.0.8 http → https not reported: %+v", rows(cs))
		}
		if n := cs.Count(diff.Added); n != 0 {
			t.Errorf("added = %d, want 0 (the bump adds no new code)", n)
		}
	})
	t.Run("v2-es5-ext", func(t *testing.T) {
		cs := diff.Compare(scenario(t, "v2-octokit-webhooks-es5-ext-install-script"))
		c := find(cs, diff.Updated, "es5-ext")
		if c == nil || c.From != "0.10.53" || c.To != "0.10.61" || c.Update != diff.Patch || !c.After[0].HasInstallScript {
			t.Fatalf("es5-ext update: %+v", c)
		}
	})
	t.Run("v2-git-ssh", func(t *testing.T) {
		cs := diff.Compare(scenario(t, "v2-octokit-webhooks-git-resolved-ssh"))
		c := find(cs, diff.SourceChanged, "@apidevtools/json-schema-ref-parser")
		if c == nil || c.Before[0].Source.Kind != lockfile.SourceGit {
			t.Fatalf("git resolved change not found: %+v", rows(cs))
		}
	})
	t.Run("v2-large", func(t *testing.T) {
		cs := diff.Compare(scenario(t, "v2-large-woocommerce-blocks-dependabot"))
		c := find(cs, diff.Updated, "fast-xml-parser")
		if c == nil || c.From != "4.2.4" || c.To != "4.2.5" {
			t.Errorf("fast-xml-parser bump not found")
		}
		if find(cs, diff.Added, "fsevents") == nil {
			t.Errorf("fsevents addition not found")
		}
	})
}

func BenchmarkCompare(b *testing.B) {
	base, head := scenario(b, "v2-large-woocommerce-blocks-dependabot")
	b.ReportAllocs()
	for b.Loop() {
		diff.Compare(base, head)
	}
}

func TestCompareIntegrity(t *testing.T) {
	nodes := func(sris ...string) []*lockfile.Package {
		var out []*lockfile.Package
		for _, s := range sris {
			out = append(out, &lockfile.Package{Integrity: s})
		}
		return out
	}
	tests := []struct {
		name       string
		base, head []*lockfile.Package
		want       diff.IntegrityRelation
	}{
		{"same", nodes("sha512-X"), nodes("sha512-X"), diff.IntegritySame},
		{"reordered with options", nodes("sha1-A sha512-X"), nodes("sha512-X?foo sha1-A"), diff.IntegritySame},
		{"weaker algorithm added", nodes("sha512-X"), nodes("sha1-A sha512-X"), diff.IntegritySame},
		// npm verifies the strongest hash, which the base never recorded.
		{"stronger algorithm added", nodes("sha1-A"), nodes("sha1-A sha512-X"), diff.IntegrityRehashed},
		{"stronger algorithm added, weaker than the base's best", nodes("sha1-A sha512-X"), nodes("sha1-A sha384-Y"), diff.IntegrityWeakened},
		{"unknown algorithm added", nodes("sha512-X"), nodes("sha512-X foo-Y"), diff.IntegritySame},
		{"algorithm dropped", nodes("sha1-A sha512-X"), nodes("sha512-X"), diff.IntegritySame},
		{"base omits", nodes(""), nodes("sha512-X"), diff.IntegritySame},
		{"head omits", nodes("sha512-X"), nodes(""), diff.IntegritySame},
		{"other digest", nodes("sha512-X"), nodes("sha512-Y"), diff.IntegrityConflict},
		{"one digest of two differs", nodes("sha1-A sha512-X"), nodes("sha1-A sha512-Y"), diff.IntegrityConflict},
		{"rehashed stronger", nodes("sha1-A"), nodes("sha512-X"), diff.IntegrityRehashed},
		{"weakened", nodes("sha512-X"), nodes("sha1-B"), diff.IntegrityWeakened},
		{"one copy of two weakened", nodes("sha512-X"), nodes("sha512-X", "sha1-B"), diff.IntegrityWeakened},
		{"conflict beats rehash", nodes("sha512-X"), nodes("sha512-Y", "sha384-Z"), diff.IntegrityConflict},
		{"unknown algorithm is weakest", nodes("sha256-X"), nodes("md5-Y"), diff.IntegrityWeakened},
		// npm's ssri reads only lower-case algorithm names: "SHA512-X" is no
		// hash at all, so npm checks the sha1 beside it, or nothing.
		{"upper-case algorithm dropped", nodes("sha512-X"), nodes("SHA512-X sha1-E"), diff.IntegrityWeakened},
		{"no readable hash", nodes("sha512-X"), nodes("SHA512-X"), diff.IntegrityWeakened},
	}
	for _, tc := range tests {
		if got := diff.CompareIntegrity(tc.base, tc.head); got != tc.want {
			t.Errorf("%s: CompareIntegrity = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestCompareV1GitUpgrade: v1 keeps a git dependency's source as its
// version; after an upgrade to v3 the same commit is no change, and a commit
// that moved reads URL → URL.
func TestCompareV1GitUpgrade(t *testing.T) {
	const url = "git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"
	const moved = "git+ssh://git@github.com/o/a.git#fedcba9876543210fedcba9876543210fedcba98"
	base := parseString(t, `{"lockfileVersion":1,"dependencies":{"a":{"version":"`+url+`","from":"git+ssh://git@github.com/o/a.git#main"}}}`)
	same := parseString(t, `{"lockfileVersion":3,"packages":{"":{"dependencies":{"a":"github:o/a#main"}},"node_modules/a":{"version":"1.0.0","resolved":"`+url+`"}}}`)
	if cs := diff.Compare(base, same); len(cs.List) != 0 {
		t.Errorf("upgrade alone: %d changes %+v, want none", len(cs.List), cs.List)
	}
	other := parseString(t, `{"lockfileVersion":3,"packages":{"":{"dependencies":{"a":"github:o/a#main"}},"node_modules/a":{"version":"1.0.0","resolved":"`+moved+`"}}}`)
	cs := diff.Compare(base, other)
	if len(cs.List) != 1 || cs.List[0].From != url || cs.List[0].To != moved {
		t.Errorf("commit moved during the upgrade: %+v, want one update %s → %s", cs.List, url, moved)
	}
}

// TestCompareEntryWithoutVersion: an installed entry that records no
// version still installs its resolved; it is an update to diff.NoVersion
// (with its node), not a removal, and a new one is an addition with its node.
func TestCompareEntryWithoutVersion(t *testing.T) {
	base := parseString(t, `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"}}}`)
	head := parseString(t, `{"lockfileVersion":3,"packages":{"node_modules/a":{"resolved":"https://evil.example/a.tgz"},"node_modules/b":{"resolved":"https://evil.example/b.tgz"}}}`)
	cs := diff.Compare(base, head)
	if len(cs.List) != 2 {
		t.Fatalf("got %d changes %+v, want 2", len(cs.List), cs.List)
	}
	for i, want := range []struct {
		kind     diff.Kind
		name, to string
	}{{diff.Updated, "a", diff.NoVersion}, {diff.Added, "b", diff.NoVersion}} {
		c := cs.List[i]
		if c.Kind != want.kind || c.Name != want.name || c.To != want.to || len(c.After) != 1 {
			t.Errorf("change %d = %v %s → %q with %d head nodes, want %v %s → %q with its node", i, c.Kind, c.Name, c.To, len(c.After), want.kind, want.name, want.to)
		}
	}
}

// parseString parses a lockfile given as a string, named package-lock.json.
func parseString(t *testing.T, s string) *lockfile.Lockfile {
	t.Helper()
	l, err := lockfile.Parse("package-lock.json", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
