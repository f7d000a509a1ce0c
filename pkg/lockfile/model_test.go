package lockfile_test

import (
	"slices"
	"testing"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

func TestResolveTargetDirect(t *testing.T) {
	l := mustParse(t, "workspace-link.v3.json")
	path := func(p *lockfile.Package) string {
		if p == nil {
			return "<nil>"
		}
		return p.Path
	}
	resolve := []struct {
		from, name, want string
	}{
		{"", "left-pad", "node_modules/left-pad"},
		{"packages/app", "left-pad", "packages/app/node_modules/left-pad"}, // nearest copy wins
		{"packages/app", "typescript", "node_modules/typescript"},          // found at the root
		{"packages/app", "@org/util", "node_modules/@org/util"},            // a link node, returned as is
		{"packages/app/node_modules/left-pad", "typescript", "node_modules/typescript"},
		{"packages/util", "left-pad", "node_modules/left-pad"},
		{"", "missing", "<nil>"},
	}
	for _, tc := range resolve {
		if got := path(l.Resolve(tc.from, tc.name)); got != tc.want {
			t.Errorf("Resolve(%q, %q) = %s, want %s", tc.from, tc.name, got, tc.want)
		}
	}

	link := l.Package("node_modules/@org/util")
	if got := path(l.Target(link)); got != "packages/util" {
		t.Errorf("Target(link) = %s, want packages/util", got)
	}
	if got := l.Target(l.Package("node_modules/left-pad")); got != l.Package("node_modules/left-pad") {
		t.Errorf("Target(non-link) = %s, want the node itself", path(got))
	}
	if got := l.Target(&lockfile.Package{Link: true, Resolved: "nowhere"}); got != nil {
		t.Errorf("Target(dangling link) = %s, want nil", path(got))
	}
	if got := l.Target(nil); got != nil {
		t.Errorf("Target(nil) = %v, want nil", got)
	}

	direct := []struct {
		root *lockfile.Package
		name string
		want string
	}{
		{l.Root, "typescript", "dev"},
		{l.Root, "left-pad", ""},
		{l.Package("packages/app"), "left-pad", "prod"},
		{l.Package("packages/app"), "typescript", "dev"},
		{&lockfile.Package{Deps: lockfile.Deps{{Name: "x", Spec: "1", Type: lockfile.DepOptional}, {Name: "y", Spec: "1", Type: lockfile.DepPeer}}}, "x", "optional"},
		{&lockfile.Package{Deps: lockfile.Deps{{Name: "y", Spec: "1", Type: lockfile.DepPeer}}}, "y", "peer"},
		{nil, "x", ""},
	}
	for _, tc := range direct {
		if got := lockfile.DirectDependency(tc.root, tc.name); got != tc.want {
			t.Errorf("DirectDependency(%s, %q) = %q, want %q", path(tc.root), tc.name, got, tc.want)
		}
	}

	if !l.RecordsInstallScripts() || !l.RecordsLicenses() || !l.RecordsPlatform() {
		t.Error("v3 lockfile should record install scripts, licenses and platform")
	}
	v1 := mustParse(t, "v1-crafted.v1.json")
	if v1.RecordsInstallScripts() || v1.RecordsLicenses() || v1.RecordsPlatform() {
		t.Error("v1 lockfile should not claim to record install scripts, licenses or platform")
	}
	if got := path(v1.Resolve("node_modules/@scope/pkg/node_modules/dep", "dep")); got != "node_modules/@scope/pkg/node_modules/dep" {
		t.Errorf("v1 Resolve(dep from itself's folder) = %s", got)
	}
	if got := path(v1.Resolve("node_modules/@scope/pkg", "dep")); got != "node_modules/@scope/pkg/node_modules/dep" {
		t.Errorf("v1 Resolve(@scope/pkg, dep) = %s, want the nested copy", got)
	}
	if got := path(v1.Resolve("node_modules/gitdep", "dep")); got != "node_modules/dep" {
		t.Errorf("v1 Resolve(gitdep, dep) = %s, want the top-level copy", got)
	}
	if got := lockfile.SourceKind(99).String(); got != "unknown" {
		t.Errorf("SourceKind(99).String() = %q", got)
	}
}

func TestWorkspaces(t *testing.T) {
	l, err := lockfile.Parse("package-lock.json", []byte(`{"lockfileVersion":3,"packages":{"":{"workspaces":["packages/*"]},"packages/a":{"name":"a"},"node_modules/a":{"resolved":"packages/a","link":true},"node_modules/x":{"version":"1.0.0"},"packages/b":{"name":"b"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range l.Workspaces() {
		got = append(got, p.Path)
	}
	if want := []string{"packages/a", "packages/b"}; !slices.Equal(got, want) {
		t.Errorf("Workspaces() = %q, want %q", got, want)
	}
}
