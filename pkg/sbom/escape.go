package sbom

import "github.com/lockreview/lockreview/pkg/markdown"

// Byte limits for untrusted fields: npm caps names at 214 characters; a
// lockfile may say anything.
const (
	limitName    = markdown.LimitName
	limitVersion = markdown.LimitVersion
	limitLicense = 200
)

// The escaping rules live in pkg/markdown, shared with pkg/report.
var (
	md        = markdown.Inline
	mdPackage = markdown.Package
	truncate  = markdown.Truncate
)
