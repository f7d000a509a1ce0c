package webhook

import (
	"path"
	"strings"
)

// IsLockfile reports whether a repository path is an npm lockfile lockreview
// reviews: package-lock.json or npm-shrinkwrap.json, at the root or nested,
// never under node_modules/ (a vendored dependency's lockfile is not the
// project's: npm ignores it when installing).
func IsLockfile(p string) bool {
	switch path.Base(p) {
	case "package-lock.json", "npm-shrinkwrap.json":
	default:
		return false
	}
	return !strings.HasPrefix(p, "node_modules/") && !strings.Contains(p, "/node_modules/")
}
