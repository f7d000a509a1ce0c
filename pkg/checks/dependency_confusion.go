package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// publicRegistries are registry hosts anyone can publish to.
var publicRegistries = []string{"registry.npmjs.org", "registry.yarnpkg.com", "registry.npmmirror.com", "registry.npm.taobao.org", "npm.pkg.github.com"}

// DependencyConfusion reports internal package names resolved from a public registry.
//
// Motivation: dependency confusion (Birsan, 2021): when an internal package
// name is also published on the public registry, a misconfigured install takes
// the public one, with its install script. What it looks at: added and updated
// packages whose name is in the policy's internal-scopes or internal-names. It
// fires critical when such a package resolves from a public registry host, and
// medium when it records no resolved URL (the source cannot be checked).
// Remediation: pin the scope to your registry in .npmrc
// (`@acme:registry=https://…`), register the names on the public registry, and
// regenerate the lockfile.
func DependencyConfusion(in *Input) []Finding {
	cfg := in.Config
	if len(cfg.InternalScopes) == 0 && len(cfg.InternalNames) == 0 {
		return nil
	}
	const fix = "Pin the scope to your registry in .npmrc (@scope:registry=https://your-registry/), claim the name on the public registry, and regenerate the lockfile."
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if !introduced(c) || !internal(c.Name, cfg) {
			continue
		}
		for _, n := range c.After {
			if n.Link || n.Workspace {
				continue
			}
			var f Finding
			switch s := n.Source; {
			case s.Kind == lockfile.SourceMissing:
				f = finding(c, Medium, fmt.Sprintf("internal package %s records no resolved URL, so its source cannot be checked", versionText(c)), fix)
			case hostAllowed(s.Host, publicRegistries) && !hostAllowed(s.Host, internalHosts(cfg)):
				f = finding(c, Critical, fmt.Sprintf("internal package %s resolves from the public registry %s: this is how dependency confusion installs an attacker's package", versionText(c), s.Host), fix)
			default:
				continue
			}
			f.Line, f.Path = n.Line, n.Path
			out = append(out, f)
			break
		}
	}
	return out
}

// internal reports whether name is one of the organisation's, ignoring case:
// the registry keeps legacy mixed-case names, and a case-insensitive file
// system installs "@ACME/x" where "@acme/x" goes.
func internal(name string, cfg Config) bool {
	for _, s := range cfg.InternalScopes {
		scope := strings.TrimSuffix(s, "/") + "/"
		if len(name) > len(scope) && strings.EqualFold(name[:len(scope)], scope) {
			return true
		}
	}
	for _, n := range cfg.InternalNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// internalHosts are allowed hosts that are not the default public registry:
// a policy may name npm.pkg.github.com as its own registry.
func internalHosts(cfg Config) []string {
	var out []string
	for _, h := range cfg.AllowedHosts {
		if !hostAllowed(h, DefaultAllowedHosts) && !strings.EqualFold(h, "registry.yarnpkg.com") {
			out = append(out, h)
		}
	}
	return out
}
