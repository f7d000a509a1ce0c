package lockfile_test

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

func mustParse(t *testing.T, name string) *lockfile.Lockfile {
	t.Helper()
	l, err := lockfile.Parse(name, readFixture(t, name))
	if err != nil {
		t.Fatalf("Parse(%q): %v", name, err)
	}
	return l
}

// The package counts were computed independently with node:
// Object.keys(JSON.parse(f).packages).length - 1 for v2/v3, and a recursive
// count of the nested dependencies for v1.
func TestParseRealFixtures(t *testing.T) {
	tests := []struct {
		file                       string
		version                    int
		name, rootVersion          string
		packages, links, workspace int
		aliases, git               int
		rootDeps                   int // Root's prod dependencies
	}{
		{file: "v1-octokit-webhooks-lodash-base.json", version: 1, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 1059},
		{file: "v1-octokit-webhooks-lodash-head.json", version: 1, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 1056},
		{file: "v2-octokit-webhooks-es5-ext-install-script-head.json", version: 2, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 632, git: 1},
		{file: "v2-octokit-webhooks-git-resolved-https-base.json", version: 2, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 636, git: 1},
		{file: "v2-octokit-webhooks-git-resolved-ssh-head.json", version: 2, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 636, git: 1},
		{file: "v2-woocommerce-blocks-large-head.json.gz", version: 2, name: "@woocommerce/block-library", rootVersion: "10.8.0-dev", packages: 4239, links: 4, workspace: 1, aliases: 4, rootDeps: 38},
		{file: "v3-octokit-webhooks-license-change-head.json", version: 3, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 681, aliases: 6},
		{file: "v3-octokit-webhooks-modernize-esbuild-head.json", version: 3, name: "@octokit/webhooks-definitions", rootVersion: "0.0.0-development", packages: 186, aliases: 3},
		{file: "v3-workspaces-npm-cli-head.json", version: 3, name: "npm", rootVersion: "10.2.0", packages: 1394, links: 17, workspace: 17, aliases: 4, rootDeps: 71},
		{file: "v3-workspaces-prometheus-vite-head.json", version: 3, name: "prometheus-io", rootVersion: "0.300.0", packages: 748, links: 3, workspace: 3},
		{file: "v3-big-10788pkgs.json.gz", version: 3, name: "big-lock-spike-2", rootVersion: "1.0.0", packages: 10787, aliases: 21, rootDeps: 53},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			l := mustParse(t, tc.file)
			var links, ws, aliases, git int
			for _, p := range l.Packages {
				if p.Link {
					links++
				}
				if p.Workspace {
					ws++
				}
				if p.Alias != "" {
					aliases++
				}
				if p.Source.Kind == lockfile.SourceGit {
					git++
				}
			}
			got := []any{l.Version, l.Name, l.RootVersion, len(l.Packages), links, ws, aliases, git, len(l.Duplicates)}
			want := []any{tc.version, tc.name, tc.rootVersion, tc.packages, tc.links, tc.workspace, tc.aliases, tc.git, 0}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse(%q) [version name rootVersion packages links workspaces aliases git duplicates] diff (-want +got):\n%s", tc.file, diff)
			}
			if tc.version == 1 {
				if l.Root != nil {
					t.Errorf("Parse(%q).Root = %+v, want nil for lockfileVersion 1", tc.file, l.Root)
				}
			} else if l.Root == nil || l.Root.Path != "" || l.Root.Name != tc.name || len(l.Root.Deps.Names(lockfile.DepProd)) != tc.rootDeps {
				t.Errorf("Parse(%q).Root = %+v, want path \"\", name %q, %d dependencies", tc.file, l.Root, tc.name, tc.rootDeps)
			}
			assertInvariants(t, l, readFixture(t, tc.file))
		})
	}
}

// assertInvariants checks what every successful Parse guarantees.
func assertInvariants(t *testing.T, l *lockfile.Lockfile, data []byte) {
	t.Helper()
	lines := strings.Count(string(data), "\n") + 1
	for i, p := range l.Packages {
		if p == nil {
			t.Fatalf("Packages[%d] is nil", i)
		}
		if i > 0 && l.Packages[i-1].Path >= p.Path {
			t.Errorf("Packages not sorted/unique at %d: %q then %q", i, l.Packages[i-1].Path, p.Path)
		}
		if p.Path == "" {
			t.Errorf("Packages[%d] has the root path", i)
		}
		if p.Line < 1 || p.Line > lines {
			t.Errorf("Packages[%d] (%q).Line = %d, want 1..%d", i, p.Path, p.Line, lines)
		}
		if l.Package(p.Path) != p {
			t.Errorf("Package(%q) does not return the entry", p.Path)
		}
		if p.Link != (p.Source.Kind == lockfile.SourceLink) {
			t.Errorf("%q: Link=%v but Source.Kind=%v", p.Path, p.Link, p.Source.Kind)
		}
		if p.Source.URL != p.Resolved && !(l.Version == 1 && p.Resolved == "") {
			t.Errorf("%q: Source.URL %q != Resolved %q", p.Path, p.Source.URL, p.Resolved)
		}
	}
	for _, d := range l.Duplicates {
		if d.FirstLine < 1 || d.FirstLine > d.SecondLine || d.SecondLine > lines {
			t.Errorf("duplicate %+v: lines out of range 1..%d", d, lines)
		}
	}
}

// ignoreMaps leaves dependency maps out of Package comparisons that are
// about other fields.
var ignoreMaps = cmpopts.IgnoreFields(lockfile.Package{}, "Deps")

