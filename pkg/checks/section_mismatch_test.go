package checks_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// lockV2 builds a lockfileVersion 2 file from `packages` entries and
// `dependencies` entries, written in the order npm writes them.
func lockV2(t *testing.T, packages []string, dependencies ...string) *lockfile.Lockfile {
	t.Helper()
	s := `{"name":"root","version":"1.0.0","lockfileVersion":2,"requires":true,"packages":{"":{"name":"root"}`
	for _, e := range packages {
		s += ",\n" + e
	}
	s += "},\n\"dependencies\":{" + strings.Join(dependencies, ",\n") + "}}"
	l, err := lockfile.Parse("package-lock.json", []byte(s))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, s)
	}
	return l
}

const (
	lodashURL = "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
	evilURL   = "https://evil.example/lodash-4.17.21.tgz"
	lodashSRI = "sha512-lodash4.17.21"
)

var lodashEntry = raw("node_modules/lodash", `"version":"4.17.21"`, `"resolved":"`+lodashURL+`"`, `"integrity":"`+lodashSRI+`"`)

func lodashV1(version, resolved, integrity string) string {
	return raw("lodash", `"version":"`+version+`"`, `"resolved":"`+resolved+`"`, `"integrity":"`+integrity+`"`)
}

func TestSectionMismatch(t *testing.T) {
	honest := lockV2(t, []string{lodashEntry}, lodashV1("4.17.21", lodashURL, lodashSRI))
	evil := lockV2(t, []string{lodashEntry}, lodashV1("4.17.21", evilURL, lodashSRI))
	type want struct {
		Severity, Package, Version, Path, Message string
	}
	tests := []struct {
		name       string
		base, head *lockfile.Lockfile
		want       []want
	}{
		// Must fire.
		{"resolved-elsewhere", honest, evil, []want{{"critical", "lodash", "4.17.21", "node_modules/lodash",
			"node_modules/lodash: the `dependencies` section (read by npm 6) resolves lodash 4.17.21 from https://evil.example/lodash-4.17.21.tgz, but `packages` (read by npm 7+ and by this review) from https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz: npm 6 would install code this review never saw"}}},
		{"resolved-where-packages-has-none", nil,
			lockV2(t, []string{raw("node_modules/lodash", `"version":"4.17.21"`)}, lodashV1("4.17.21", evilURL, "")),
			[]want{{"critical", "lodash", "4.17.21", "node_modules/lodash",
				"node_modules/lodash: the `dependencies` section (read by npm 6) resolves lodash 4.17.21 from https://evil.example/lodash-4.17.21.tgz, but `packages` (read by npm 7+ and by this review) records no resolved URL: npm 6 would install code this review never saw"}}},
		{"integrity-swapped", honest, lockV2(t, []string{lodashEntry}, lodashV1("4.17.21", lodashURL, "sha512-other")),
			[]want{{"critical", "lodash", "4.17.21", "node_modules/lodash",
				"node_modules/lodash: the `dependencies` section (read by npm 6) pins lodash 4.17.21 to integrity sha512-other, but `packages` (read by npm 7+ and by this review) to sha512-lodash4.17.21: npm 6 would install code this review never saw"}}},
		{"version-changed", honest, lockV2(t, []string{lodashEntry}, lodashV1("4.17.20", lodashURL, lodashSRI)),
			[]want{{"critical", "lodash", "4.17.21", "node_modules/lodash",
				"node_modules/lodash: the `dependencies` section (read by npm 6) installs lodash as 4.17.20, but `packages` (read by npm 7+ and by this review) as 4.17.21: npm 6 would install code this review never saw"}}},
		{"entry-packages-lacks", honest,
			lockV2(t, []string{lodashEntry}, lodashV1("4.17.21", lodashURL, lodashSRI), raw("evil-pkg", `"version":"1.0.0"`, `"resolved":"https://evil.example/evil-pkg-1.0.0.tgz"`)),
			[]want{{"critical", "evil-pkg", "1.0.0", "node_modules/evil-pkg",
				"node_modules/evil-pkg: the `dependencies` section (read by npm 6) installs evil-pkg 1.0.0 here, but `packages` (read by npm 7+ and by this review) has no such entry: npm 6 would install code this review never saw"}}},
		{"alias-to-another-package", nil,
			lockV2(t, []string{raw("node_modules/lodash-alias", `"name":"lodash"`, `"version":"4.17.21"`)}, raw("lodash-alias", `"version":"npm:lodash-evil@4.17.21"`)),
			[]want{{"critical", "lodash", "4.17.21", "node_modules/lodash-alias",
				"node_modules/lodash-alias: the `dependencies` section (read by npm 6) installs lodash as npm:lodash-evil@4.17.21, but `packages` (read by npm 7+ and by this review) as npm:lodash@4.17.21: npm 6 would install code this review never saw"}}},
		{"workspace-link-replaced-by-a-public-package", nil,
			lockV2(t, []string{raw("node_modules/@acme/util", `"resolved":"packages/util"`, `"link":true`), raw("packages/util", `"name":"@acme/util"`, `"version":"1.0.0"`)},
				raw("@acme/util", `"version":"1.0.0"`)),
			[]want{{"critical", "@acme/util", "1.0.0", "node_modules/@acme/util",
				"node_modules/@acme/util: the `dependencies` section (read by npm 6) installs @acme/util as 1.0.0, but `packages` (read by npm 7+ and by this review) as file:packages/util: npm 6 would install code this review never saw"}}},
		{"other-value-than-the-base-mismatch", evil, lockV2(t, []string{lodashEntry}, lodashV1("4.17.21", "https://evil2.example/l.tgz", lodashSRI)),
			[]want{{"critical", "lodash", "4.17.21", "node_modules/lodash",
				"node_modules/lodash: the `dependencies` section (read by npm 6) resolves lodash 4.17.21 from https://evil2.example/l.tgz, but `packages` (read by npm 7+ and by this review) from https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz: npm 6 would install code this review never saw"}}},
		{"already-in-the-base-medium", evil, evil, []want{{"medium", "lodash", "4.17.21", "node_modules/lodash",
			"node_modules/lodash: the `dependencies` section (read by npm 6) resolves lodash 4.17.21 from https://evil.example/lodash-4.17.21.tgz, but `packages` (read by npm 7+ and by this review) from https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz: npm 6 would install code this review never saw (the base lockfile has the same mismatch)"}}},

		// Must not fire.
		{"same", honest, honest, nil},
		{"base-mismatch-fixed", evil, honest, nil},
		{"alias", nil, lockV2(t, []string{raw("node_modules/lodash-alias", `"name":"lodash"`, `"version":"4.17.21"`, `"resolved":"`+lodashURL+`"`)},
			raw("lodash-alias", `"version":"npm:lodash@4.17.21"`, `"resolved":"`+lodashURL+`"`)), nil},
		{"git-other-url-form", nil, lockV2(t, []string{raw("node_modules/x", `"version":"0.0.0-dev"`, `"resolved":"git+ssh://git@github.com/o/x.git#984282d34a2993e5243aa35100fe32a63699164d"`)},
			raw("x", `"version":"https://github.com/o/x.git#984282d34a2993e5243aa35100fe32a63699164d"`, `"from":"x@github:o/x"`)), nil},
		{"workspace-link-and-its-dependencies", nil, lockV2(t, []string{
			raw("node_modules/@acme/util", `"resolved":"packages/util"`, `"link":true`),
			raw("packages/util", `"name":"@acme/util"`, `"version":"1.0.0"`),
			raw("packages/util/node_modules/ms", `"version":"2.0.0"`, `"resolved":"https://registry.npmjs.org/ms/-/ms-2.0.0.tgz"`)},
			raw("@acme/util", `"version":"file:packages/util"`, `"dependencies":{"ms":{"version":"2.0.0","resolved":"https://registry.npmjs.org/ms/-/ms-2.0.0.tgz"}}`)), nil},
		{"file-tarball", nil, lockV2(t, []string{raw("node_modules/tiny", `"version":"1.0.0"`, `"resolved":"file:vendor/tiny-1.0.0.tgz"`)},
			raw("tiny", `"version":"file:vendor/tiny-1.0.0.tgz"`)), nil},
		{"bundled-copy", nil, lockV2(t, []string{
			raw("node_modules/npm", `"version":"8.0.0"`, `"resolved":"https://registry.npmjs.org/npm/-/npm-8.0.0.tgz"`),
			raw("node_modules/npm/node_modules/abbrev", `"version":"1.1.1"`, `"inBundle":true`)},
			raw("npm", `"version":"8.0.0"`, `"resolved":"https://registry.npmjs.org/npm/-/npm-8.0.0.tgz"`, `"dependencies":{"abbrev":{"version":"1.1.1","bundled":true}}`)), nil},
		{"optional-platform-package-without-a-version", nil, lockV2(t, []string{lodashEntry},
			raw("lodash", `"version":"4.17.21"`, `"dependencies":{"@swc/core-darwin-arm64":{"optional":true}}`)), nil},
		{"v1-file", nil, lockV1(t, raw("lodash", `"version":"4.17.21"`, `"resolved":"`+evilURL+`"`)), nil},
		{"v3-file", nil, lock(t, 3, `"lodash":"^4"`, lodashEntry), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(tc.base, tc.head), Config: checks.DefaultConfig()}
			var got []want
			for _, f := range checks.Run(in, func(id string) bool { return id == "section-mismatch" }) {
				got = append(got, want{f.Severity.String(), f.Package, f.Version, f.Path, f.Message})
				if f.Line < 2 || f.Remediation == "" || f.Values["field"] == "" {
					t.Errorf("finding %+v: want the entry's line, a remediation and the field", f)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("section-mismatch diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSectionMismatchRealFiles: lockfileVersion 2 files npm wrote never
// fire: the real scenarios, and the lockfile package's generated and
// converted fixtures (workspaces, links, aliases, file and remote tarballs,
// bundled copies, git).
func TestSectionMismatchRealFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "lockfiles", "v2-*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("..", "lockfile", "testdata", "v2-*"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, ".package.json") {
			continue
		}
		data := testkit.ReadFile(t, file)
		head, err := lockfile.Parse(file, data)
		if err != nil {
			t.Fatal(err)
		}
		n++
		in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(nil, head), Config: checks.DefaultConfig()}
		if fs := checks.SectionMismatches(in); len(fs) != 0 {
			t.Errorf("%s: %d section-mismatch findings, first %+v", file, len(fs), fs[0])
		}
	}
	if n < 12 {
		t.Errorf("only %d real v2 files found", n)
	}
}

// TestSectionMismatchAttack runs every offline check on the crafted pair
// (testdata/README.md): a pull request that edits only the `dependencies`
// copy of a v2 lockfile changes nothing in `packages`, so section-mismatch
// is the one finding, at the entry's line in the head file.
func TestSectionMismatchAttack(t *testing.T) {
	cfg := checks.DefaultConfig()
	cfg.Typosquat = fakeIndex{}
	changes := scenario(t, "attack-v1-section-mismatch")
	if n := len(changes.List); n != 0 {
		t.Errorf("the diff of packages shows %d changes, want none", n)
	}
	fs := checks.Run(&checks.Input{Lockfile: "package-lock.json", Changes: changes, Config: cfg}, nil)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v, want one section-mismatch", fs)
	}
	f := fs[0]
	if f.Check != "section-mismatch" || f.Severity != checks.Critical || f.Package != "lodash" || f.Version != "4.17.21" ||
		f.Path != "node_modules/lodash" || f.Line != 9388 || f.Values["dependencies"] != "https://evil.example/lodash-4.17.21.tgz" {
		t.Errorf("finding = %+v", f)
	}
	// The base is the real file: nothing fires on it.
	if fs := checks.Run(&checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(nil, changes.Base), Config: cfg}, func(id string) bool { return id == "section-mismatch" }); len(fs) != 0 {
		t.Errorf("base findings = %+v", fs)
	}
}
