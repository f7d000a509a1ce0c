package lockfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// realV2 are the real lockfileVersion 2 fixtures: npm wrote both sections
// of each, so they never disagree.
var realV2 = []string{
	"v2-octokit-webhooks-es5-ext-install-script-head.json",
	"v2-octokit-webhooks-git-resolved-https-base.json",
	"v2-octokit-webhooks-git-resolved-ssh-head.json",
	"v2-woocommerce-blocks-large-head.json.gz",
	"v2-generated-workspaces.json",
	"v2-generated-workspaces-no-resolved.json",
	"v2-converted-npm-cli.json.gz",
	"v2-converted-prometheus.json.gz",
	"shrinkwrap.v2.json",
}

// TestSectionsAgreeInRealFiles is the must-not-fire corpus: links,
// workspaces, aliases, git, file and remote tarballs, bundled copies and
// optional platform packages as npm writes them. Each file is also read
// with `dependencies` moved before `packages`, where the section is built
// and compared afterwards.
func TestSectionsAgreeInRealFiles(t *testing.T) {
	for _, file := range realV2 {
		t.Run(file, func(t *testing.T) {
			data := readFixture(t, file)
			for _, order := range []struct {
				name string
				data []byte
			}{{"packages-first", data}, {"dependencies-first", dependenciesFirst(t, data)}} {
				l, err := lockfile.Parse(file, order.data)
				if err != nil {
					t.Fatal(err)
				}
				if l.Version != 2 {
					t.Fatalf("%s: Version = %d", order.name, l.Version)
				}
				if len(l.SectionMismatches) != 0 {
					t.Errorf("%s: SectionMismatches = %+v, want none", order.name, l.SectionMismatches)
				}
			}
		})
	}
}

// dependenciesFirst moves the top-level "dependencies" member of an npm
// formatted lockfile (indented with spaces or tabs) in front of "packages".
func dependenciesFirst(t *testing.T, data []byte) []byte {
	t.Helper()
	indent := "  "
	if bytes.HasPrefix(data, []byte("{\n\t")) {
		indent = "\t"
	}
	pk := bytes.Index(data, []byte("\n"+indent+`"packages": {`))
	dp := bytes.Index(data, []byte("\n"+indent+`"dependencies": {`))
	end := bytes.LastIndex(data, []byte("\n"+indent+"}"))
	if pk < 0 || dp < pk || end < dp {
		t.Fatal("not an npm-formatted v2 lockfile")
	}
	close := end + len(indent) + 2
	var out bytes.Buffer
	out.Write(data[:pk])
	out.Write(data[dp:close])
	out.WriteByte(',')
	out.Write(data[pk : dp-1]) // without the comma ending the packages member
	out.Write(data[close:])
	return out.Bytes()
}

// v2 builds a lockfileVersion 2 file from the members of `packages` and of
// `dependencies`, in either order.
func v2(packages, dependencies string, depsFirst bool) []byte {
	p := `"packages": {"": {"name": "root", "version": "1.0.0"}` + packages + "}"
	d := `"dependencies": {` + dependencies + "}"
	if depsFirst {
		p, d = d, p
	}
	return []byte("{\n\"name\": \"root\",\n\"lockfileVersion\": 2,\n" + p + ",\n" + d + "\n}\n")
}

const (
	lodashURL = "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
	lodashSRI = "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="
	evilURL   = "https://evil.example/lodash-4.17.21.tgz"
	evilSRI   = "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
	gitSHA    = "984282d34a2993e5243aa35100fe32a63699164d"
)

var lodashPkg = `,
"node_modules/lodash": {"version": "4.17.21", "resolved": "` + lodashURL + `", "integrity": "` + lodashSRI + `"}`

func lodashDep(version, resolved, integrity string) string {
	return fmt.Sprintf(`"lodash": {"version": %q, "resolved": %q, "integrity": %q}`, version, resolved, integrity)
}