func TestParseEntries(t *testing.T) {
	registry := func(url, name, version string) lockfile.Source {
		return lockfile.Source{Kind: lockfile.SourceRegistry, URL: url, Scheme: "https", Host: "registry.npmjs.org", TarballName: name, TarballVersion: version, TarballFile: path.Base(name) + "-" + version + ".tgz"}
	}
	tests := []struct {
		file string
		want *lockfile.Package
		opts []cmp.Option
	}{
		{
			file: "v2-octokit-webhooks-git-resolved-ssh-head.json",
			want: &lockfile.Package{
				Path: "node_modules/@apidevtools/json-schema-ref-parser", Name: "@apidevtools/json-schema-ref-parser",
				Version:   "0.0.0-dev",
				Resolved:  "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#984282d34a2993e5243aa35100fe32a63699164d",
				Integrity: "sha512-VN1BtD3BKNgtwIFEKXE+vLkPeC3XB8TmjrAIMiJJ0Q1LhfyTNoaQUKsbqSUnozThV+SMM9s/Y+p+alyzSDCFvg==",
				License:   "MIT", Dev: true, Line: 37,
				Source: lockfile.Source{
					Kind: lockfile.SourceGit, URL: "git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#984282d34a2993e5243aa35100fe32a63699164d",
					Scheme: "git+ssh", Host: "github.com", Commit: "984282d34a2993e5243aa35100fe32a63699164d",
				},
				Deps: depsOf(lockfile.DepProd, "@jsdevtools/ono", "^7.1.3", "@types/json-schema", "^7.0.6", "call-me-maybe", "^1.0.1", "js-yaml", "^4.1.0"),
			},
		},
		{
			file: "v2-octokit-webhooks-git-resolved-https-base.json",
			want: &lockfile.Package{
				Path: "node_modules/@apidevtools/json-schema-ref-parser", Name: "@apidevtools/json-schema-ref-parser",
				Version:   "0.0.0-dev",
				Resolved:  "git+https://github.com/bcherny/json-schema-ref-parser.git#984282d34a2993e5243aa35100fe32a63699164d",
				Integrity: "sha512-VN1BtD3BKNgtwIFEKXE+vLkPeC3XB8TmjrAIMiJJ0Q1LhfyTNoaQUKsbqSUnozThV+SMM9s/Y+p+alyzSDCFvg==",
				License:   "MIT", Dev: true, Line: 37,
				Source: lockfile.Source{
					Kind: lockfile.SourceGit, URL: "git+https://github.com/bcherny/json-schema-ref-parser.git#984282d34a2993e5243aa35100fe32a63699164d",
					Scheme: "git+https", Host: "github.com", Commit: "984282d34a2993e5243aa35100fe32a63699164d",
				},
				Deps: depsOf(lockfile.DepProd, "@jsdevtools/ono", "^7.1.3", "@types/json-schema", "^7.0.6", "call-me-maybe", "^1.0.1", "js-yaml", "^4.1.0"),
			},
		},
		{
			file: "v2-octokit-webhooks-es5-ext-install-script-head.json",
			want: &lockfile.Package{
				Path: "node_modules/es5-ext", Name: "es5-ext", Version: "0.10.61",
				Resolved:         "https://registry.npmjs.org/es5-ext/-/es5-ext-0.10.61.tgz",
				Integrity:        "sha512-yFhIqQAzu2Ca2I4SE2Au3rxVfmohU9Y7wqGR+s7+H7krk26NXhIRAZDgqd6xqjCEFUomDEA3/Bo/7fKmIkW1kA==",
				Source:           registry("https://registry.npmjs.org/es5-ext/-/es5-ext-0.10.61.tgz", "es5-ext", "0.10.61"),
				Dev:              true,
				HasInstallScript: true,
				Deps:             depsOf(lockfile.DepProd, "es6-iterator", "^2.0.3", "es6-symbol", "^3.1.3", "next-tick", "^1.1.0"),
				Line:             1615,
			},
		},
		{
			file: "v3-octokit-webhooks-license-change-head.json",
			want: &lockfile.Package{
				Path: "node_modules/fast-uri", Name: "fast-uri", Version: "3.0.3",
				Resolved:  "https://registry.npmjs.org/fast-uri/-/fast-uri-3.0.3.tgz",
				Integrity: "sha512-aLrHthzCjH5He4Z2H9YZ+v6Ujb9ocRuW6ZzkJQOrTxleEijANq4v1TsaPaVG1PZcuurEzrLcWRyYBYXD5cEiaw==",
				Source:    registry("https://registry.npmjs.org/fast-uri/-/fast-uri-3.0.3.tgz", "fast-uri", "3.0.3"),
				License:   "BSD-3-Clause", Dev: true, Line: 2233,
			},
		},
		{
			file: "v3-workspaces-prometheus-vite-head.json",
			want: &lockfile.Package{
				Path: "node_modules/fsevents", Name: "fsevents", Version: "2.3.3",
				Resolved:  "https://registry.npmjs.org/fsevents/-/fsevents-2.3.3.tgz",
				Integrity: "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==",
				Source:    registry("https://registry.npmjs.org/fsevents/-/fsevents-2.3.3.tgz", "fsevents", "2.3.3"),
				License:   "MIT", Dev: true, HasInstallScript: true, Optional: true, OS: []string{"darwin"}, Line: 5180,
			},
		},
		{
			// An npm alias inside a bundled dependency: the folder is
			// string-width-cjs, the package string-width.
			file: "v3-workspaces-npm-cli-head.json",
			want: &lockfile.Package{
				Path: "node_modules/string-width-cjs", Name: "string-width", Alias: "string-width-cjs", Version: "4.2.3",
				Resolved:  "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz",
				Integrity: "sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==",
				Source:    registry("https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz", "string-width", "4.2.3"),
				InBundle:  true,
				Deps:      depsOf(lockfile.DepProd, "emoji-regex", "^8.0.0", "is-fullwidth-code-point", "^3.0.0", "strip-ansi", "^6.0.1"),
				Line:      13323,
			},
		},
		{
			// A workspace link: Version comes from the target folder.
			file: "v3-workspaces-npm-cli-head.json",
			want: &lockfile.Package{
				Path: "node_modules/@npmcli/arborist", Name: "@npmcli/arborist", Version: "7.2.0",
				Resolved: "workspaces/arborist", Link: true, Line: 2521,
				Source: lockfile.Source{Kind: lockfile.SourceLink, URL: "workspaces/arborist"},
			},
		},
		{
			file: "v3-workspaces-npm-cli-head.json",
			want: &lockfile.Package{
				Path: "workspaces/arborist", Name: "@npmcli/arborist", Version: "7.2.0",
				License: "ISC", Workspace: true, Bin: []string{"arborist"}, Line: 17072,
			},
			opts: []cmp.Option{ignoreMaps},
		},
		{
			file: "v1-octokit-webhooks-lodash-head.json",
			want: &lockfile.Package{
				Path: "node_modules/lodash", Name: "lodash", Version: "4.17.15",
				Resolved:  "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz",
				Integrity: "sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==",
				Source:    registry("https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "lodash", "4.17.15"),
				Dev:       true, Line: 3308,
			},
		},
		{
			// v1 nesting, with a plain http resolved.
			file: "v1-octokit-webhooks-lodash-base.json",
			want: &lockfile.Package{
				Path: "node_modules/rc/node_modules/minimist", Name: "minimist", Version: "1.2.0",
				Resolved:  "http://registry.npmjs.org/minimist/-/minimist-1.2.0.tgz",
				Integrity: "sha1-o1AIsg9BOD7sH7kU9M1d95omQoQ=",
				Source: lockfile.Source{
					Kind: lockfile.SourceHTTP, URL: "http://registry.npmjs.org/minimist/-/minimist-1.2.0.tgz",
					Scheme: "http", Host: "registry.npmjs.org", TarballName: "minimist", TarballVersion: "1.2.0", TarballFile: "minimist-1.2.0.tgz",
				},
				Dev: true, Line: 7542,
			},
		},
		{
			// v1 "bundled" is InBundle.
			file: "v1-octokit-webhooks-lodash-base.json",
			want: &lockfile.Package{
				Path: "node_modules/npm/node_modules/minimist", Name: "minimist", Version: "0.0.8",
				InBundle: true, Dev: true, Line: 5385,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.want.Path, func(t *testing.T) {
			l := mustParse(t, tc.file)
			got := l.Package(tc.want.Path)
			if diff := cmp.Diff(tc.want, got, append(tc.opts, cmpopts.EquateEmpty())...); diff != "" {
				t.Errorf("Parse(%q).Package(%q) diff (-want +got):\n%s", tc.file, tc.want.Path, diff)
			}
		})
	}
}

func TestParseCrafted(t *testing.T) {
	const lodash = "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
	tests := []struct {
		file string
		want []*lockfile.Package
		opts []cmp.Option
	}{
		{
			file: "alias.v3.json",
			want: []*lockfile.Package{
				{
					Path: "node_modules/@my/lodash", Name: "lodash", Alias: "@my/lodash", Version: "4.17.21", Resolved: lodash,
					Integrity: "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==",
					License:   "MIT", Line: 15,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: lodash, Scheme: "https", Host: "registry.npmjs.org", TarballName: "lodash", TarballVersion: "4.17.21", TarballFile: "lodash-4.17.21.tgz"},
				},
				{
					Path: "node_modules/foo", Name: "bar", Alias: "foo", Version: "2.1.0", Resolved: "https://registry.npmjs.org/bar/-/bar-2.1.0.tgz",
					Integrity: "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
					License:   "ISC", Line: 22,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/bar/-/bar-2.1.0.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "bar", TarballVersion: "2.1.0", TarballFile: "bar-2.1.0.tgz"},
				},
			},
		},
		{
			file: "workspace-link.v3.json",
			opts: []cmp.Option{cmpopts.IgnoreFields(lockfile.Package{}, "Resolved", "Integrity", "Source")},
			want: []*lockfile.Package{
				{Path: "node_modules/@org/app", Name: "@org/app", Version: "2.0.0", Link: true, Line: 17},
				{Path: "node_modules/@org/util", Name: "@org/util", Version: "1.5.0", Link: true, Line: 21},
				{Path: "node_modules/left-pad", Name: "left-pad", Version: "1.3.0", License: "WTFPL", Line: 25},
				{Path: "node_modules/typescript", Name: "typescript", Version: "5.4.5", License: "Apache-2.0", Dev: true, Bin: []string{"tsc", "tsserver"}, Line: 31},
				{
					Path: "packages/app", Name: "@org/app", Version: "2.0.0", Workspace: true, Line: 45,
					Deps: append(depsOf(lockfile.DepProd, "@org/util", "*", "left-pad", "^1.3.0"),
						lockfile.Dep{Name: "typescript", Spec: "^5.0.0", Type: lockfile.DepDev}),
				},
				{Path: "packages/app/node_modules/left-pad", Name: "left-pad", Version: "1.1.3", License: "WTFPL", Line: 56},
				{Path: "packages/util", Name: "util", Version: "1.5.0", License: "MIT", Workspace: true, Line: 62},
			},
		},
		{
			file: "v1-crafted.v1.json",
			want: []*lockfile.Package{
				{
					Path: "node_modules/@scope/pkg", Name: "@scope/pkg", Version: "1.2.3",
					Resolved: "https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz", Integrity: "sha512-scoped", Line: 7,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "@scope/pkg", TarballVersion: "1.2.3", TarballFile: "pkg-1.2.3.tgz"},
					Deps:   depsOf(lockfile.DepProd, "dep", "^2.0.0", "old", "true"),
				},
				{
					Path: "node_modules/@scope/pkg/node_modules/dep", Name: "dep", Version: "2.1.0",
					Resolved: "https://registry.npmjs.org/dep/-/dep-2.1.0.tgz", Integrity: "sha1-dep", InBundle: true, Line: 16,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/dep/-/dep-2.1.0.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "dep", TarballVersion: "2.1.0", TarballFile: "dep-2.1.0.tgz"},
				},
				{Path: "node_modules/@scope/pkg/node_modules/dep/node_modules/deeper", Name: "deeper", Version: "0.0.1", Optional: true, Line: 22},
				{
					Path: "node_modules/dep", Name: "dep", Version: "1.0.0",
					Resolved: "https://registry.npmjs.org/dep/-/dep-1.0.0.tgz", Integrity: "sha1-dep1", Dev: true, Line: 30,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/dep/-/dep-1.0.0.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "dep", TarballVersion: "1.0.0", TarballFile: "dep-1.0.0.tgz"},
				},
				{
					Path: "node_modules/gitdep", Name: "gitdep", Version: "git+https://github.com/owner/gitdep.git#0123456789abcdef0123456789abcdef01234567", Line: 36,
					Source: lockfile.Source{Kind: lockfile.SourceGit, URL: "git+https://github.com/owner/gitdep.git#0123456789abcdef0123456789abcdef01234567", Scheme: "git+https", Host: "github.com", Commit: "0123456789abcdef0123456789abcdef01234567"},
				},
				{
					Path: "node_modules/localdep", Name: "localdep", Version: "file:../localdep", Line: 40,
					Source: lockfile.Source{Kind: lockfile.SourceFile, URL: "file:../localdep"},
				},
				{
					Path: "node_modules/myalias", Name: "@real/name", Alias: "myalias", Version: "3.1.4",
					Resolved: "https://registry.npmjs.org/@real/name/-/name-3.1.4.tgz", Integrity: "sha512-alias", Line: 43,
					Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/@real/name/-/name-3.1.4.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "@real/name", TarballVersion: "3.1.4", TarballFile: "name-3.1.4.tgz"},
				},
			},
		},
		{
			file: "mixed-types.v3.json",
			want: []*lockfile.Package{
				{Path: "node_modules/a", Name: "a", Version: "1.0.0", License: "BSD-3-Clause", OS: []string{"linux"}, CPU: []string{"x64", "arm64"}, Bin: []string{"a"}, Line: 10}, // a `bin` string: the command is the name
				{Path: "node_modules/b", Name: "b", Version: "1.0.0", License: "(MIT OR Apache-2.0)", Bin: []string{"b"}, Line: 20},
				{Path: "node_modules/c", Name: "c", Version: "1.0.0", Line: 31},
				{Path: "node_modules/d", Name: "d", Version: "1.0.0", License: "GPL-2.0", Line: 36},
			},
		},
		{
			file: "shrinkwrap.v2.json",
			want: []*lockfile.Package{{
				Path: "node_modules/ms", Name: "ms", Version: "2.1.3", Resolved: "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
				Integrity: "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==", Line: 18,
				Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "ms", TarballVersion: "2.1.3", TarballFile: "ms-2.1.3.tgz"},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := readFixture(t, tc.file)
			l, err := lockfile.Parse(tc.file, data)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.file, err)
			}
			if diff := cmp.Diff(tc.want, l.Packages, append(tc.opts, cmpopts.EquateEmpty())...); diff != "" {
				t.Errorf("Parse(%q).Packages diff (-want +got):\n%s", tc.file, diff)
			}
			if len(l.Duplicates) != 0 {
				t.Errorf("Parse(%q).Duplicates = %+v, want none", tc.file, l.Duplicates)
			}
			assertInvariants(t, l, data)
		})
	}
}

