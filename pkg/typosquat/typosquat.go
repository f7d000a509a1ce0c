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
	"slices"
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
	// Transposition is the letters of a popular name, separators ignored,
	// with two neighbours swapped or one letter moved two places ("dhkey"
	// for "hdkey", "degbu" for "debug", "bitcionjslib" for "bitcoinjs-lib"),
	// for any popular name of at least 4 letters (5 for a moved letter).
	// Fingers that hit the right keys in the wrong order make it, and
	// legitimate names rarely do, so it reaches the whole popular list; but
	// not English words ("alert" for "alter", see Words).
	Transposition Reason = "transposition"
	// NearEdit is any other single Damerau-Levenshtein step (an insertion,
	// deletion, substitution or swap anywhere) from one of the more popular
	// names, both at least 4 characters long. Real typosquat campaigns use
	// such edits ("bunfer-xor", "saync", "epress") but so do many legitimate
	// names, so pkg/checks reports it as a weak signal. In a one-word name a
	// replaced letter must be a slip or a misspelling (a neighbouring key on
	// a QWERTY, QWERTZ or AZERTY keyboard, a look-alike, or the same sound:
	// "asinc", "jquerz"), not any letter ("bormat" for "format"), and no
	// letter of a four-letter name is replaced ("cmon" for "cron"), and no
	// separator is put for a letter or a separator, nor a digit for a
	// separator ("png.js", "async-it", "ansi2html"). English
	// words ("cork" for "cors") are left alone (see Words), and so is a name
	// whose changed word, of 3 letters or more, is an English word
	// ("data-format" for "date-format", "test-util" for "jest-util"), unless
	// it is the British spelling of the target's ("colour-string").
	NearEdit Reason = "near-edit"
	// ScopeDropped is the name part of any other popular scoped package,
	// without its scope ("core-auth" for "@azure/core-auth"), as the 2022
	// campaign against Azure's packages used. Many scoped packages share a
	// generic name part with unrelated packages, so pkg/checks reports it
	// as a weak signal, and leaves English words ("database") alone.
	ScopeDropped Reason = "scope-dropped"
	// Homoglyph is a spelling that renders alike: 1/l/I, 0/o, rn/m, vv/w, and
	// Cyrillic, Greek or full-width letters that look like ASCII ones.
	Homoglyph Reason = "homoglyph"
	// Delimiter is the name with its separators ("-", "_", ".") removed,
	// like "crossenv" for "cross-env".
	Delimiter Reason = "delimiter"
	// Affix is the name with "node" before it or "js", "node" or "npm" after
	// it, with or without a separator ("noderequest", "jquery.js"); or one
	// of the 5,000 most popular names with "cli" after it ("axios-cli",
	// "axioscli"; not for a name that already says "cli"), "-lib" after it
	// or "lib-" before it ("axios-lib", "lib-axios"), or one digit after it
	// ("lodash2", "axios-2"; names of at least 5 characters, and not when a
	// popular or established name already numbers it, as "eventemitter2").
	Affix Reason = "affix"
	// TokenOrder is the words of one of the 1,000 most popular names in
	// another order ("env-cross").
	TokenOrder Reason = "token-order"
	// Plural is a plural or singular form of one of the 1,000 most popular
	// names ("chalks", "require-port" for "requires-port"), with the same
	// separators ("http_error" for "http-errors" is two changes).
	Plural Reason = "plural"
	// ScopeConfusion is a look-alike of a popular scope ("@typos/node"), or one of the
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

//go:generate go run ./internal/gen -out popular.txt -established established.txt -established-top 40000 -heldout ../../testdata/typosquat/heldout-names.txt -heldout-from 40000 -heldout-to 60000 -sample ../../testdata/typosquat/random-names.txt -sample-n 20000 -sample-seed 1
//go:generate go test -run ^TestEmbeddedIndex$ -update .
//go:generate go test -run ^TestDictionaryWords$ -update .

//go:embed popular.txt
var popularList string

//go:embed established.txt
var establishedList string

// wordsList holds the English words (word-list@4.1.0, MIT) that the
// near-edit, scope-dropped or transposition rule would otherwise flag, as a
// name or as a word of one; see Words.
//
//go:embed words.txt
var wordsList string

// Words returns the embedded dictionary words that the rules near-edit,
// scope-dropped and transposition never flag: "cork" is one edit from
// "cors", "database" the name part of "@firebase/database", "alert" "alter"
// with a letter moved, but a plain English word is far more often a name of
// its own than a typing slip. Near-edit also leaves a name alone whose
// changed word is one of them ("data" in "data-format", one edit from
// "date-format"): another word names another thing. The other rules still
// apply to them (an extra or neighbouring-key letter, as "sparkies" for
// "sparkles").
func Words() []string {
	return parseList(wordsList)
}

