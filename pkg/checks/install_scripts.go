package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// InstallScripts reports packages that newly run an install script.
//
// Motivation: preinstall/install/postinstall scripts run with the developer's
// or CI's rights on `npm install`; most npm malware (event-stream's payload,
// ua-parser-js, the es5-ext protestware) executes from one. What it looks at:
// the head lockfile's hasInstallScript flag. It fires (high) when a package new
// to the tree runs one, when an update moves to a version that runs one and the
// old version did not, and when the same name@version gains the flag. A
// lockfileVersion 1 base never recorded the flag, so an update from such a base
// is reported at medium (unknown before, not known-clean), and an unchanged
// version is not reported at all: a format upgrade is not a change.
// A package that newly comes from git is reported too (high): npm clones it,
// installs its devDependencies and runs its prepare script at install, and
// no lockfile records that as hasInstallScript.
// Remediation: read the script in the package's package.json for the exact
// version; if it is not needed, install with --ignore-scripts or pin the
// previous version.
func InstallScripts(in *Input) []Finding {
	head, base := in.head(), in.base()
	const fix = "Read the install script of this exact version (package.json \"scripts\") before merging; if the package works without it, install with --ignore-scripts, or keep the previous version."
	var out []Finding
	baseScripts := scriptsByVersion(base)
	for c := range in.changes(introduced) {
		metaAfter, metaBefore := in.Meta.of(c)
		has, known, text := scriptsOf(c.After, head, metaAfter)
		if !known || !has {
			if f, ok := newGitSource(c); ok {
				out = append(out, f)
			}
			continue
		}
		var f Finding
		switch c.Kind {
		case diff.Added:
			f = finding(c, High, fmt.Sprintf("%s is new to the tree and runs an install script%s", versionText(c), text), fix)
		case diff.Updated:
			had, knewBefore, beforeText := scriptsOf(c.Before, base, metaBefore)
			switch {
			case !knewBefore:
				f = finding(c, Medium, fmt.Sprintf("%s runs an install script%s (the base lockfile, version %d, did not record whether %s did)", versionText(c), text, base.Version, c.From), fix)
			case !had:
				f = finding(c, High, fmt.Sprintf("%s now runs an install script%s; %s did not", versionText(c), text, c.From), fix)
			case text != "" && beforeText != "" && text != beforeText:
				f = finding(c, Medium, fmt.Sprintf("%s changed its install script%s; %s ran%s", versionText(c), text, c.From, strings.TrimPrefix(beforeText, ":")), fix)
			default:
				continue
			}
		}
		if n := firstWith(c.After, func(p *lockfile.Package) bool { return p.HasInstallScript }); n != nil {
			f.Line, f.Path = n.Line, n.Path
		}
		if metaAfter != nil && metaAfter.Manifest != nil {
			f.Values = metaAfter.Manifest.InstallScripts()
		}
		out = append(out, f)
	}
	// The same name@version gaining the flag: the tarball cannot have changed
	// on the registry, so either the lockfile was edited or it now points at
	// other code.
	if base.RecordsInstallScripts() {
		seen := map[string]bool{}
		for _, p := range head.Packages {
			key := p.Name + "@" + p.Version
			had, known := baseScripts[key]
			if !p.HasInstallScript || !known || had || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Finding{
				Severity: High, Package: p.Name, Version: p.Version, Line: p.Line, Path: p.Path,
				Message:     fmt.Sprintf("%s %s is marked as running an install script, but the base lockfile recorded none for the same version", p.Name, p.Version),
				Remediation: "The same version cannot gain a script on the registry: check whether resolved or integrity were edited, and regenerate the lockfile from the registry.",
			})
		}
	}
	return out
}

// newGitSource reports an added or updated package installed from git that
// did not come from git before: npm runs its prepare script (after
// installing its devDependencies) when it packs the clone, code that runs at
// install like an install script.
func newGitSource(c *diff.Change) (Finding, bool) {
	isGit := func(p *lockfile.Package) bool { return p.Source.Kind == lockfile.SourceGit && !p.Link && !p.Workspace }
	n := firstWith(c.After, isGit)
	if n == nil || firstWith(c.Before, isGit) != nil {
		return Finding{}, false
	}
	f := finding(c, High, fmt.Sprintf("%s is installed from git (%s): npm clones it, installs its devDependencies and runs its prepare script at install, whatever hasInstallScript says", versionText(c), n.Source.URL),
		"Read the repository's package.json scripts (prepare, and any install scripts) at the pinned commit before merging, or depend on a registry release instead.")
	f.Line, f.Path = n.Line, n.Path
	f.Values = map[string]string{"resolved": n.Source.URL}
	return f, true
}

// scriptsOf says whether the nodes of one version run an install script,
// whether that is known, and the scripts as message text (": postinstall
// `node install.js`") when the registry manifest is available. The manifest
// is authoritative (it also knows lockfileVersion 1 packages and gypfile
// builds); the lockfile's hasInstallScript is used without it.
func scriptsOf(nodes []*lockfile.Package, l *lockfile.Lockfile, meta *VersionMeta) (has, known bool, text string) {
	flag := firstWith(nodes, func(p *lockfile.Package) bool { return p.HasInstallScript }) != nil
	if meta != nil && meta.Manifest != nil {
		scripts := meta.Manifest.InstallScripts()
		return len(scripts) > 0 || flag, true, scriptText(scripts)
	}
	return flag, l.RecordsInstallScripts(), ""
}

// scriptText renders scripts for a message, in npm's run order.
func scriptText(scripts map[string]string) string {
	var parts []string
	for _, k := range []string{"preinstall", "install", "postinstall", "prepare"} {
		if s, ok := scripts[k]; ok {
			if len(s) > 200 {
				s = s[:200] + "…"
			}
			parts = append(parts, fmt.Sprintf("%s `%s`", k, s))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// scriptsByVersion maps name@version to whether any node of it runs an install script.
func scriptsByVersion(l *lockfile.Lockfile) map[string]bool {
	m := make(map[string]bool, len(l.Packages))
	for _, p := range l.Packages {
		key := p.Name + "@" + p.Version
		m[key] = m[key] || p.HasInstallScript
	}
	return m
}

func firstWith(ps []*lockfile.Package, f func(*lockfile.Package) bool) *lockfile.Package {
	for _, p := range ps {
		if f(p) {
			return p
		}
	}
	return nil
}