func TestParseRoot(t *testing.T) {
	l := mustParse(t, "workspace-link.v3.json")
	want := &lockfile.Package{
		Name: "monorepo", Version: "0.1.0", Line: 7,
		Deps: depsOf(lockfile.DepDev, "typescript", "^5.0.0"),
	}
	if diff := cmp.Diff(want, l.Root); diff != "" {
		t.Errorf("Root diff (-want +got):\n%s", diff)
	}
	if l.Name != "monorepo" || l.RootVersion != "0.1.0" || l.Version != 3 {
		t.Errorf("Name, RootVersion, Version = %q, %q, %d; want monorepo, 0.1.0, 3", l.Name, l.RootVersion, l.Version)
	}
	// A root entry without name or version falls back to the top level.
	l2, err := lockfile.Parse("x", []byte(`{"name": "top", "version": "9.0.0", "lockfileVersion": 3, "packages": {"": {}}}`))
	if err != nil || l2.Name != "top" || l2.RootVersion != "9.0.0" || l2.Root == nil {
		t.Errorf("Parse(root without name) = %+v, %v; want Name top, RootVersion 9.0.0 and a Root", l2, err)
	}
	if got := mustParse(t, "mixed-types.v3.json").Root.License; got != "MIT" {
		t.Errorf("root license = %q, want MIT (from the old object form)", got)
	}
}

