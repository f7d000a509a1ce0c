package lockfile_test

import (
	"testing"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

func TestIsLockfilePath(t *testing.T) {
	for p, want := range map[string]bool{
		"package-lock.json":                           true,
		"npm-shrinkwrap.json":                         true,
		"packages/app/package-lock.json":              true,
		"web/ui/npm-shrinkwrap.json":                  true,
		"package.json":                                false,
		"yarn.lock":                                   false,
		"pnpm-lock.yaml":                              false,
		"node_modules/foo/package-lock.json":          false,
		"app/node_modules/foo/npm-shrinkwrap.json":    false,
		"my_node_modules/package-lock.json":           true,
		"package-lock.json.orig":                      false,
		"docs/package-lock.json/README.md":            false,
		"node_modules_backup/x/package-lock.json":     true,
		"a/b/c/d/e/f/g/h/i/j/k/l/package-lock.json":   true,
		"packages/node_modules/x/package-lock.json":   false,
		"packages/app/package-lock.JSON":              true, // the lockfile on macOS and Windows
		"packages/app/Package-Lock.json":              true,
		"Node_Modules/foo/package-lock.json":          false,
		"packages/app/npm-shrinkwrap.json.disabled":   false,
		"packages/app/.package-lock.json":             false,
		"node_modules/.package-lock.json":             false,
		"packages/node_modules/.package-lock.json":    false,
		"examples/x/node_modules/y/package-lock.json": false,
	} {
		if got := lockfile.IsLockfilePath(p); got != want {
			t.Errorf("IsLockfilePath(%q) = %v, want %v", p, got, want)
		}
	}
}