func TestSectionMismatches(t *testing.T) {
	type m = lockfile.SectionMismatch
	tests := []struct {
		name       string
		pkgs, deps string
		want       []m
	}{
		{name: "same", pkgs: lodashPkg, deps: lodashDep("4.17.21", lodashURL, lodashSRI)},
		{name: "resolved-elsewhere", pkgs: lodashPkg, deps: lodashDep("4.17.21", evilURL, lodashSRI),
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Packages: lodashURL, Dependencies: evilURL}}},
		{name: "integrity-swapped", pkgs: lodashPkg, deps: lodashDep("4.17.21", lodashURL, evilSRI),
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "integrity", Packages: lodashSRI, Dependencies: evilSRI}}},
		{name: "version-changed", pkgs: lodashPkg, deps: lodashDep("4.17.20", lodashURL, lodashSRI),
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "version", Packages: "4.17.21", Dependencies: "4.17.20"}}},
		{name: "all-three", pkgs: lodashPkg, deps: lodashDep("4.17.20", evilURL, evilSRI),
			want: []m{
				{Path: "node_modules/lodash", Name: "lodash", Field: "version", Packages: "4.17.21", Dependencies: "4.17.20"},
				{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Packages: lodashURL, Dependencies: evilURL},
				{Path: "node_modules/lodash", Name: "lodash", Field: "integrity", Packages: lodashSRI, Dependencies: evilSRI}}},
		{name: "resolved-added-where-packages-has-none", pkgs: `, "node_modules/lodash": {"version": "4.17.21", "integrity": "` + lodashSRI + `"}`,
			deps: lodashDep("4.17.21", evilURL, lodashSRI),
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Dependencies: evilURL}}},
		{name: "fields-missing-in-dependencies", pkgs: lodashPkg, deps: `"lodash": {"version": "4.17.21"}`},
		{name: "empty-values-are-absent", pkgs: lodashPkg, deps: `"lodash": {"version": "", "resolved": "", "integrity": ""}`},
		{name: "entry-packages-lacks", pkgs: lodashPkg, deps: lodashDep("4.17.21", lodashURL, lodashSRI) + `, "evil": {"version": "1.0.0", "resolved": "https://evil.example/evil-1.0.0.tgz", "requires": {"x": "1"}}`,
			want: []m{{Path: "node_modules/evil", Name: "evil", Field: "entry", Dependencies: "1.0.0"}}},
		{name: "nested-entry-packages-lacks", pkgs: lodashPkg,
			deps: `"lodash": {"version": "4.17.21", "dependencies": {"evil": {"version": "1.0.0", "dependencies": {"deeper": {"resolved": "https://evil.example/d.tgz"}}}}}`,
			want: []m{
				{Path: "node_modules/lodash/node_modules/evil", Name: "evil", Field: "entry", Dependencies: "1.0.0"},
				{Path: "node_modules/lodash/node_modules/evil/node_modules/deeper", Name: "deeper", Field: "entry"}}},
		{name: "entry-without-a-source-is-not-compared", pkgs: lodashPkg,
			deps: `"lodash": {"version": "4.17.21", "dependencies": {"@swc/core-darwin-arm64": {"optional": true}}}`},
		{name: "packages-entry-missing-from-dependencies", pkgs: lodashPkg + `, "node_modules/ms": {"version": "2.1.3"}`, deps: `"ms": {"version": "2.1.3"}`},
		{name: "nested-path", pkgs: lodashPkg + `, "node_modules/lodash/node_modules/ms": {"version": "2.1.3"}`,
			deps: `"lodash": {"version": "4.17.21", "dependencies": {"ms": {"version": "2.0.0"}}}`,
			want: []m{{Path: "node_modules/lodash/node_modules/ms", Name: "ms", Field: "version", Packages: "2.1.3", Dependencies: "2.0.0"}}},
		{name: "alias", pkgs: `, "node_modules/lodash-alias": {"name": "lodash", "version": "4.17.21", "resolved": "` + lodashURL + `"}`,
			deps: `"lodash-alias": {"version": "npm:lodash@4.17.21", "resolved": "` + lodashURL + `"}`},
		{name: "alias-to-another-package", pkgs: `, "node_modules/lodash-alias": {"name": "lodash", "version": "4.17.21"}`,
			deps: `"lodash-alias": {"version": "npm:evil@4.17.21"}`,
			want: []m{{Path: "node_modules/lodash-alias", Name: "lodash", Field: "version", Packages: "npm:lodash@4.17.21", Dependencies: "npm:evil@4.17.21"}}},
		{name: "alias-written-as-a-plain-version", pkgs: `, "node_modules/lodash-alias": {"name": "lodash", "version": "4.17.21"}`,
			deps: `"lodash-alias": {"version": "4.17.21"}`,
			want: []m{{Path: "node_modules/lodash-alias", Name: "lodash", Field: "version", Packages: "npm:lodash@4.17.21", Dependencies: "4.17.21"}}},
		{name: "scoped-alias", pkgs: `, "node_modules/get-tsconfig": {"name": "@unts/get-tsconfig", "version": "4.1.1"}`,
			deps: `"get-tsconfig": {"version": "npm:@unts/get-tsconfig@4.1.1"}`},
		{name: "git-same-commit-other-url-form", pkgs: `, "node_modules/ref-parser": {"version": "0.0.0-dev", "resolved": "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#` + gitSHA + `"}`,
			deps: `"ref-parser": {"version": "https://github.com/bcherny/json-schema-ref-parser.git#` + gitSHA + `", "from": "ref-parser@github:bcherny/json-schema-ref-parser"}`},
		{name: "git-github-shorthand", pkgs: `, "node_modules/ref-parser": {"version": "0.0.0-dev", "resolved": "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#` + gitSHA + `"}`,
			deps: `"ref-parser": {"version": "github:bcherny/json-schema-ref-parser#` + gitSHA + `"}`},
		{name: "git-other-commit", pkgs: `, "node_modules/ref-parser": {"version": "0.0.0-dev", "resolved": "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#` + gitSHA + `"}`,
			deps: `"ref-parser": {"version": "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#1111111111111111111111111111111111111111"}`,
			want: []m{{Path: "node_modules/ref-parser", Name: "ref-parser", Field: "version",
				Packages: "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#" + gitSHA, Dependencies: "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#1111111111111111111111111111111111111111"}}},
		{name: "git-https-on-an-unknown-host-is-a-tarball", pkgs: `, "node_modules/x": {"version": "1.0.0", "resolved": "git+https://git.example/o/x.git#` + gitSHA + `"}`,
			deps: `"x": {"version": "https://git.example/o/x.git#` + gitSHA + `"}`,
			want: []m{{Path: "node_modules/x", Name: "x", Field: "version", Packages: "git+https://git.example/o/x.git#" + gitSHA, Dependencies: "https://git.example/o/x.git#" + gitSHA}}},
		{name: "git-dependency-written-as-a-registry-version", pkgs: `, "node_modules/ref-parser": {"version": "0.0.0-dev", "resolved": "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#` + gitSHA + `"}`,
			deps: `"ref-parser": {"version": "0.0.0-dev"}`,
			want: []m{{Path: "node_modules/ref-parser", Name: "ref-parser", Field: "version", Packages: "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#" + gitSHA, Dependencies: "0.0.0-dev"}}},
		{name: "remote-tarball", pkgs: `, "node_modules/remote-ms": {"name": "ms", "version": "2.1.3", "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz"}`,
			deps: `"remote-ms": {"version": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz"}`},
		{name: "remote-tarball-elsewhere", pkgs: `, "node_modules/remote-ms": {"name": "ms", "version": "2.1.3", "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz"}`,
			deps: `"remote-ms": {"version": "https://evil.example/ms-2.1.3.tgz"}`,
			want: []m{{Path: "node_modules/remote-ms", Name: "ms", Field: "version", Packages: "npm:ms@2.1.3", Dependencies: "https://evil.example/ms-2.1.3.tgz"}}},
		{name: "file-tarball", pkgs: `, "node_modules/tiny": {"version": "1.0.0", "resolved": "file:vendor/tiny-1.0.0.tgz"}`,
			deps: `"tiny": {"version": "file:vendor/tiny-1.0.0.tgz"}`},
		{name: "file-tarball-relative-to-its-requirer", pkgs: `, "node_modules/@ws/a": {"resolved": "packages/a", "link": true}, "packages/a": {"version": "0.1.0"}, "packages/a/node_modules/tiny": {"version": "1.0.0", "resolved": "file:vendor/tiny.tgz"}`,
			deps: `"@ws/a": {"version": "file:packages/a", "dependencies": {"tiny": {"version": "file:../../vendor/tiny.tgz"}}}`},
		{name: "file-tarball-elsewhere", pkgs: `, "node_modules/tiny": {"version": "1.0.0", "resolved": "file:vendor/tiny-1.0.0.tgz"}`,
			deps: `"tiny": {"version": "file:../evil/tiny-1.0.0.tgz"}`,
			want: []m{{Path: "node_modules/tiny", Name: "tiny", Field: "version", Packages: "1.0.0", Dependencies: "file:../evil/tiny-1.0.0.tgz"}}},
		{name: "link-and-its-children-under-the-target", pkgs: `, "node_modules/@ws/a": {"resolved": "packages/a", "link": true}, "packages/a": {"name": "@ws/a", "version": "0.1.0"}, "packages/a/node_modules/ms": {"version": "2.0.0"}`,
			deps: `"@ws/a": {"version": "file:packages/a", "requires": {"ms": "2.0.0"}, "dependencies": {"ms": {"version": "2.0.0"}}}`},
		{name: "link-child-changed", pkgs: `, "node_modules/@ws/a": {"resolved": "packages/a", "link": true}, "packages/a": {"name": "@ws/a", "version": "0.1.0"}, "packages/a/node_modules/ms": {"version": "2.0.0"}`,
			deps: `"@ws/a": {"version": "file:packages/a", "dependencies": {"ms": {"version": "2.0.0", "resolved": "https://evil.example/ms.tgz"}}}`,
			want: []m{{Path: "packages/a/node_modules/ms", Name: "ms", Field: "resolved", Dependencies: "https://evil.example/ms.tgz"}}},
		{name: "link-with-hash-in-its-folder", pkgs: `, "node_modules/x": {"resolved": "lib/#x", "link": true}, "lib/#x": {"version": "1.0.0"}`,
			deps: `"x": {"version": "file:lib/%23x"}`},
		{name: "link-replaced-by-a-registry-package", pkgs: `, "node_modules/@acme/internal": {"resolved": "packages/internal", "link": true}, "packages/internal": {"name": "@acme/internal", "version": "1.0.0"}`,
			deps: `"@acme/internal": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/@acme/internal/-/internal-1.0.0.tgz"}`,
			want: []m{
				{Path: "node_modules/@acme/internal", Name: "@acme/internal", Field: "version", Packages: "file:packages/internal", Dependencies: "1.0.0"},
				{Path: "node_modules/@acme/internal", Name: "@acme/internal", Field: "resolved", Dependencies: "https://registry.npmjs.org/@acme/internal/-/internal-1.0.0.tgz"}}},
		{name: "bundled-copy", pkgs: `, "node_modules/npm": {"version": "8.0.0", "resolved": "https://registry.npmjs.org/npm/-/npm-8.0.0.tgz"}, "node_modules/npm/node_modules/@colors/colors": {"version": "1.5.0", "dev": true, "inBundle": true, "optional": true}`,
			deps: `"npm": {"version": "8.0.0", "resolved": "https://registry.npmjs.org/npm/-/npm-8.0.0.tgz", "dependencies": {"@colors/colors": {"version": "1.5.0", "bundled": true, "dev": true, "optional": true}}}`},
		{name: "duplicate-key-last-counts", pkgs: lodashPkg,
			deps: lodashDep("4.17.21", evilURL, lodashSRI) + ", " + lodashDep("4.17.21", lodashURL, lodashSRI)},
		{name: "duplicate-key-evil-last", pkgs: lodashPkg,
			deps: lodashDep("4.17.21", lodashURL, lodashSRI) + ", " + lodashDep("4.17.21", evilURL, lodashSRI),
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Packages: lodashURL, Dependencies: evilURL}}},
		{name: "duplicate-key-three-times", pkgs: lodashPkg,
			deps: lodashDep("4.17.21", evilURL, lodashSRI) + ", " + lodashDep("4.17.20", lodashURL, lodashSRI) + ", " + lodashDep("4.17.21", lodashURL, lodashSRI)},
		{name: "duplicate-field-last-counts", pkgs: lodashPkg,
			deps: `"lodash": {"version": "4.17.21", "resolved": "` + evilURL + `", "resolved": "` + lodashURL + `"}`},
		{name: "duplicate-nested-dependencies-last-counts", pkgs: lodashPkg,
			deps: `"lodash": {"version": "4.17.21", "dependencies": {"evil": {"version": "1.0.0"}}, "dependencies": {}}`},
		{name: "escaped-key", pkgs: lodashPkg, deps: `"lod\u0061sh": {"version": "4.17.21", "resolved": "` + evilURL + `"}`,
			want: []m{{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Packages: lodashURL, Dependencies: evilURL}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, depsFirst := range []bool{false, true} {
				data := v2(tc.pkgs, tc.deps, depsFirst)
				l, err := lockfile.Parse("package-lock.json", data)
				if err != nil {
					t.Fatalf("depsFirst=%v: %v", depsFirst, err)
				}
				for _, got := range l.SectionMismatches {
					if got.Line < 1 || got.Line > bytes.Count(data, []byte("\n"))+1 {
						t.Errorf("depsFirst=%v: %+v: line out of range", depsFirst, got)
					}
				}
				if diff := cmp.Diff(tc.want, l.SectionMismatches, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(lockfile.SectionMismatch{}, "Line")); diff != "" {
					t.Errorf("depsFirst=%v: SectionMismatches diff (-want +got):\n%s", depsFirst, diff)
				}
				sameParse(t, "package-lock.json", data)
			}
		})
	}
}

