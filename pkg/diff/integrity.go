package diff

import (
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// IntegrityRelation says how the integrity hashes of one name@version in the
// head relate to the base's.
type IntegrityRelation int

// Integrity relations, from harmless to worst.
const (
	// IntegritySame: every head hash equals a base hash of its algorithm
	// (the order of hashes and their options do not matter), or a side
	// records no integrity (unknown, not a change).
	IntegritySame IntegrityRelation = iota
	// IntegrityRehashed: the strongest hash of a head node, the one npm
	// verifies, is under an algorithm the base did not record, at least as
	// strong as the base's (npm rewriting a sha1 entry as sha512, or a
	// sha512 hash added beside the base's sha1). The bytes cannot be
	// compared offline.
	IntegrityRehashed
	// IntegrityWeakened: as IntegrityRehashed, but the head's strongest
	// hash is weaker than the base's (sha512 → sha1).
	IntegrityWeakened
	// IntegrityConflict: a head hash differs from the base's under an
	// algorithm both use: the version points at other bytes.
	IntegrityConflict
)

// CompareIntegrity compares the integrity of each head node of a
// name@version with the hashes the base's nodes record, per algorithm, and
// returns the worst relation.
func CompareIntegrity(base, head []*lockfile.Package) IntegrityRelation {
	// The common case, every head integrity written exactly as in the
	// base, needs no parsing.
	same := true
	for _, h := range head {
		if h.Integrity != "" && !slices.ContainsFunc(base, func(b *lockfile.Package) bool { return b.Integrity == h.Integrity }) {
			same = false
			break
		}
	}
	if same {
		return IntegritySame
	}
	b := hashes(base...)
	if len(b) == 0 {
		return IntegritySame
	}
	worst := IntegritySame
	for _, n := range head {
		h := hashes(n)
		if len(h) == 0 {
			if n.Integrity != "" {
				// Written, but no hash npm can read ("SHA512-…"): npm
				// checks nothing, as if the hash were gone.
				worst = max(worst, IntegrityWeakened)
			}
			continue
		}
		shared := false
		rel := IntegritySame
		for alg, ds := range h {
			bs, ok := b[alg]
			if !ok {
				continue
			}
			shared = true
			for d := range ds {
				if !bs[d] {
					rel = IntegrityConflict
				}
			}
		}
		// npm verifies only the strongest hash it knows: when the base
		// never recorded that algorithm, the hash npm checks is new, as
		// when npm rewrites a sha1 entry as sha512, even if a weaker hash
		// still matches ("sha1-<base> sha512-<new>").
		if top := strongest(h); !shared || top != "" && b[top] == nil {
			rel = max(rel, IntegrityRehashed)
			if strength(h) < strength(b) {
				rel = max(rel, IntegrityWeakened)
			}
		}
		worst = max(worst, rel)
	}
	return worst
}

// hashes parses the SRI strings of nodes ("sha512-… sha1-…", each hash
// possibly with "?options") into digests by algorithm.
func hashes(nodes ...*lockfile.Package) map[string]map[string]bool {
	var out map[string]map[string]bool
	for _, n := range nodes {
		for _, tok := range strings.Fields(n.Integrity) {
			tok, _, _ = strings.Cut(tok, "?")
			// npm's ssri reads a hash only as <lower-case letters and
			// digits>-<digest>, and ignores any other token.
			alg, digest, ok := strings.Cut(tok, "-")
			if !ok || alg == "" || digest == "" || strings.IndexFunc(alg, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }) >= 0 {
				continue
			}
			if out == nil {
				out = map[string]map[string]bool{}
			}
			if out[alg] == nil {
				out[alg] = map[string]bool{}
			}
			out[alg][digest] = true
		}
	}
	return out
}

// algorithms ranks the hash algorithms npm (ssri) prefers, weakest first;
// unknown algorithms rank lowest.
var algorithms = []string{"sha1", "sha256", "sha384", "sha512"}

// strength ranks the strongest algorithm of a set of hashes (0: none known).
func strength(h map[string]map[string]bool) int {
	best := 0
	for alg := range h {
		best = max(best, slices.Index(algorithms, alg)+1)
	}
	return best
}

// strongest returns the strongest known algorithm of a set of hashes, the
// one npm verifies, or "" when it knows none.
func strongest(h map[string]map[string]bool) string {
	if s := strength(h); s > 0 {
		return algorithms[s-1]
	}
	return ""
}
