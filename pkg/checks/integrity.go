package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// IntegrityChanged reports a name@version whose integrity hash changed.
//
// Motivation: a published npm version is immutable, so the same name@version
// can only get a new hash if the lockfile now points at other bytes: a
// tampered lockfile, a compromised mirror, or a re-published private package.
// What it looks at: the integrity of every node of a name@version present in
// both trees, compared per hash algorithm (diff.CompareIntegrity). It fires
// critical when a hash differs under an algorithm both sides use; high when
// a node keeps only a weaker algorithm than the base had (sha512 → sha1),
// which hides any change of bytes; low when it moved to an algorithm at least
// as strong (npm rewriting sha1 as sha512), which cannot be compared offline
// (an online review checks the registry's signature over the new hash). A
// side that records no integrity, or the same hashes in another order, is
// not a change. Remediation: find out why the bytes differ before merging;
// regenerate the lockfile against the public registry and compare.
func IntegrityChanged(in *Input) []Finding {
	var out []Finding
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Kind != diff.IntegrityChanged {
			continue
		}
		// The copy that changed the most is the one to show and point at:
		// another copy may be untouched.
		worst, node := diff.IntegritySame, (*lockfile.Package)(nil)
		for _, n := range c.After {
			if rel := diff.CompareIntegrity(c.Before, []*lockfile.Package{n}); rel > worst {
				worst, node = rel, n
			}
		}
		if node == nil {
			continue
		}
		before, after := integrityAt(c.Before, node.Path), node.Integrity
		b, a := shortPair(before, after)
		where := ""
		if len(c.After) > 1 {
			where = " at " + node.Path
		}
		var f Finding
		switch worst {
		case diff.IntegrityConflict:
			f = finding(c, Critical,
				fmt.Sprintf("%s@%s%s has a different integrity hash than in the base lockfile (%s → %s): the same version now points at other bytes", c.Name, c.To, where, b, a),
				"A published version never changes: find out where the new bytes come from before merging, and regenerate the lockfile against the registry.")
		case diff.IntegrityWeakened:
			f = finding(c, High,
				fmt.Sprintf("%s@%s%s is now pinned by a weaker hash than in the base lockfile (%s → %s): a change of bytes would not show", c.Name, c.To, where, b, a),
				"Restore the stronger integrity from the base, or regenerate the lockfile with a current npm, which records sha512.")
		case diff.IntegrityRehashed:
			f = finding(c, Low,
				fmt.Sprintf("%s@%s%s is now pinned by another hash algorithm (%s → %s); the bytes cannot be compared offline", c.Name, c.To, where, b, a),
				"Usually npm re-recording a sha1 entry as sha512. An online review verifies the registry's signature over the new hash.")
		default:
			continue
		}
		f.Line, f.Path = node.Line, node.Path
		f.Values = map[string]string{"before": before, "after": after}
		out = append(out, f)
	}
	return out
}

// WeakIntegrity reports new registry packages with no integrity or only sha1.
//
// Motivation: without an integrity hash npm installs whatever the URL serves;
// sha1 is broken for collision resistance. What it looks at: added and updated
// packages that come from a registry (or record no source at all). It fires
// (medium) when the integrity is missing or has no sha256/sha384/sha512 hash.
// Remediation: regenerate the lockfile with a current npm, which records
// sha512 for every registry package.
func WeakIntegrity(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(introduced) {
		// Every install path of the version counts, not only the first.
		for _, n := range c.After {
			if n.Link || n.Workspace || bundled(n) {
				continue
			}
			switch n.Source.Kind {
			case lockfile.SourceRegistry, lockfile.SourceHTTP, lockfile.SourceMissing:
			default:
				continue // git and file sources carry no registry integrity
			}
			if n.Source.Kind == lockfile.SourceMissing && n.Integrity == "" {
				continue // nothing recorded at all (e.g. npm's omit-lockfile-registry-resolved)
			}
			var msg string
			switch {
			case n.Integrity == "":
				msg = fmt.Sprintf("%s has no integrity hash: npm will install whatever %s serves", versionText(c), hostOr(n))
			case !strongHash(n.Integrity):
				msg = fmt.Sprintf("%s is pinned only by a sha1 hash (%s)", versionText(c), short(n.Integrity))
			default:
				continue
			}
			if len(c.After) > 1 {
				msg += fmt.Sprintf(" (at %s)", n.Path)
			}
			f := finding(c, Medium, msg, "Regenerate the lockfile with a current npm so it records a sha512 integrity for every registry package.")
			f.Line, f.Path = n.Line, n.Path
			out = append(out, f)
			break
		}
	}
	return out
}

func strongHash(sri string) bool {
	for _, h := range strings.Fields(sri) {
		if strings.HasPrefix(h, "sha512-") || strings.HasPrefix(h, "sha384-") || strings.HasPrefix(h, "sha256-") {
			return true
		}
	}
	return false
}

func integrities(ps []*lockfile.Package) string {
	var out []string
	seen := map[string]bool{}
	for _, p := range ps {
		if p.Integrity != "" && !seen[p.Integrity] {
			seen[p.Integrity] = true
			out = append(out, p.Integrity)
		}
	}
	return strings.Join(out, " ")
}

// integrityAt is the base integrity to compare a head copy at path with: the
// base copy at the same path, else every base copy's.
func integrityAt(base []*lockfile.Package, path string) string {
	for _, b := range base {
		if b.Path == path && b.Integrity != "" {
			return b.Integrity
		}
	}
	return integrities(base)
}

// shortPair abbreviates two different hashes for a "before → after"
// message, each long enough to show where they differ ("sha512-A…" and
// "sha512-A sha512-B…" would otherwise read the same).
func shortPair(a, b string) (string, string) {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	cut := func(s string) string {
		if end := max(20, n+8); len(s) > end+4 {
			return s[:end] + "…"
		}
		return s
	}
	return cut(a), cut(b)
}

// short abbreviates a hash for messages; the full value stays in Values.
func short(s string) string {
	if len(s) > 24 {
		return s[:20] + "…"
	}
	if s == "" {
		return "none"
	}
	return s
}

func hostOr(p *lockfile.Package) string {
	if p.Source.Host != "" {
		return p.Source.Host
	}
	return "the registry"
}