func TestParseSources(t *testing.T) {
	l := mustParse(t, "sources.v3.json")
	tests := []struct {
		path string
		want lockfile.Source
	}{
		{"node_modules/a-git-ssh", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "git+ssh", Host: "github.com", Commit: "0123456789abcdef0123456789abcdef01234567"}},
		{"node_modules/b-git-https", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "git+https", Host: "github.com", Commit: "89abcdef0123456789abcdef0123456789abcdef"}},
		{"node_modules/c-git", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "git", Host: "github.com", Commit: "v1.0.0"}},
		{"node_modules/d-github", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "github", Host: "github.com", Commit: "abc123"}},
		{"node_modules/e-shorthand", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "github", Host: "github.com", Commit: "def456"}},
		{"node_modules/f-scp", lockfile.Source{Kind: lockfile.SourceGit, Scheme: "ssh", Host: "gitlab.com", Commit: "0a1b2c"}},
		{"node_modules/g-file", lockfile.Source{Kind: lockfile.SourceFile}},
		{"node_modules/h-http", lockfile.Source{Kind: lockfile.SourceHTTP, Scheme: "http", Host: "registry.npmjs.org", TarballName: "h-http", TarballVersion: "1.0.0", TarballFile: "h-http-1.0.0.tgz"}},
		{"node_modules/i-tarball", lockfile.Source{Kind: lockfile.SourceTarball, Scheme: "https", Host: "example.com"}},
		{"node_modules/@scope/j", lockfile.Source{Kind: lockfile.SourceRegistry, Scheme: "https", Host: "registry.npmjs.org", TarballName: "@scope/j", TarballVersion: "2.0.0", TarballFile: "j-2.0.0.tgz"}},
		{"node_modules/k-upper", lockfile.Source{Kind: lockfile.SourceRegistry, Scheme: "https", Host: "registry.npmjs.org", TarballName: "k-upper", TarballVersion: "3.0.0", TarballFile: "k-upper-3.0.0.tgz"}},
		{"node_modules/l-missing", lockfile.Source{Kind: lockfile.SourceMissing}},
		{"node_modules/m-mirror", lockfile.Source{Kind: lockfile.SourceRegistry, Scheme: "https", Host: "artifactory.example.com", TarballName: "@scope/m", TarballVersion: "4.0.0", TarballFile: "m-4.0.0.tgz"}},
		// The tarball file does not belong to the package of its folder:
		// the name and file are reported, the version cannot be recovered.
		{"node_modules/n-mismatch", lockfile.Source{Kind: lockfile.SourceRegistry, Scheme: "https", Host: "registry.npmjs.org", TarballName: "lodash", TarballFile: "evil-1.0.0.tgz"}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimPrefix(tc.path, "node_modules/"), func(t *testing.T) {
			p := l.Package(tc.path)
			if p == nil {
				t.Fatalf("Package(%q) = nil", tc.path)
			}
			tc.want.URL = p.Resolved
			if diff := cmp.Diff(tc.want, p.Source); diff != "" {
				t.Errorf("Package(%q).Source diff (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestParseVersionWithoutPackages: npm installs from `dependencies` when
// `packages` is missing, whatever lockfileVersion says; so must we read it.
func TestParseVersionWithoutPackages(t *testing.T) {
	for _, data := range []string{
		`{"lockfileVersion":3,"dependencies":{"lodash":{"version":"4.17.21","resolved":"http://evil.example/lodash.tgz","integrity":"sha512-x"}}}`,
		`{"dependencies":{"lodash":{"version":"4.17.21","resolved":"http://evil.example/lodash.tgz","integrity":"sha512-x"}},"lockfileVersion":2}`,
	} {
		l, err := lockfile.Parse("x.json", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		p := l.Package("node_modules/lodash")
		if l.Version != 1 || p == nil || p.Resolved != "http://evil.example/lodash.tgz" {
			t.Errorf("%s: Version %d, lodash %+v; want the dependencies tree read as v1", data, l.Version, p)
		}
	}
	// With `packages`, the v1-style copy is still not what counts.
	l, err := lockfile.Parse("x.json", []byte(`{"lockfileVersion":2,"dependencies":{"a":{"version":"1.0.0"}},"packages":{"node_modules/a":{"version":"2.0.0"}}}`))
	if err != nil || l.Version != 2 || l.Package("node_modules/a").Version != "2.0.0" {
		t.Errorf("v2 with both sections: %v, %+v", err, l)
	}
}

// TestParseWebURLs: http(s) URLs are read as npm's WHATWG URL parser reads
// them, so a backslash, a tab or a missing "//" cannot disguise the host.
func TestParseWebURLs(t *testing.T) {
	tests := []struct {
		resolved string
		kind     lockfile.SourceKind
		host     string
	}{
		{"https://evil.example\\@registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "evil.example"},
		{"https:\\\\evil.example/lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "evil.example"},
		{"https://registry.npmjs.org@evil.example/lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "evil.example"},
		{"https://registry.npmjs.org\t.evil.example/lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "registry.npmjs.org.evil.example"},
		{"https:registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "registry.npmjs.org"},
		{" HTTP://Registry.npmjs.org\\lodash\\-\\lodash-4.17.21.tgz", lockfile.SourceHTTP, "registry.npmjs.org"},
		{"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz?x=1", lockfile.SourceRegistry, "registry.npmjs.org"},
		{"https://registry.npmjs.org./lodash/-/lodash-4.17.21.tgz", lockfile.SourceRegistry, "registry.npmjs.org"},
	}
	for _, tc := range tests {
		data := fmt.Sprintf(`{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.21","resolved":%q}}}`, tc.resolved)
		l, err := lockfile.Parse("x.json", []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", tc.resolved, err)
		}
		src := l.Package("node_modules/lodash").Source
		if src.Kind != tc.kind || src.Host != tc.host {
			t.Errorf("resolved %q: kind %v, host %q; want %v, %q", tc.resolved, src.Kind, src.Host, tc.kind, tc.host)
		}
	}
}

func TestParseDuplicates(t *testing.T) {
	const file = "duplicate-key.v3.json"
	data := readFixture(t, file)
	l, err := lockfile.Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	wantDups := []lockfile.DuplicateKey{
		{Object: "/packages/node_modules~1good", Key: "resolved", FirstLine: 15, SecondLine: 16},
		{Object: "/packages/node_modules~1good/engines", Key: "node", FirstLine: 18, SecondLine: 19},
		{Object: "/packages", Key: "node_modules/evil", FirstLine: 8, SecondLine: 22},
	}
	if diff := cmp.Diff(wantDups, l.Duplicates); diff != "" {
		t.Errorf("Parse(%q).Duplicates diff (-want +got):\n%s", file, diff)
	}
	// The last value wins, as with JSON.parse: the second "evil" entry has
	// no install script, and good resolves to the second URL.
	want := []*lockfile.Package{
		{
			Path: "node_modules/evil", Name: "evil", Version: "1.0.1", Resolved: "https://registry.npmjs.org/evil/-/evil-1.0.1.tgz", Line: 22,
			Source: lockfile.Source{Kind: lockfile.SourceRegistry, URL: "https://registry.npmjs.org/evil/-/evil-1.0.1.tgz", Scheme: "https", Host: "registry.npmjs.org", TarballName: "evil", TarballVersion: "1.0.1", TarballFile: "evil-1.0.1.tgz"},
		},
		{
			Path: "node_modules/good", Name: "good", Version: "1.0.0", Resolved: "https://evil.example/good-1.0.0.tgz", Line: 13,
			Source: lockfile.Source{Kind: lockfile.SourceTarball, URL: "https://evil.example/good-1.0.0.tgz", Scheme: "https", Host: "evil.example"},
		},
	}
	if diff := cmp.Diff(want, l.Packages, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Parse(%q).Packages diff (-want +got):\n%s", file, diff)
	}
	assertInvariants(t, l, data)
}

func TestParseDuplicatesInline(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		dups  []lockfile.DuplicateKey
		paths []string
	}{
		{
			name:  "escaped-names-are-equal",
			data:  "{\"lockfileVersion\": 3, \"packages\": {\n\"node_modules/a\": {},\n\"node_modules/\\u0061\": {\"version\": \"2\"}}}",
			dups:  []lockfile.DuplicateKey{{Object: "/packages", Key: "node_modules/a", FirstLine: 2, SecondLine: 3}},
			paths: []string{"node_modules/a"},
		},
		{
			name: "root-level",
			data: "{\"lockfileVersion\": 1,\n\"lockfileVersion\": 3, \"packages\": {}}",
			dups: []lockfile.DuplicateKey{{Object: "", Key: "lockfileVersion", FirstLine: 1, SecondLine: 2}},
		},
		{
			name:  "inside-array-in-skipped-field",
			data:  "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": {\"funding\": [1, {\"x\": 1,\n\"x\": 2}]}}}",
			dups:  []lockfile.DuplicateKey{{Object: "/packages/node_modules~1a/funding/1", Key: "x", FirstLine: 1, SecondLine: 2}},
			paths: []string{"node_modules/a"},
		},
		{
			name: "many-keys-use-the-map",
			data: `{"lockfileVersion": 3, "x": {"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1,"k":1,"l":1,"m":1,"n":1,"o":1,"p":1,"q":1,"r":1,"a~/":1,"a~/":2,"c":3}}`,
			dups: []lockfile.DuplicateKey{{Object: "/x", Key: "a~/", FirstLine: 1, SecondLine: 1}, {Object: "/x", Key: "c", FirstLine: 1, SecondLine: 1}},
		},
		{
			name:  "v1-subtree-replaced",
			data:  "{\"lockfileVersion\": 1, \"dependencies\": {\n\"a\": {\"version\": \"1\", \"dependencies\": {\"b\": {\"version\": \"1\"}}},\n\"a\": {\"version\": \"2\"}}}",
			dups:  []lockfile.DuplicateKey{{Object: "/dependencies", Key: "a", FirstLine: 2, SecondLine: 3}},
			paths: []string{"node_modules/a"},
		},
		{
			name:  "v1-nested-dependencies-replaced",
			data:  `{"lockfileVersion": 1, "dependencies": {"a": {"dependencies": {"b": {}}, "dependencies": {"c": {}}}}}`,
			dups:  []lockfile.DuplicateKey{{Object: "/dependencies/a", Key: "dependencies", FirstLine: 1, SecondLine: 1}},
			paths: []string{"node_modules/a", "node_modules/a/node_modules/c"},
		},
		{
			name:  "v1-paths-that-collide-keep-the-last",
			data:  `{"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": {"b": {"version": "1"}}}, "a/node_modules/b": {"version": "2"}}}`,
			paths: []string{"node_modules/a", "node_modules/a/node_modules/b"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := lockfile.Parse("package-lock.json", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.dups, l.Duplicates, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Duplicates diff (-want +got):\n%s", diff)
			}
			var paths []string
			for _, p := range l.Packages {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(tc.paths, paths, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("paths diff (-want +got):\n%s", diff)
			}
			assertInvariants(t, l, []byte(tc.data))
		})
	}
	l, _ := lockfile.Parse("x", []byte(`{"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": {"b": {"version": "1"}}}, "a/node_modules/b": {"version": "2"}}}`))
	if got := l.Package("node_modules/a/node_modules/b").Version; got != "2" {
		t.Errorf("colliding v1 path: version %q, want the last one, 2", got)
	}
}

func TestParseDuplicatesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion": 3, "packages": {"node_modules/a": {"funding": {`)
	for i := range 5000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"x": 1`)
	}
	b.WriteString(`}, "version": "1.0.0"}}}`)
	l, err := lockfile.Parse("package-lock.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Duplicates) != 1000 {
		t.Errorf("len(Duplicates) = %d, want the cap, 1000", len(l.Duplicates))
	}
	if got := l.Package("node_modules/a").Version; got != "1.0.0" {
		t.Errorf("version after many duplicates = %q, want 1.0.0", got)
	}
}

func TestParseVersions(t *testing.T) {
	tests := []struct {
		name                         string
		data                         string
		want, declared, declaredLine int
	}{
		{"missing-with-dependencies-is-v1", `{"dependencies": {"a": {"version": "1.0.0"}}}`, 1, 0, 0},
		{"missing-with-packages-is-v3", `{"packages": {"node_modules/a": {"version": "1.0.0"}}}`, 3, 0, 0},
		{"missing-with-both-is-v2", `{"packages": {"node_modules/a": {"version": "1.0.0"}}, "dependencies": {"a": {"version": "1.0.0"}}}`, 2, 0, 0},
		{"integral-float", `{"lockfileVersion": 2.0, "packages": {"node_modules/a": {"version": "1.0.0"}}}`, 2, 2, 1},
		{"v2-reads-packages-only", `{"lockfileVersion": 2, "packages": {"node_modules/a": {"version": "1.0.0"}}, "dependencies": {"a": {"version": "9.9.9"}, "b": {}}}`, 2, 2, 1},
		{"bom", "\xef\xbb\xbf{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": {\"version\": \"1.0.0\"}}}", 3, 3, 1},
		// npm installs from dependencies when packages is missing: read as
		// 1, and the declared version tells the downgrade apart.
		// npm 7+ installs from packages whenever it is there.
		{"v1-with-packages-is-read-from-packages", "{\n\"lockfileVersion\": 1,\n\"dependencies\": {\"a\": {\"version\": \"9.9.9\"}},\n\"packages\": {\"node_modules/a\": {\"version\": \"1.0.0\"}}}", 2, 1, 2},
		{"v3-without-packages-is-read-as-v1", "{\n\"name\": \"x\",\n\"lockfileVersion\": 3,\n\"dependencies\": {\"a\": {\"version\": \"1.0.0\"}}}", 1, 3, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := lockfile.Parse("package-lock.json", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if l.Version != tc.want || l.DeclaredVersion != tc.declared || l.VersionLine != tc.declaredLine {
				t.Errorf("Version, DeclaredVersion, VersionLine = %d, %d, %d; want %d, %d, %d", l.Version, l.DeclaredVersion, l.VersionLine, tc.want, tc.declared, tc.declaredLine)
			}
			if len(l.Packages) != 1 || l.Packages[0].Path != "node_modules/a" || l.Packages[0].Version != "1.0.0" {
				t.Errorf("Packages = %+v, want node_modules/a@1.0.0 only", l.Packages)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	deep := `{"lockfileVersion": 3, "x": ` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`
	v1deep := `{"lockfileVersion": 1, "dependencies": ` + strings.Repeat(`{"a": {"dependencies": `, 20) + "{}" + strings.Repeat("}}", 20) + "}"
	tests := []struct {
		name    string
		data    string // or fixture
		fixture string
		opts    []lockfile.Option
		want    error
		msg     []string
	}{
		{name: "empty", data: "", want: lockfile.ErrMalformed, msg: []string{"package-lock.json: empty file"}},
		{name: "blank", data: " \n\t ", want: lockfile.ErrMalformed, msg: []string{"empty file"}},
		{name: "not-json", fixture: "not-json.txt", want: lockfile.ErrMalformed, msg: []string{"package-lock.json: invalid JSON at line 1, column 2 (offset 1): invalid character 'h' in literal true"}},
		{name: "null", fixture: "null.json", want: lockfile.ErrMalformed, msg: []string{"package-lock.json: top level: expected a JSON object, got null at line 1"}},
		{name: "array", data: "[]", want: lockfile.ErrMalformed, msg: []string{"expected a JSON object, got array"}},
		{name: "truncated", fixture: "truncated.json", want: lockfile.ErrMalformed, msg: []string{"package-lock.json: invalid JSON at line 25, column 32 (offset 700): unexpected end of input"}},
		{name: "trailing-data", data: "{\"lockfileVersion\": 3, \"packages\": {}}\n{}", want: lockfile.ErrMalformed, msg: []string{"invalid JSON at line 2, column 1 (offset 39): invalid data after the top-level value"}},
		{name: "trailing-garbage", data: "{\"lockfileVersion\": 3, \"packages\": {}} x", want: lockfile.ErrMalformed, msg: []string{"invalid JSON at line 1, column 40"}},
		{name: "invalid-utf8", data: "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/\xff\": {}}}", want: lockfile.ErrMalformed, msg: []string{"invalid JSON at line 1", "UTF-8"}},
		{name: "unsupported-version", fixture: "unsupported-version.json", want: lockfile.ErrUnsupportedVersion, msg: []string{"package-lock.json: lockfileVersion 7 is not supported (line 3)"}},
		{name: "version-fraction", data: `{"lockfileVersion": 2.5}`, want: lockfile.ErrUnsupportedVersion, msg: []string{"lockfileVersion 2.5 is not supported"}},
		{name: "bin-number", data: "{\"lockfileVersion\": 3,\n\"packages\": {\"node_modules/a\": {\n\"bin\": 5}}}", want: lockfile.ErrMalformed, msg: []string{`package-lock.json: packages["node_modules/a"].bin: expected an object or a string, got number at line 3`}},
		{name: "bin-command-number", data: "{\"lockfileVersion\": 3,\n\"packages\": {\"node_modules/a\": {\n\"bin\": {\"a\": 5}}}}", want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"].bin["a"]: expected a string, got number at line 3`}},
		{name: "version-string", data: `{"lockfileVersion": "3"}`, want: lockfile.ErrMalformed, msg: []string{"package-lock.json: lockfileVersion: expected a number, got string at line 1"}},
		{name: "no-lockfile-fields", data: `{"name": "x"}`, want: lockfile.ErrMalformed, msg: []string{"not a lockfile"}},
		{name: "version-number", fixture: "wrong-type.v3.json", want: lockfile.ErrMalformed, msg: []string{`package-lock.json: packages["node_modules/x"].version: expected a string, got number at line 10`}},
		{name: "packages-array", data: "{\"lockfileVersion\": 3,\n\"packages\": []}", want: lockfile.ErrMalformed, msg: []string{"package-lock.json: packages: expected an object, got array at line 2"}},
		{name: "entry-string", data: "{\"lockfileVersion\": 3,\n\"packages\": {\n\"node_modules/a\": \"1.0.0\"}}", want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"]: expected an object, got string at line 3`}},
		{name: "dev-string", data: "{\"lockfileVersion\": 3,\n\"packages\": {\n\"node_modules/a\": {\n\"dev\": \"yes\"}}}", want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"].dev: expected a boolean, got string at line 4`}},
		{name: "dependency-range-number", data: "{\"lockfileVersion\": 3,\n\"packages\": {\"\": {\"dependencies\": {\n\"a\": 1}}}}", want: lockfile.ErrMalformed, msg: []string{`packages[""].dependencies["a"]: expected a string, got number at line 3`}},
		{name: "dependencies-array", data: "{\"lockfileVersion\": 3,\n\"packages\": {\"node_modules/a\": {\n\"dependencies\": [\"b\"]}}}", want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"].dependencies: expected an object, got array at line 3`}},
		{name: "os-number", data: `{"lockfileVersion": 3, "packages": {"node_modules/a": {"os": 1}}}`, want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"].os: expected an array of strings, got number`}},
		{name: "cpu-element", data: `{"lockfileVersion": 3, "packages": {"node_modules/a": {"cpu": ["x64", null]}}}`, want: lockfile.ErrMalformed, msg: []string{`packages["node_modules/a"].cpu[1]: expected a string, got null`}},
		{name: "v1-version-number", data: "{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"dependencies\": {\"b\": {\n\"version\": 1}}}}}", want: lockfile.ErrMalformed, msg: []string{`package-lock.json: dependencies["a"].dependencies["b"].version: expected a string, got number at line 2`}},
		{name: "v1-requires-number", data: `{"lockfileVersion": 1, "dependencies": {"a": {"requires": {"b": 2}}}}`, want: lockfile.ErrMalformed, msg: []string{`dependencies["a"].requires["b"]: expected a string or boolean, got number`}},
		{name: "v1-dependencies-array", data: `{"lockfileVersion": 1, "dependencies": []}`, want: lockfile.ErrMalformed, msg: []string{`dependencies: expected an object, got array`}},
		{name: "too-large", data: `{"lockfileVersion": 3, "packages": {}}`, opts: []lockfile.Option{lockfile.WithMaxSize(10)}, want: lockfile.ErrTooLarge, msg: []string{"package-lock.json: 38 bytes exceeds the size limit of 10 bytes"}},
		{name: "too-deep-default", data: deep, want: lockfile.ErrTooDeep, msg: []string{"package-lock.json: JSON nesting exceeds 256 levels at line 1"}},
		{name: "too-deep-fixture", fixture: "deep-nesting.json", want: lockfile.ErrTooDeep, msg: []string{"JSON nesting exceeds 256 levels at line 6"}},
		{name: "too-deep-option", data: `{"lockfileVersion": 3, "packages": {"node_modules/a": {"engines": {"node": "1"}}}}`, opts: []lockfile.Option{lockfile.WithMaxDepth(3)}, want: lockfile.ErrTooDeep, msg: []string{"nesting exceeds 3 levels"}},
		{name: "v1-too-deep", data: v1deep, opts: []lockfile.Option{lockfile.WithMaxDepth(1000)}, want: nil},
		{name: "v1-too-deep-option", data: v1deep, opts: []lockfile.Option{lockfile.WithMaxDepth(30)}, want: lockfile.ErrTooDeep, msg: []string{"nesting exceeds 30 levels"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			if tc.fixture != "" {
				data = readFixture(t, tc.fixture)
			}
			l, err := lockfile.Parse("package-lock.json", data, tc.opts...)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v, want success", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse = %+v, want error %v", l, tc.want)
			}
			if l != nil {
				t.Errorf("Parse returned a Lockfile with error %v", err)
			}
			if !errors.Is(err, tc.want) || !errors.Is(err, lockfile.ErrInvalid) {
				t.Errorf("Parse error %v: errors.Is(%v) false or not under ErrInvalid", err, tc.want)
			}
			for _, m := range tc.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("Parse error %q does not contain %q", err, m)
				}
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	_, err := lockfile.Parse("head/package-lock.json", []byte("{\n  \"lockfileVersion\": 3,\n  \"packages\": {,}\n}"))
	var se *lockfile.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse error %v (%T), want *SyntaxError", err, err)
	}
	want := &lockfile.SyntaxError{File: "head/package-lock.json", Line: 3, Column: 16, Offset: 41, Msg: se.Msg}
	if diff := cmp.Diff(want, se); diff != "" {
		t.Errorf("SyntaxError diff (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(se.Error(), "head/package-lock.json: invalid JSON at line 3, column 16 (offset 41): ") || se.Msg == "" {
		t.Errorf("Error() = %q", se.Error())
	}
	if !errors.Is(err, lockfile.ErrMalformed) {
		t.Errorf("SyntaxError does not unwrap to ErrMalformed")
	}
}

func TestFieldError(t *testing.T) {
	_, err := lockfile.Parse("package-lock.json", readFixture(t, "wrong-type.v3.json"))
	var fe *lockfile.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("Parse error %v (%T), want *FieldError", err, err)
	}
	want := &lockfile.FieldError{File: "package-lock.json", Field: `packages["node_modules/x"].version`, Line: 10, Msg: "expected a string, got number"}
	if diff := cmp.Diff(want, fe); diff != "" {
		t.Errorf("FieldError diff (-want +got):\n%s", diff)
	}
}

func TestParseDoesNotModifyInput(t *testing.T) {
	data := readFixture(t, "duplicate-key.v3.json")
	orig := string(data)
	for range 2 {
		if _, err := lockfile.Parse("x", data); err != nil {
			t.Fatal(err)
		}
	}
	if string(data) != orig {
		t.Error("Parse modified its input")
	}
}

func TestParseConcurrent(t *testing.T) {
	data := readFixture(t, "v3-workspaces-npm-cli-head.json")
	done := make(chan int)
	for range 4 {
		go func() {
			l, err := lockfile.Parse("x", data)
			if err != nil {
				t.Error(err)
				done <- 0
				return
			}
			done <- len(l.Packages)
		}()
	}
	for range 4 {
		if n := <-done; n != 1394 {
			t.Errorf("got %d packages, want 1394", n)
		}
	}
}

// TestBinName checks npm's normalization of `bin` keys: the command linked
// is the last segment, with "\" and ":" read as "/".
func TestBinName(t *testing.T) {
	for in, want := range map[string]string{
		"node": "node", "sub/node": "node", "a:node": "node", `a\node`: "node", "./git": "git",
		"../../x": "x", "dir/": "dir", "": "", ".": "", "..": "", "a/..": "", "@scope/cli": "cli",
	} {
		if got := lockfile.BinName(in); got != want {
			t.Errorf("BinName(%q) = %q, want %q", in, got, want)
		}
	}
	l, err := lockfile.Parse("package-lock.json", []byte(`{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0",
"bin": {"sub/node": "x.js", "a:git": "x.js", "./sh": "x.js", "..": "x.js", "empty": "", "up": "..", "a": "bin/a.js", "node": "y.js", "cat": "lib/x/..", "ls": "bin/a:.."}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.Package("node_modules/a").Bin, []string{"a", "cat", "git", "ls", "node", "sh"}; !slices.Equal(got, want) {
		t.Errorf("Bin = %q, want %q", got, want)
	}
}

// TestParseScripts: npm never writes `scripts` into an entry, but npm 7+
// runs an entry's install scripts from it; the names are kept, and install
// hooks count as an install script.
func TestParseScripts(t *testing.T) {
	l, err := lockfile.Parse("package-lock.json", []byte(`{"lockfileVersion":3,"packages":{
		"node_modules/a":{"version":"1.0.0","scripts":{"test":"t","postinstall":"curl x | sh"}},
		"node_modules/b":{"version":"1.0.0","scripts":{"test":"t"}},
		"node_modules/c":{"version":"1.0.0","scripts":"x"},
		"node_modules/d":{"version":"1.0.0"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path    string
		scripts []string
		install bool
	}{
		{"node_modules/a", []string{"postinstall", "test"}, true},
		{"node_modules/b", []string{"test"}, false},
		{"node_modules/c", []string{}, false},
		{"node_modules/d", nil, false},
	} {
		p := l.Package(tc.path)
		if !slices.Equal(p.Scripts, tc.scripts) || (p.Scripts == nil) != (tc.scripts == nil) || p.HasInstallScript != tc.install {
			t.Errorf("%s: Scripts %q (nil %v), HasInstallScript %v; want %q (nil %v), %v", tc.path, p.Scripts, p.Scripts == nil, p.HasInstallScript, tc.scripts, tc.scripts == nil, tc.install)
		}
	}
}

// TestParseSpecVersion: an installed entry with no resolved whose version is
// a spec makes npm fetch "<name>@<version>": its source is that spec, and
// an npm: alias installs the aliased package.
func TestParseSpecVersion(t *testing.T) {
	l, err := lockfile.Parse("package-lock.json", []byte(`{"lockfileVersion":3,"packages":{
		"node_modules/a":{"version":"npm:evil-pkg@1.0.0"},
		"node_modules/b":{"version":"npm:@evil/pkg@2.0.0"},
		"node_modules/c":{"version":"https://evil.example/c.tgz"},
		"node_modules/d":{"version":"github:evil/d#0123456"},
		"node_modules/e":{"version":"file:../e"},
		"node_modules/f":{"version":"1.0.0"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, name, alias, version string
		kind                       lockfile.SourceKind
	}{
		{"node_modules/a", "evil-pkg", "a", "1.0.0", lockfile.SourceMissing},
		{"node_modules/b", "@evil/pkg", "b", "2.0.0", lockfile.SourceMissing},
		{"node_modules/c", "c", "", "https://evil.example/c.tgz", lockfile.SourceTarball},
		{"node_modules/d", "d", "", "github:evil/d#0123456", lockfile.SourceGit},
		{"node_modules/e", "e", "", "file:../e", lockfile.SourceFile},
		{"node_modules/f", "f", "", "1.0.0", lockfile.SourceMissing},
	} {
		p := l.Package(tc.path)
		if p.Name != tc.name || p.Alias != tc.alias || p.Version != tc.version || p.Source.Kind != tc.kind {
			t.Errorf("%s: name %q alias %q version %q source %v; want %q %q %q %v", tc.path, p.Name, p.Alias, p.Version, p.Source.Kind, tc.name, tc.alias, tc.version, tc.kind)
		}
	}
}