// TestSectionMismatchLine checks that a mismatch points at the line of the
// dependencies entry's key, whichever section comes first.
func TestSectionMismatchLine(t *testing.T) {
	data := readFixture(t, "v2-generated-workspaces.json")
	key := bytes.Index(data, []byte("\n    \"ms\": {\n")) // ms 2.0.0 in the dependencies section
	if key < bytes.Index(data, []byte("\n  \"dependencies\": {")) {
		t.Fatal("fixture changed: no top-level ms in the dependencies section")
	}
	const url = "https://registry.npmjs.org/ms/-/ms-2.0.0.tgz"
	edited := append(bytes.Clone(data[:key]), bytes.Replace(data[key:], []byte(url), []byte("https://evil.example/ms-2.0.0.tgz"), 1)...)
	keyLine := bytes.Count(data[:key+1], []byte("\n")) + 1
	for _, order := range []struct {
		name string
		data []byte
		line int
	}{{"packages-first", edited, keyLine}, {"dependencies-first", dependenciesFirst(t, edited), 0}} {
		l, err := lockfile.Parse("package-lock.json", order.data)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.SectionMismatches) != 1 {
			t.Fatalf("%s: SectionMismatches = %+v, want one", order.name, l.SectionMismatches)
		}
		got := l.SectionMismatches[0]
		if got.Path != "node_modules/ms" || got.Field != "resolved" || got.Dependencies != "https://evil.example/ms-2.0.0.tgz" || got.Packages != url {
			t.Errorf("%s: %+v", order.name, got)
		}
		lines := bytes.Split(order.data, []byte("\n"))
		if got.Line < 1 || got.Line > len(lines) || !bytes.Contains(lines[got.Line-1], []byte(`"ms": {`)) {
			t.Errorf("%s: line %d is not the entry's key", order.name, got.Line)
		}
		if order.line != 0 && got.Line != order.line {
			t.Errorf("%s: line %d, want %d", order.name, got.Line, order.line)
		}
		sameParse(t, "package-lock.json", order.data)
	}
}

