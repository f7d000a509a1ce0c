package provenance

import (
	"fmt"
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Subject is the package version an attestation or signature must be about,
// as the lockfile records it.
type Subject struct {
	// Name is the npm package name, scope included ("@npmcli/arborist"):
	// the registry name, not the alias a lockfile may install it under.
	Name string
	// Version is the exact version ("1.0.0").
	Version string
	// Integrity is the lockfile's SRI integrity ("sha512-<base64>", possibly
	// several space-separated hashes). It must carry a sha512 hash: that is
	// what binds the attestation to the bytes the lockfile installs.
	Integrity string
	// Repository is optional: the package's repository URL from its
	// manifest. When set, the signing certificate's source repository must
	// be the same repository (URLs are normalized first, so
	// "git+https://github.com/o/r.git" equals "https://github.com/o/r").
	Repository string
}

func (s Subject) String() string { return s.Name + "@" + s.Version }

type packageURL = packageurl.PackageURL

// purl returns the package URL npm puts in attestation subjects:
// "pkg:npm/<name>@<version>", the scope's "@" encoded as "%40".
func (s Subject) purl() (packageurl.PackageURL, error) {
	if s.Name == "" || s.Version == "" {
		return packageurl.PackageURL{}, fmt.Errorf("%w: want a package name and version, got %q", ErrSubjectMismatch, s.String())
	}
	namespace, name := "", s.Name
	if strings.HasPrefix(s.Name, "@") {
		var ok bool
		namespace, name, ok = strings.Cut(s.Name, "/")
		if !ok || name == "" || len(namespace) < 2 {
			return packageurl.PackageURL{}, fmt.Errorf("%w: malformed scoped package name %q", ErrSubjectMismatch, s.Name)
		}
	}
	p := packageurl.NewPackageURL(packageurl.TypeNPM, namespace, name, s.Version, nil, "")
	if err := p.Normalize(); err != nil {
		return packageurl.PackageURL{}, fmt.Errorf("%w: package %q: %w", ErrSubjectMismatch, s.String(), err)
	}
	return *p, nil
}

// samePackage reports whether the statement subject name (a purl string)
// names the package version want does. Both are compared as parsed package
// URLs, so "pkg:npm/%40scope/x@1.0.0" and "pkg:npm/@scope/x@1.0.0" are the
// same; qualifiers and subpaths are not allowed.
func samePackage(subjectName string, want packageurl.PackageURL) bool {
	got, err := packageurl.FromString(subjectName)
	if err != nil {
		return false
	}
	return got.Type == want.Type &&
		got.Namespace == want.Namespace &&
		got.Name == want.Name &&
		got.Version == want.Version &&
		len(got.Qualifiers) == 0 &&
		got.Subpath == ""
}