// Established returns the embedded established names: the 35,119 most
// depended-upon npm packages that are not in the popular list. Default never
// flags them; they are not targets.
func Established() []string {
	return parseList(establishedList)
}

// Popular returns the embedded popular names, most popular first.
func Popular() []string {
	return parseList(popularList)
}

var defaultIndex = sync.OnceValue(func() *Index {
	opts := []Option{withEstablished(Established()), withWords(Words())}
	if d, err := readIndexFile(embeddedIndex, popularList+establishedList); err == nil {
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
	out := make([]string, 0, strings.Count(s, "\n")+1)
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
	prebuilt *prebuilt // every hash index, from index.bin
	// established names are never flagged (and are not targets).
	established []string
	// words are never flagged by near-edit, scope-dropped or transposition,
	// nor by near-edit as the changed word of a name.
	words []string
}

// withEstablished marks names that are never flagged, as WithAllowed does,
// kept in a hash index (prebuilt for Default) instead of a map.
func withEstablished(names []string) Option { return func(c *config) { c.established = names } }

// withWords gives the dictionary words that near-edit, scope-dropped and
// transposition leave alone, sorted.
func withWords(words []string) Option { return func(c *config) { c.words = words } }

// withPrebuilt uses deletion indexes read from index.bin instead of building
// them; they must have been built from the same list.
func withPrebuilt(d *prebuilt) Option { return func(c *config) { c.prebuilt = d } }

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
// immutable after New and safe for concurrent use. Default's indexes come
// prebuilt from index.bin and are read in place, so it costs a few
// milliseconds; New over 17,000 names builds them in about 50 ms.
type Index struct {
	names []string // popular names, lowercased, most popular first; the position is the rank
	rank  keyed    // name -> rank
	allow map[string]bool
	rules map[Reason]bool // nil: every rule
	tune  tuning

	// Unscoped popular names.
	delim   keyed   // delimiter skeleton -> ranks
	glyph   keyed   // homoglyph skeleton -> ranks
	words   keyed   // sorted words -> ranks (names of two or more words)
	plural  keyed   // singular skeleton -> ranks
	edits   deletes // deletion neighbourhoods
	edits2  deletes // two-deletion neighbourhoods of long names
	anagram keyed   // sorted letters of the delimiter skeleton -> ranks

	// Scoped popular names.
	scopes     map[string]int32 // scope (without "@") -> best rank in it
	scopeList  []string         // scopes, for scopeEdits and scopeDelim ids
	scopeEdits deletes          // two-deletion neighbourhoods of the scopes' delimiter skeletons
	scopeDelim keyed            // homoglyph skeleton of scope -> scopeList ids
	joined     keyed            // delimiter skeleton of scope+name ("typesnode") -> ranks
	bare       keyed            // name part of "@scope/name", scopes other than @types -> ranks

	// dictWords are never flagged by near-edit, scope-dropped or
	// transposition; sorted.
	dictWords []string

	// Established names: never flagged.
	establishedNames []string
	estab            keyed // name -> index in establishedNames
}

// prebuilt holds every hash index of an Index, in index.bin's order.
type prebuilt [13]deletes

// parts returns pointers to ix's indexes in index.bin's order.
func (ix *Index) parts() [13]*deletes {
	return [13]*deletes{&ix.estab.d, &ix.edits, &ix.edits2, &ix.scopeEdits, &ix.rank.d, &ix.delim.d, &ix.glyph.d,
		&ix.words.d, &ix.plural.d, &ix.joined.d, &ix.bare.d, &ix.scopeDelim.d, &ix.anagram.d}
}

// New builds an Index over popular, given most popular first. Names are
// compared case-insensitively; invalid and duplicate names are ignored.
func New(popular []string, opts ...Option) *Index {
	var c config
	for _, o := range opts {
		o(&c)
	}
	ix := &Index{
		allow:  make(map[string]bool, len(c.allow)),
		rules:  c.rules,
		tune:   defaultTuning,
		scopes: map[string]int32{},
	}
	for _, n := range c.allow {
		ix.allow[strings.ToLower(n)] = true
	}
	ix.establishedNames = c.established
	ix.dictWords = c.words
	ix.keyFuncs()
	// With prebuilt indexes only the names and the scope list are needed;
	// TestEmbeddedIndex checks that the embedded list has no invalid or
	// duplicate names, so this loop reproduces the ranks they were built with.
	var seen map[string]bool
	if c.prebuilt == nil {
		seen = make(map[string]bool, len(popular))
	}
	var unscoped, long, scoped []int32
	for _, n := range popular {
		n = strings.ToLower(strings.TrimSpace(n))
		if seen != nil {
			if seen[n] || !validName(n) {
				continue
			}
			seen[n] = true
		}
		r := int32(len(ix.names))
		ix.names = append(ix.names, n)
		if scope, _ := splitScope(n); scope != "" {
			if _, ok := ix.scopes[scope]; !ok {
				ix.scopes[scope] = r
				ix.scopeList = append(ix.scopeList, scope)
			}
			scoped = append(scoped, r)
			continue
		}
		unscoped = append(unscoped, r)
		if len(n) >= minLongEdit && len(long) < maxLongEditTargets {
			long = append(long, r)
		}
	}
	if c.prebuilt != nil {
		for i, p := range ix.parts() {
			*p = c.prebuilt[i]
		}
		return ix
	}

	all := make([]int32, len(ix.names))
	for i := range all {
		all[i] = int32(i)
	}
	estabIDs := make([]int32, len(ix.establishedNames))
	for i := range estabIDs {
		estabIDs[i] = int32(i)
	}
	ix.estab = ix.build(ix.estab, estabIDs)
	ix.rank = ix.build(ix.rank, all)
	ix.delim = ix.build(ix.delim, unscoped)
	ix.glyph = ix.build(ix.glyph, unscoped)
	ix.words = ix.build(ix.words, unscoped)
	ix.plural = ix.build(ix.plural, unscoped)
	ix.anagram = ix.build(ix.anagram, unscoped)
	ix.joined = ix.build(ix.joined, scoped)
	var bare []int32
	for _, r := range scoped {
		if scope, _ := splitScope(ix.names[r]); scope != "types" {
			bare = append(bare, r)
		}
	}
	ix.bare = ix.build(ix.bare, bare)
	scopeIDs := make([]int32, len(ix.scopeList))
	skels := make([]string, len(ix.scopeList))
	for i, sc := range ix.scopeList {
		scopeIDs[i], skels[i] = int32(i), delimSkeleton(sc)
	}
	ix.scopeDelim = ix.build(ix.scopeDelim, scopeIDs)
	ix.edits = newDeletes(ix.names, unscoped, 1)
	ix.edits2 = newDeletes(ix.names, long, 2)
	ix.scopeEdits = newDeletes(skels, scopeIDs, 2)
	return ix
}

// keyFuncs sets the key each keyed index computes from an id: how it was
// built, and how get checks its candidates.
func (ix *Index) keyFuncs() {
	ix.estab.keyOf = func(id int32) string { return strings.ToLower(ix.establishedNames[id]) }
	ix.rank.keyOf = func(id int32) string { return ix.names[id] }
	ix.delim.keyOf = func(id int32) string { return delimSkeleton(ix.names[id]) }
	ix.glyph.keyOf = func(id int32) string { return glyphSkeleton(ix.names[id], 'l') }
	ix.words.keyOf = func(id int32) string {
		if w := words(ix.names[id]); len(w) >= 2 {
			return sortedWords(w)
		}
		return ""
	}
	ix.plural.keyOf = func(id int32) string { return singularSkeleton(ix.names[id]) }
	ix.anagram.keyOf = func(id int32) string { return anagramKey(delimSkeleton(ix.names[id])) }
	ix.joined.keyOf = func(id int32) string {
		scope, name := splitScope(ix.names[id])
		return delimSkeleton(scope + name)
	}
	ix.bare.keyOf = func(id int32) string {
		_, name := splitScope(ix.names[id])
		return name
	}
	ix.scopeDelim.keyOf = func(id int32) string { return glyphSkeleton(ix.scopeList[id], 'l') }
}

// build indexes ids under the keys k.keyOf computes for them.
func (ix *Index) build(k keyed, ids []int32) keyed {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = k.keyOf(id)
	}
	return newKeyed(keys, ids, k.keyOf)
}

// allowed reports whether a lowercased name is never flagged.
// isWord reports whether q is one of the dictionary words that near-edit,
// scope-dropped and transposition leave alone.
func (ix *Index) isWord(q string) bool {
	_, ok := slices.BinarySearch(ix.dictWords, q)
	return ok
}

func (ix *Index) allowed(name string) bool {
	return ix.allow[name] || len(ix.estab.get(name)) > 0
}

// rankOf returns the rank of a popular name.
func (ix *Index) rankOf(name string) (int32, bool) {
	if ids := ix.rank.get(name); len(ids) > 0 {
		return ids[0], true
	}
	return 0, false
}

// Len returns the number of popular names in the index.
func (ix *Index) Len() int { return len(ix.names) }

// IsPopular reports whether name is in the popular list (case-insensitively).
func (ix *Index) IsPopular(name string) bool {
	if len(name) > maxNameLen {
		return false
	}
	_, ok := ix.rankOf(strings.ToLower(name))
	return ok
}

func (ix *Index) enabled(r Reason) bool { return ix.rules == nil || ix.rules[r] }