// TestSectionMismatchesNotCompared: files with one section have nothing to
// compare.
func TestSectionMismatchesNotCompared(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"v2-without-packages", `{"lockfileVersion": 2, "dependencies": {"a": {"version": "2.0.0"}}}`},
		{"v3-without-dependencies", `{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}}`},
	} {
		l, err := lockfile.Parse(tc.name, []byte(tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if l.SectionMismatches != nil {
			t.Errorf("%s: SectionMismatches = %+v, want nil", tc.name, l.SectionMismatches)
		}
	}
	// A lockfileVersion 1 file with `packages` is read from it (npm 7+
	// installs from it), and its `dependencies`, what npm 6 reads, compared.
	l1, err := lockfile.Parse("v1", []byte(`{"lockfileVersion": 1, "packages": {"node_modules/a": {"version": "1.0.0"}}, "dependencies": {"a": {"version": "2.0.0"}}}`))
	if err != nil || l1.Version != 2 || l1.Package("node_modules/a").Version != "1.0.0" || len(l1.SectionMismatches) != 1 {
		t.Errorf("v1 with both sections: %v, %+v; want it read from packages with one mismatch", err, l1)
	}
	// A v3 file that carries the section anyway is compared: npm 6 would
	// read it.
	l, err := lockfile.Parse("v3", []byte(`{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}, "dependencies": {"a": {"version": "2.0.0"}}}`))
	if err != nil || len(l.SectionMismatches) != 1 {
		t.Errorf("v3 with both sections: %v, %+v; want one mismatch", err, l)
	}
}

// TestSectionsWithoutLockfileVersionFirst: when lockfileVersion follows the
// sections, dependencies is built and compared afterwards.
func TestSectionsWithoutLockfileVersionFirst(t *testing.T) {
	data := []byte(`{"packages": {"node_modules/lodash": {"version": "4.17.21", "resolved": "` + lodashURL + `"}}, "dependencies": {"lodash": {"version": "4.17.21", "resolved": "` + evilURL + `"}}, "lockfileVersion": 2}`)
	l, err := lockfile.Parse("package-lock.json", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []lockfile.SectionMismatch{{Path: "node_modules/lodash", Name: "lodash", Field: "resolved", Packages: lodashURL, Dependencies: evilURL, Line: 1}}
	if diff := cmp.Diff(want, l.SectionMismatches); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	sameParse(t, "package-lock.json", data)
}

// TestSectionErrors: the dependencies section compared while read reports
// wrong types, duplicates and depth as when it is built.
func TestSectionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, deps string
		opts       []lockfile.Option
		want       string
		is         error
	}{
		{name: "version-number", deps: `"lodash": {"version": 4}`, want: `dependencies["lodash"].version: expected a string, got number at line`, is: lockfile.ErrMalformed},
		{name: "entry-array", deps: `"lodash": []`, want: `dependencies["lodash"]: expected an object, got array at line`, is: lockfile.ErrMalformed},
		{name: "nested-dependencies-string", deps: `"lodash": {"dependencies": "x"}`, want: `dependencies["lodash"].dependencies: expected an object, got string at line`, is: lockfile.ErrMalformed},
		{name: "nested-resolved-null", deps: `"lodash": {"dependencies": {"ms": {"resolved": null}}}`, want: `dependencies["lodash"].dependencies["ms"].resolved: expected a string, got null at line`, is: lockfile.ErrMalformed},
		{name: "too-deep", deps: `"a": {"dependencies": {"b": {"dependencies": {"c": {"dependencies": {"d": {}}}}}}}`, opts: []lockfile.Option{lockfile.WithMaxDepth(8)}, want: "nesting exceeds 8 levels", is: lockfile.ErrTooDeep},
		{name: "invalid-json", deps: `"lodash": {"version": "4.17.21",}`, want: "invalid JSON", is: lockfile.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, depsFirst := range []bool{false, true} {
				data := v2(lodashPkg, tc.deps, depsFirst)
				_, err := lockfile.Parse("package-lock.json", data, tc.opts...)
				if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
					t.Errorf("depsFirst=%v: error %v, want one containing %q under %v", depsFirst, err, tc.want, tc.is)
				}
				sameParse(t, "package-lock.json", data, tc.opts...)
			}
		})
	}
}

