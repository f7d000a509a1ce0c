// Package typosquat decides whether an npm package name is confusable with a
// popular one: a typo, a look-alike spelling, a changed separator, a dropped or
// borrowed scope, and similar tricks that typosquatting packages use.
//
// It owns the embedded list of popular npm names (popular.txt, regenerated with
// "go generate ./pkg/typosquat") and the indexes built over it. It is pure: it
// never touches the network or the file system, and it never panics on input.
//
// Every query is answered from hash indexes built once per Index, so
// Index.Nearest costs microseconds whatever the size of the list:
//   - a symmetric-delete (deletion-neighbourhood) index finds names one edit away;
//   - normalized "skeleton" maps find names that differ only by separators,
//     look-alike characters, word order, plural forms or affixes such as ".js";
//   - scope maps find "@scope/name" versus "name", "scope-name" and look-alike scopes.
package typosquat

import (
	_ "embed"
	"strings"
	"sync"
)

// Reason names the confusion rule that matched. The values are stable
// kebab-case strings used in reports and policy files.
type Reason string

// The confusion rules, in the order Index.Nearest tries them, with the limits
// that keep them from flagging legitimate names (measured in
// testdata/typosquat/README.md).
const (
	// EditDistance is one Damerau-Levenshtein step that a typing slip makes,
	// with both names at least 5 characters long: a letter doubled or typed
	// with a neighbouring key, one of a double letter dropped (any letter in
	// names of 8 or more), a letter replaced by a neighbouring key or a
	// look-alike, or two neighbours swapped. The first letter and the end of
	// a word are left alone. Two steps are allowed inside one long word of a
	// name of at least 10 characters, for the 3,000 most popular such names.
	EditDistance Reason = "edit-distance"
	// Homoglyph is a spelling that renders alike: 1/l/I, 0/o, rn/m, vv/w, and
	// Cyrillic, Greek or full-width letters that look like ASCII ones.
	Homoglyph Reason = "homoglyph"
	// Delimiter is the name with its separators ("-", "_", ".") removed,
	// like "crossenv" for "cross-env".
	Delimiter Reason = "delimiter"
	// Affix is the name with "node" before it or "js", "node" or "npm" after
	// it, with or without a separator ("noderequest", "jquery.js").
	Affix Reason = "affix"
	// TokenOrder is the words of one of the 1,000 most popular names in
	// another order ("env-cross").
	TokenOrder Reason = "token-order"
	// Plural is a plural or singular form of one of the 1,000 most popular
	// names ("chalks").
	Plural Reason = "plural"
	// ScopeConfusion is a look-alike of a popular scope ("@typos/node"), a
	// scope named after a popular package ("@async-mutex/mutex"), or one of the
	// 2,000 most popular scoped names without its scope ("types-node",
	// "typesnode" for "@types/node"; "splide" for "@splidejs/splide" in the
	// top 1,000).
	ScopeConfusion Reason = "scope-confusion"
)

// Match is the popular name that a queried name is confusable with.
type Match struct {
	// Target is the popular name, as it appears in the popular list.
	Target string
	// Reason is the rule that matched.
	Reason Reason
	// Detail says what was changed, for humans, e.g. `"lodahs" swaps two letters of "lodash"`.
	Detail string
}

// maxNameLen is npm's limit on the length of a package name; longer strings are
// not names and are rejected before any work is done.
const maxNameLen = 214

//go:generate go run ./internal/gen -out popular.txt -heldout ../../testdata/typosquat/heldout-names.txt
//go:generate go test -run ^TestEmbeddedIndex$ -update .

//go:embed popular.txt
var popularList string

// Popular returns the embedded popular names, most popular first.
func Popular() []string {
	return parseList(popularList)
}

var defaultIndex = sync.OnceValue(func() *Index {
	var opts []Option
	if d, err := readIndexFile(embeddedIndex, popularList); err == nil {
		opts = append(opts, withPrebuilt(d))
	}
	// Without a current index.bin (popular.txt regenerated, index not), the
	// index is built at start-up: correct, only slower.
	return New(Popular(), opts...)
})

// Default returns the Index over the embedded popular list. It is built on the
// first call and shared afterwards.
func Default() *Index {
	return defaultIndex()
}

// parseList returns the names in a list with one name a line; blank lines and
// lines starting with "#" are skipped.
func parseList(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		out = append(out, line)
	}
	return out
}

// Option configures New.
type Option func(*config)

type config struct {
	rules    map[Reason]bool // nil: every rule
	allow    []string
	prebuilt *[3]deletes // edits, edits2, scopeEdits from index.bin
}

// withPrebuilt uses deletion indexes read from index.bin instead of building
// them; they must have been built from the same list.
func withPrebuilt(d *[3]deletes) Option { return func(c *config) { c.prebuilt = d } }

// WithRules limits Nearest to the given rules; by default every rule runs.
func WithRules(rules ...Reason) Option {
	return func(c *config) {
		c.rules = make(map[Reason]bool, len(rules))
		for _, r := range rules {
			c.rules[r] = true
		}
	}
}

