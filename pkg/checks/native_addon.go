package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// nativeBuilders are dependencies that build or download native code at
// install time.
var nativeBuilders = map[string]string{
	"node-gyp":             "builds a native addon with node-gyp",
	"node-gyp-build":       "loads or builds a prebuilt native addon (node-gyp-build)",
	"node-addon-api":       "is a native addon (node-addon-api)",
	"nan":                  "is a native addon (nan)",
	"prebuild-install":     "downloads a prebuilt native binary at install time (prebuild-install)",
	"bindings":             "loads a native addon (bindings)",
	"@mapbox/node-pre-gyp": "downloads a prebuilt native binary at install time (@mapbox/node-pre-gyp)",
	"node-pre-gyp":         "downloads a prebuilt native binary at install time (node-pre-gyp)",
	"cmake-js":             "builds a native addon with cmake-js",
	"napi-build-utils":     "builds a native addon (napi-build-utils)",
}

// NativeAddons reports packages that newly carry native code.
//
// Motivation: native code escapes the JavaScript sandbox tooling reviewers
// rely on, often downloads binaries at install time, and cannot be read in a
// diff. What it looks at: the dependencies of added and updated packages, and
// their os/cpu fields. It fires low when a package newly depends on a native
// build or download helper (node-gyp, node-gyp-build, node-addon-api, nan,
// prebuild-install, bindings, @mapbox/node-pre-gyp, …), and info when a new
// package is a platform-specific binary (os/cpu limited, like esbuild's
// @esbuild/linux-x64). Remediation: check where the binary comes from (a
// prebuilt download names its host in the package's install script) and that
// the package is expected to be native.
func NativeAddons(in *Input) []Finding {
	var out []Finding
	var platformOnly []*diff.Change
	for c := range in.changes(introduced) {
		n := c.Node()
		if n == nil {
			continue
		}
		var reasons []string
		for _, dep := range nativeDeps(n) {
			if c.Kind == diff.Updated && len(c.Before) > 0 && hasDep(c.Before[0], dep) {
				continue
			}
			reasons = append(reasons, nativeBuilders[dep])
		}
		if len(reasons) > 0 {
			f := finding(c, Low, fmt.Sprintf("%s %s", versionText(c), strings.Join(reasons, "; ")),
				"Check that this package is expected to ship native code and where its binaries come from.")
			out = append(out, f)
			continue
		}
		if len(n.OS) > 0 || len(n.CPU) > 0 {
			if c.Kind == diff.Updated && len(c.Before) > 0 && (len(c.Before[0].OS) > 0 || len(c.Before[0].CPU) > 0) {
				continue
			}
			if in.head().RecordsPlatform() {
				platformOnly = append(platformOnly, c)
			}
		}
	}
	return append(out, platformPackages(in.head(), platformOnly)...)
}

// platformPackages reports new platform-specific binary packages, one finding
// per package that pulls them in (esbuild's 23 @esbuild/* packages are one
// finding, not 23).
func platformPackages(head *lockfile.Lockfile, cs []*diff.Change) []Finding {
	const fix = "Expected for packages like esbuild or swc; make sure the parent package is one you meant to add."
	if len(cs) == 0 {
		return nil
	}
	byParent := map[*lockfile.Package][]*diff.Change{}
	var parents []*lockfile.Package
	var out []Finding
	for _, c := range cs {
		n := c.Node()
		parent := requirer(head, n)
		if parent == nil {
			out = append(out, finding(c, Info, fmt.Sprintf("%s is a platform-specific package (%s): it ships a prebuilt binary", versionText(c), platform(n)), fix))
			continue
		}
		if byParent[parent] == nil {
			parents = append(parents, parent)
		}
		byParent[parent] = append(byParent[parent], c)
	}
	for _, parent := range parents {
		group := byParent[parent]
		first := group[0]
		if len(group) == 1 {
			out = append(out, finding(first, Info, fmt.Sprintf("%s is a platform-specific package (%s) of %s: it ships a prebuilt binary", versionText(first), platform(first.Node()), parent.Name), fix))
			continue
		}
		var names []string
		for i, c := range group {
			if i == 4 {
				names = append(names, fmt.Sprintf("and %d more", len(group)-4))
				break
			}
			names = append(names, c.Name)
		}
		out = append(out, Finding{
			Severity: Info, Package: parent.Name, Version: parent.Version, Line: parent.Line, Path: parent.Path,
			Message:     fmt.Sprintf("%s %s brings %d platform-specific binary packages (%s); npm installs only the one for the machine's os/cpu", parent.Name, parent.Version, len(group), strings.Join(names, ", ")),
			Remediation: fix,
			Values:      map[string]string{"count": fmt.Sprint(len(group))},
		})
	}
	return out
}

// requirer returns the first node (by path) whose dependencies resolve to n.
func requirer(l *lockfile.Lockfile, n *lockfile.Package) *lockfile.Package {
	for _, p := range l.Packages {
		if !hasDep(p, n.Name) {
			continue
		}
		if l.Resolve(p.Path, n.Name) == n {
			return p
		}
	}
	return nil
}

func nativeDeps(p *lockfile.Package) []string {
	var out []string
	for dep := range nativeBuilders {
		if hasDep(p, dep) {
			out = append(out, dep)
		}
	}
	sort.Strings(out)
	return out
}

func hasDep(p *lockfile.Package, name string) bool {
	return p.Deps.Has(name, lockfile.DepProd|lockfile.DepOptional)
}

func platform(p *lockfile.Package) string {
	var parts []string
	if len(p.OS) > 0 {
		parts = append(parts, "os: "+strings.Join(p.OS, ", "))
	}
	if len(p.CPU) > 0 {
		parts = append(parts, "cpu: "+strings.Join(p.CPU, ", "))
	}
	return strings.Join(parts, "; ")
}
