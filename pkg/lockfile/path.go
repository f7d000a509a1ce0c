package lockfile

import (
	"path"
	"strings"
)

// IsLockfilePath reports whether a repository path is an npm lockfile that
// lockreview reviews: package-lock.json or npm-shrinkwrap.json, at the root
// or nested, in any case (macOS and Windows read "Package-Lock.json" as the
// lockfile), and never under node_modules/ (a vendored dependency's lockfile
// is not the project's: npm ignores it when installing).
func IsLockfilePath(p string) bool {
	lower := strings.ToLower(p)
	switch path.Base(lower) {
	case "package-lock.json", "npm-shrinkwrap.json":
	default:
		return false
	}
	return !strings.HasPrefix(lower, "node_modules/") && !strings.Contains(lower, "/node_modules/")
}