// TestSectionDuplicatesRecorded: duplicate keys in the section compared
// while read are recorded with their lines, as when it is built.
func TestSectionDuplicatesRecorded(t *testing.T) {
	deps := "\n" + lodashDep("4.17.21", lodashURL, lodashSRI) + ",\n" + `"lodash": {"version": "4.17.21", "version": "4.17.21", "requires": {"a": "1", "a": "2"}}`
	for _, depsFirst := range []bool{false, true} {
		l, err := lockfile.Parse("package-lock.json", v2(lodashPkg, deps, depsFirst))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range l.Duplicates {
			got = append(got, fmt.Sprintf("%s %s %d", d.Object, d.Key, d.SecondLine))
		}
		line := 8 // after two lines of packages
		if depsFirst {
			line = 6
		}
		want := []string{
			fmt.Sprintf("/dependencies lodash %d", line),
			fmt.Sprintf("/dependencies/lodash version %d", line),
			fmt.Sprintf("/dependencies/lodash/requires a %d", line),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("depsFirst=%v: duplicates diff (-want +got):\n%s", depsFirst, diff)
		}
	}
}

// TestSectionMismatchesCapped: a hostile file cannot make the list longer
// than 1,000.
func TestSectionMismatchesCapped(t *testing.T) {
	var deps strings.Builder
	for i := range 1500 {
		if i > 0 {
			deps.WriteString(",")
		}
		fmt.Fprintf(&deps, `"p%d": {"version": "1.0.0"}`, i)
	}
	for _, depsFirst := range []bool{false, true} {
		l, err := lockfile.Parse("package-lock.json", v2(lodashPkg, deps.String(), depsFirst))
		if err != nil {
			t.Fatal(err)
		}
		if len(l.SectionMismatches) != 1000 {
			t.Errorf("depsFirst=%v: %d mismatches, want 1000", depsFirst, len(l.SectionMismatches))
		}
	}
}