// WithAllowed adds names that are never reported, such as an organisation's own
// packages, without making them targets that other names are compared with.
func WithAllowed(names ...string) Option {
	return func(c *config) { c.allow = append(c.allow, names...) }
}

// Index answers whether a name is confusable with a popular one. It is
// immutable after New and safe for concurrent use. Default's deletion indexes
// come prebuilt from index.bin; its maps take about 15 ms to build.
type Index struct {
	names []string         // popular names, lowercased, most popular first; the position is the rank
	rank  map[string]int32 // name -> rank
	allow map[string]bool
	rules map[Reason]bool // nil: every rule
	tune  tuning

	// Unscoped popular names.
	delim  map[string][]int32 // delimiter skeleton -> ranks
	glyph  map[string][]int32 // homoglyph skeleton -> ranks
	words  map[string][]int32 // sorted words -> ranks (names of two or more words)
	plural map[string][]int32 // singular skeleton -> ranks
	edits  deletes            // deletion neighbourhoods
	edits2 deletes            // two-deletion neighbourhoods of long names

	// Scoped popular names.
	scopes     map[string]int32   // scope (without "@") -> best rank in it
	scopeList  []string           // scopes, for scopeEdits ids
	scopeEdits deletes            // two-deletion neighbourhoods of the scopes' delimiter skeletons
	scopeDelim map[string][]int32 // delimiter+homoglyph skeleton of scope -> scopeList ids
	joined     map[string][]int32 // delimiter skeleton of scope+name ("typesnode") -> ranks
	bare       map[string][]int32 // name part of "@scope/name", scopes other than @types -> ranks
}

// New builds an Index over popular, given most popular first. Names are
// compared case-insensitively; invalid and duplicate names are ignored.
func New(popular []string, opts ...Option) *Index {
	var c config
	for _, o := range opts {
		o(&c)
	}
	n := len(popular)
	ix := &Index{
		rank:   make(map[string]int32, n),
		allow:  make(map[string]bool, len(c.allow)),
		rules:  c.rules,
		tune:   defaultTuning,
		delim:  make(map[string][]int32, n),
		glyph:  make(map[string][]int32, n),
		words:  make(map[string][]int32, n/2),
		plural: make(map[string][]int32, n),
		scopes: map[string]int32{},
		joined: make(map[string][]int32, n/2),
		bare:   make(map[string][]int32, n/2),

		scopeDelim: map[string][]int32{},
	}
	for _, n := range c.allow {
		ix.allow[strings.ToLower(n)] = true
	}
	var unscoped, long []int32
	for _, n := range popular {
		n = strings.ToLower(strings.TrimSpace(n))
		if _, dup := ix.rank[n]; dup || !validName(n) {
			continue
		}
		r := int32(len(ix.names))
		ix.names = append(ix.names, n)
		ix.rank[n] = r
		scope, name := splitScope(n)
		if scope != "" {
			if _, ok := ix.scopes[scope]; !ok {
				ix.scopes[scope] = r
				id := int32(len(ix.scopeList))
				ix.scopeList = append(ix.scopeList, scope)
				addTo(ix.scopeDelim, glyphSkeleton(scope, 'l'), id)
			}
			addTo(ix.joined, delimSkeleton(scope+name), r)
			if scope != "types" {
				addTo(ix.bare, name, r)
			}
			continue
		}
		unscoped = append(unscoped, r)
		addTo(ix.delim, delimSkeleton(n), r)
		addTo(ix.glyph, glyphSkeleton(n, 'l'), r)
		if w := words(n); len(w) >= 2 {
			addTo(ix.words, sortedWords(w), r)
		}
		addTo(ix.plural, singularSkeleton(n), r)
		if len(n) >= minLongEdit && len(long) < maxLongEditTargets {
			long = append(long, r)
		}
	}
	if c.prebuilt != nil {
		ix.edits, ix.edits2, ix.scopeEdits = c.prebuilt[0], c.prebuilt[1], c.prebuilt[2]
		return ix
	}
	ix.edits = newDeletes(ix.names, unscoped, 1)
	ix.edits2 = newDeletes(ix.names, long, 2)
	skels := make([]string, len(ix.scopeList))
	ids := make([]int32, len(ix.scopeList))
	for i, s := range ix.scopeList {
		skels[i], ids[i] = delimSkeleton(s), int32(i)
	}
	ix.scopeEdits = newDeletes(skels, ids, 2)
	return ix
}

func addTo(m map[string][]int32, key string, id int32) {
	if key == "" {
		return
	}
	ids := m[key]
	for _, x := range ids {
		if x == id {
			return
		}
	}
	m[key] = append(ids, id)
}

// Len returns the number of popular names in the index.
func (ix *Index) Len() int { return len(ix.names) }

// IsPopular reports whether name is in the popular list (case-insensitively).
func (ix *Index) IsPopular(name string) bool {
	if len(name) > maxNameLen {
		return false
	}
	_, ok := ix.rank[strings.ToLower(name)]
	return ok
}

func (ix *Index) enabled(r Reason) bool { return ix.rules == nil || ix.rules[r] }
