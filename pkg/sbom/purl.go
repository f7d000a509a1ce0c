package sbom

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// PURL returns the package URL of an npm package version:
// "pkg:npm/%40scope/name@1.2.3". It is built with packageurl-go, which
// percent-encodes every segment, so a hostile name cannot smuggle a
// qualifier, a subpath or a second path segment into it.
//
// The npm purl type is case-insensitive in namespace and name and its
// canonical form is lower case (purl-spec types/npm-definition.json); the
// few legacy packages with capitals ("JSONStream") are lower-cased. npm's
// own `npm sbom` keeps the capitals; see the package doc.
func PURL(name, version string) string {
	return purl(name, version, "")
}

// purl is PURL with a vcs_url qualifier for git dependencies, as the purl
// spec's npm example and `npm sbom` write it.
func purl(name, version, vcsURL string) string {
	ns, n := splitName(name)
	var q packageurl.Qualifiers
	if vcsURL != "" {
		q = packageurl.Qualifiers{{Key: "vcs_url", Value: vcsURL}}
	}
	p := packageurl.NewPackageURL(packageurl.TypeNPM, strings.ToLower(ns), strings.ToLower(n), version, q, "")
	return p.ToString()
}

// splitName splits "@scope/name" into its scope ("@scope", the purl
// namespace and the CycloneDX group) and name. Any other name has no scope;
// a "/" left in it is percent-encoded by the purl library.
func splitName(name string) (scope, base string) {
	if strings.HasPrefix(name, "@") {
		if i := strings.IndexByte(name, '/'); i > 1 && i < len(name)-1 {
			return name[:i], name[i+1:]
		}
	}
	return "", name
}

// joinName is the inverse of splitName: CycloneDX group and name back to the
// npm package name.
func joinName(group, name string) string {
	if group == "" {
		return name
	}
	return group + "/" + name
}
