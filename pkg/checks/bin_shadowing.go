package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// systemCommands are commands that npm scripts and install scripts run by
// name and expect from the system or the runtime, mapped to the packages
// that legitimately provide them (a name ending in "/" is a scope whose
// packages do: @pnpm/exe and its platform packages; nil when none does). npm puts every
// node_modules/.bin folder above the package first on PATH when it runs a
// script, so a package that installs a command of that name runs in their
// place.
var systemCommands = map[string][]string{
	"node": {"node"}, "nodejs": nil, "npm": {"npm"}, "npx": {"npm", "npx"},
	"yarn": {"yarn", "corepack", "@yarnpkg/"}, "yarnpkg": {"yarn", "corepack", "@yarnpkg/"},
	"pnpm": {"pnpm", "corepack", "@pnpm/"}, "pnpx": {"pnpm", "corepack", "@pnpm/"}, "corepack": {"corepack"},
	"bun": {"bun", "@oven/"}, "bunx": {"bun", "@oven/"}, "deno": {"deno"},
	"git": nil, "sh": nil, "bash": nil, "zsh": nil, "dash": nil, "env": nil,
	"sudo": nil, "su": nil, "ssh": nil, "scp": nil, "curl": nil, "wget": nil,
	"python": nil, "python3": nil, "pip": nil, "pip3": nil,
	"make": nil, "cc": nil, "gcc": nil, "g++": nil, "clang": nil,
	"docker": nil, "kubectl": nil, "tar": nil, "gzip": nil, "unzip": nil,
	"rm": nil, "cp": nil, "mv": nil, "ls": nil, "cat": nil, "chmod": nil,
	"find": nil, "grep": nil, "sed": nil, "awk": nil, "xargs": nil,
	"which": {"which"},
}

// BinShadowing reports packages that newly install a command named like a
// system or runtime command.
//
// Motivation: npm runs scripts (the project's, and every package's install
// scripts) with node_modules/.bin first on PATH, so a dependency that
// declares a bin named "node", "git" or "sh" runs instead of the real one
// whenever a script calls it by name: a payload that needs no install
// script of its own. What it looks at: the `bin` of every added or updated
// package (lockfileVersion 2 and 3 record it), the command names the base
// version did not have. It fires high for a command in a fixed list of
// system and runtime commands (node, npm, npx, yarn, git, sh, bash, curl,
// python, make, rm, …) unless the package is that command's own (npm's npx,
// yarn's yarn), and when the same name@version gains one (an edited
// lockfile); medium for an update from a lockfileVersion 1 base, which
// never recorded bins. Remediation: find out why the package provides that
// command; remove it or pin the previous version.
func BinShadowing(in *Input) []Finding {
	head, base := in.head(), in.base()
	if !head.RecordsBins() || !slices.ContainsFunc(head.Packages, func(p *lockfile.Package) bool { return len(shadows(p)) > 0 }) {
		return nil // the usual case: one scan, nothing allocated
	}
	var out []Finding
	for c := range in.changes(introduced) {
		var node *lockfile.Package
		var cmds []string
		for _, n := range c.After {
			for _, cmd := range shadows(n) {
				if !slices.Contains(cmds, cmd) && !slices.ContainsFunc(c.Before, func(b *lockfile.Package) bool { return slices.Contains(b.Bin, cmd) }) {
					if node == nil {
						node = n
					}
					cmds = append(cmds, cmd)
				}
			}
		}
		if node == nil {
			continue
		}
		f := finding(c, High, fmt.Sprintf("%s installs the command%s %s into node_modules/.bin, where it runs instead of the system's whenever an npm script or install script calls it by name",
			versionText(c), plural(len(cmds)), quoteList(cmds)),
			"A library has no reason to provide a command named like a system or runtime tool: find out why, and remove the package or keep the previous version.")
		if len(c.Before) > 0 && !base.RecordsBins() {
			// A lockfileVersion 1 base never recorded bins: the old
			// version may have had the command too.
			f.Severity = Medium
			f.Message += fmt.Sprintf(" (the base lockfile, version %d, did not record whether %s did)", base.Version, c.From)
		}
		f.Line, f.Path = node.Line, node.Path
		f.Values = map[string]string{"commands": strings.Join(cmds, " ")}
		out = append(out, f)
	}
	// The same name@version gaining such a command: the registry's tarball
	// cannot have changed, so the lockfile was edited.
	if !base.RecordsBins() {
		return out
	}
	var baseBins map[string][]string // name@version → the commands of its copies, built on first need
	seen := map[string]bool{}
	for _, p := range head.Packages {
		cmds := shadows(p)
		key := p.Name + "@" + p.Version
		if len(cmds) == 0 || seen[key] {
			continue
		}
		seen[key] = true
		if baseBins == nil {
			baseBins = map[string][]string{}
			for _, b := range base.Packages {
				k := b.Name + "@" + b.Version
				if cur, ok := baseBins[k]; ok {
					baseBins[k] = append(cur, b.Bin...) // owned since the first copy
				} else {
					baseBins[k] = slices.Clone(b.Bin) // never append to b.Bin itself
				}
			}
		}
		before, known := baseBins[key]
		cmds = slices.DeleteFunc(cmds, func(cmd string) bool { return slices.Contains(before, cmd) })
		if !known || len(cmds) == 0 {
			continue
		}
		out = append(out, Finding{
			Severity: High, Package: p.Name, Version: p.Version, Line: p.Line, Path: p.Path,
			Message:     fmt.Sprintf("%s %s is marked as installing the command%s %s, which the base lockfile did not record for the same version", p.Name, p.Version, plural(len(cmds)), quoteList(cmds)),
			Remediation: "The same version cannot gain a command on the registry: the lockfile was edited. Regenerate it from the registry and find out who changed it.",
			Values:      map[string]string{"commands": strings.Join(cmds, " ")},
		})
	}
	return out
}

// shadows returns the commands p installs that are named like a system or
// runtime command p is not the owner of.
func shadows(p *lockfile.Package) []string {
	var out []string
	for _, cmd := range p.Bin {
		if owners, system := systemCommands[strings.ToLower(cmd)]; system && !slices.ContainsFunc(owners, func(o string) bool {
			return o == p.Name || strings.HasSuffix(o, "/") && strings.HasPrefix(p.Name, o)
		}) {
			out = append(out, cmd)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
