package report

import "github.com/lockreview/lockreview/pkg/markdown"

// Byte limits for untrusted fields. npm caps names at 214 characters; a
// lockfile may say anything, so every field is cut before it can crowd the
// findings out of a size-limited comment.
const (
	limitName        = markdown.LimitName
	limitVersion     = markdown.LimitVersion
	limitPath        = 300
	limitMessage     = 1500
	limitRemediation = 800
	limitReason      = 500
	limitProblem     = 2000
)

// The escaping rules live in pkg/markdown, shared with pkg/sbom.
var (
	clean         = markdown.Clean
	cleanBlock    = markdown.CleanBlock
	truncate      = markdown.Truncate
	md            = markdown.Inline
	mdPackageLink = markdown.PackageLink
	plain         = markdown.Plain
)
