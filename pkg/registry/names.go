package registry

import (
	"fmt"
	"strings"
)

// maxNameLen is npm's limit on package names (validate-npm-package-name).
const maxNameLen = 214

// maxVersionLen bounds a version string; semver sets no limit and npm's
// node-semver refuses versions longer than 256 characters.
const maxVersionLen = 256

// validateName checks name against npm's package-name rules, loosened to
// accept the names that older packages still carry (capital letters and
// ~'!()*), and tightened to refuse anything that could change the path of a
// request: the name becomes a path segment of a URL to the configured
// registry, so it may hold only characters that encodeURIComponent leaves
// alone, at most one "/" (after an "@scope"), no part starting with ".",
// and no "..".
//
// Package-name rules: https://github.com/npm/validate-npm-package-name
func validateName(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("package name %q: %w", name, ErrInvalidSpec)
	}
	parts := []string{name}
	if strings.HasPrefix(name, "@") {
		scope, pkg, ok := strings.Cut(name[1:], "/")
		if !ok {
			return fmt.Errorf("package name %q: scoped name without /: %w", name, ErrInvalidSpec)
		}
		parts = []string{scope, pkg}
	}
	for _, p := range parts {
		if p == "" || p[0] == '.' || strings.Contains(p, "..") {
			return fmt.Errorf("package name %q: %w", name, ErrInvalidSpec)
		}
		for i := 0; i < len(p); i++ {
			if !nameChar(p[i]) {
				return fmt.Errorf("package name %q: character %q: %w", name, p[i], ErrInvalidSpec)
			}
		}
	}
	return nil
}

// nameChar reports the characters encodeURIComponent leaves unescaped, the
// set npm allows in a name (or part of a scoped name).
func nameChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", b) >= 0
}

// validateVersion accepts the characters of a semver version (and "_", "~"
// for old loose versions) and nothing that could leave the path segment.
func validateVersion(version string) error {
	if version == "" || len(version) > maxVersionLen || version[0] == '.' || strings.Contains(version, "..") {
		return fmt.Errorf("version %q: %w", version, ErrInvalidSpec)
	}
	for i := 0; i < len(version); i++ {
		b := version[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte(".-+_~", b) >= 0) {
			return fmt.Errorf("version %q: character %q: %w", version, b, ErrInvalidSpec)
		}
	}
	return nil
}

// escapeName returns name as the registry expects it in a path: a scoped
// name's "/" becomes "%2f" (lower case, as npm-package-arg's escapedName and
// the registry's own dist.attestations.url write it). Every other character
// of a valid name is URL-safe.
func escapeName(name string) string {
	return strings.Replace(name, "/", "%2f", 1)
}

// The paths below are relative to the base URL, which may carry a prefix
// (Artifactory: /artifactory/api/npm/npm-remote).

// manifestPath is GET /{package}/{version}.
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#getpackageversion
func manifestPath(name, version string) string {
	return "/" + escapeName(name) + "/" + version
}

// packumentPath is GET /{package}.
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#getpackage
func packumentPath(name string) string {
	return "/" + escapeName(name)
}

// attestationsPath is GET /-/npm/v1/attestations/{package}@{version}, with
// a scoped name written @scope%2fname. That is the form the registry puts in
// dist.attestations.url (for example
// https://registry.npmjs.org/-/npm/v1/attestations/@sigstore%2fcore@4.0.1);
// pacote fetches the path of that URL from the configured registry, and
// npm-package-arg's escapedName is the same encoding.
// https://docs.npmjs.com/generating-provenance-statements
func attestationsPath(name, version string) string {
	return "/-/npm/v1/attestations/" + escapeName(name) + "@" + version
}

// keysPath is GET /-/npm/v1/keys, the registry's ECDSA signing keys.
// https://docs.npmjs.com/about-registry-signatures
const keysPath = "/-/npm/v1/keys"
