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
	// IntegrityRehashed: a head node shares no algorithm with the base and
	// is hashed at least as strongly (npm rewriting a sha1 entry as
	// sha512). The bytes cannot be compared offline.
	IntegrityRehashed
	// IntegrityWeakened: a head node shares no algorithm with the base and
	// its strongest hash is weaker than the base's (sha512 → sha1).
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
		if !shared {
			rel = IntegrityRehashed
			if strength(h) < strength(b) {
				rel = IntegrityWeakened
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
			alg, digest, ok := strings.Cut(tok, "-")
			if !ok {
				alg, digest = "", tok
			}
			alg = strings.ToLower(alg)
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

// strength ranks the strongest algorithm of a set of hashes; unknown
// algorithms rank lowest.
func strength(h map[string]map[string]bool) int {
	best := 0
	for alg := range h {
		switch alg {
		case "sha1":
			best = max(best, 1)
		case "sha256":
			best = max(best, 2)
		case "sha384":
			best = max(best, 3)
		case "sha512":
			best = max(best, 4)
		}
	}
	return best
}
