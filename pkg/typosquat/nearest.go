package typosquat

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	// minEdit is the shortest name the one-edit rule applies to: below it
	// almost every name is one edit from another popular one ("ms", "got").
	minEdit = 4
	// minLongEdit is the shortest name the two-edit rule applies to.
	minLongEdit = 10
	// minLongWord is the shortest word that two edits may fall in: two edits in
	// a shorter word make another word ("bare-buffer", "safe-buffer").
	minLongWord = 8
	// maxLongEditTargets bounds the two-edit index to the most popular long
	// names; their two-deletion neighbourhoods are about 150 entries each.
	maxLongEditTargets = 3000
)

// Affixes that typosquats add to a popular name ("node" + "request",
// "jquery" + ".js", "mssql" + "-node", "twilio" + "-npm"), for every target.
// "cli", "lib" and a digit, which legitimate names use more often
// ("chalk-cli", "bluebird3"), count only for the more popular targets and
// with the limits of weakAffix; "js-" before a name ("jsdiff") is left out.
var (
	affixPrefixes = []string{"node", "nodejs"}
	affixSuffixes = []string{"js", "node", "nodejs", "npm"}
)

// Nearest returns the popular name that name is confusable with, and the rule
// that says so. ok is false when name is itself popular, is allowed with
// WithAllowed, is not an npm package name (longer than 214 bytes, say), or is
// not confusable with any popular name. When several popular names match, the
// earliest rule in the order of the Reason constants wins, then the most
// popular name. Nearest costs a few microseconds and never panics.
func (ix *Index) Nearest(name string) (Match, bool) {
	if name == "" || len(name) > maxNameLen {
		return Match{}, false
	}
	lower := strings.ToLower(name)
	if !isASCII(name) {
		return ix.nearestFolded(name)
	}
	if !validName(lower) || ix.allowed(lower) {
		return Match{}, false
	}
	if _, ok := ix.rankOf(lower); ok {
		return Match{}, false
	}
	scope, bare := splitScope(lower)
	if scope != "" {
		return ix.nearestScoped(lower, scope, bare)
	}
	return ix.nearestUnscoped(lower, name)
}

// nearestFolded handles names with non-ASCII letters, which npm does not
// accept: they can only come from a hand-edited lockfile, so a name that folds
// to a popular one, or to one confusable with it, is reported as a homoglyph.
func (ix *Index) nearestFolded(name string) (Match, bool) {
	if !utf8.ValidString(name) || !ix.enabled(Homoglyph) {
		return Match{}, false
	}
	folded, ok := foldASCII(name)
	if !ok || !validName(folded) || ix.allowed(folded) {
		return Match{}, false
	}
	if _, ok := ix.rankOf(folded); ok {
		return Match{Target: folded, Reason: Homoglyph,
			Detail: fmt.Sprintf("%q spells %q with look-alike non-ASCII letters", name, folded)}, true
	}
	var m Match
	if scope, bare := splitScope(folded); scope != "" {
		m, ok = ix.nearestScoped(folded, scope, bare)
	} else {
		m, ok = ix.nearestUnscoped(folded, folded)
	}
	if !ok {
		return Match{}, false
	}
	return Match{Target: m.Target, Reason: Homoglyph,
		Detail: fmt.Sprintf("%q uses look-alike non-ASCII letters; as %q: %s", name, folded, m.Detail)}, true
}

// tuning holds the switches and thresholds of the rules. The defaults were set
// by measuring detection of real typosquats against false flags on legitimate
// names; TestOperatingPoints reports the effect of each (see
// testdata/typosquat/README.md for the numbers).
type tuning struct {
	delimAdded  bool  // also flag added or swapped separators ("sha-1" for "sha1"), not only removed ones
	joinedRank  int32 // "types-node" for "@types/node": only targets ranked above this
	bareRank    int32 // "splide" for "@splidejs/splide": only targets ranked above this
	wordsRank   int32 // token order: only targets ranked above this
	pluralRank  int32 // plural: only targets ranked above this
	nodeDash    bool  // the affix "node-" with a separator ("node-sqlite")
	gluedSuffix bool  // the affixes "js", "node", "npm" glued to the end ("mysqljs")
	editMin     int   // shortest name for the one-edit rule
	editWordEnd bool  // a letter added or changed at the end of a word ("sqliter")
	dropAnyMin  int   // a dropped letter need not be one of a double in names this long
	twoEdits    bool  // the two-edit rule for long names
	nearMin     int   // shortest name for the near-edit rule
	nearRank    int32 // near-edit: only targets ranked above this
	endSlip     bool  // near-edit: a neighbouring-key slip at the end of a word, for every target ("browserift")
	nearAffix   bool  // near-edit: also a character added at either end of a word, or a digit or separator added ("grunts", "nlevel", "vue2")
	cliAffix    bool  // affix: "cli" after a name that is not a CLI's ("axios-cli", "axioscli")
	libAffix    bool  // affix: "-lib" after a name, or "lib-" before it ("axios-lib", "lib-axios")
	libGlued    bool  // affix: "lib" glued before or after a name ("axioslib", "libaxios")
	digitAffix  bool  // affix: a digit after a name, outside a numbered family ("lodash2", "axios-2")
	affixRank   int32 // the cli, lib and digit affixes: only targets ranked above this
	nearSepEdit bool  // near-edit: also a separator put in place of a letter or another separator, or a digit for a separator ("png.js", "async-it", "ansi2html")
	nearSubMin  int   // near-edit: shortest target in which a letter may be replaced ("cmon" for "cron" keeps 3 of 4 letters)
	nearSubAny  bool  // near-edit: any replaced letter in a one-word target, not only a typing slip (neighbouring key, look-alike, keyboard layout or sound)
	pluralDelim bool  // plural: also with the separators changed ("http_error" for "http-errors")
	nearWordTok bool  // near-edit: also an edit that makes a word of a target's word an English word ("data-format", "test-util")
}

// defaultTuning: a legitimate name is far more often another word that looks
// like a popular one than a typosquat is, so the rules that catch few real
// typosquats but many legitimate names are narrowed to the most popular targets
// or switched off.
var defaultTuning = tuning{
	delimAdded:  false, // 0 of the known typosquats, ~50 of ~19,000 held-out legitimate names
	joinedRank:  2000,  // "turf-square" and other pre-scope names of scoped packages
	bareRank:    1000,
	wordsRank:   1000,
	pluralRank:  1000,
	nodeDash:    true,
	gluedSuffix: true,
	editMin:     5, // "head"/"read", "nest"/"next": most four-letter names are a slip from another
	editWordEnd: false,
	dropAnyMin:  8, // "typscript", "eslint-plugin-reat"; shorter: "memize" is not "memoize"
	twoEdits:    true,
	nearMin:     4,
	nearRank:    5000,
	endSlip:     true,
	nearAffix:   false, // 0 of the Typomind archive's rows, 81 of the held-out names
	cliAffix:    true,  // 0 Typomind or known rows; 0 held-out, 4 random names
	libAffix:    true,  // 0 Typomind or known rows; 0 held-out, 1 random name
	libGlued:    false, // "plistlib", "bufferlib", "libcolor": 2 held-out, 2 random names for no detection
	digitAffix:  true,  // 0 Typomind or known rows; 7 held-out, 5 random names
	affixRank:   5000,  // as nearRank; every target: 15 more held-out, 7 more random names
	nearSepEdit: false, // 0 Typomind rows; 5 held-out, 1 random name ("png.js", "async-it", "ansi2html")
	nearSubMin:  5,     // 4: 0 Typomind rows (theirs are dropped letters: "asnc", "chak", "eact"), 8 more held-out, 4 random names
	nearSubAny:  false, // a one-word target: 0 Typomind rows, 48 held-out, 34 random names
	pluralDelim: false, // 0 Typomind or known rows; 3 held-out, 1 random name ("http_error", "dom-util", "objectvalue")
	nearWordTok: false, // 0 Typomind rows ("colour-string" is the British spelling), 13 held-out, 1 random name
}

// bestBelow is best restricted to ranks below limit.
func (ix *Index) bestBelow(ids []int32, limit int32) (int32, bool) {
	r, ok := ix.best(ids)
	return r, ok && r < limit
}

// nearestUnscoped applies every rule to an unscoped, lowercased, non-popular
// name q; raw is q as given (it may hold an upper-case "I" that looks like "l").
func (ix *Index) nearestUnscoped(q, raw string) (Match, bool) {
	ds := delimSkeleton(q)
	if ix.enabled(Delimiter) && (ix.tune.delimAdded || ds == q) {
		if r, ok := ix.best(ix.delim.get(ds)); ok {
			return ix.match(r, Delimiter, "%q is %q with different separators", q, ix.names[r]), true
		}
	}
	if ix.enabled(Homoglyph) && len(ds) >= minEdit {
		if r, ok := ix.homoglyph(raw, ds); ok {
			return ix.match(r, Homoglyph, "%q looks like %q (1/l/I, 0/o, rn/m, vv/w)", raw, ix.names[r]), true
		}
	}
	if ix.enabled(ScopeConfusion) {
		if m, ok := ix.unscopedScope(q, ds); ok {
			return m, true
		}
	}
	w := words(q)
	if ix.enabled(TokenOrder) && len(w) >= 2 {
		if r, ok := ix.reordered(w, ds); ok {
			return ix.match(r, TokenOrder, "%q reorders the words of %q", q, ix.names[r]), true
		}
	}
	if ix.enabled(Plural) {
		if r, ok := ix.pluralOf(q, ds); ok {
			return ix.match(r, Plural, "%q is a plural or singular form of %q", q, ix.names[r]), true
		}
	}
	if ix.enabled(Affix) {
		if m, ok := ix.affix(q, w, ds); ok {
			return m, true
		}
	}
	if ix.enabled(EditDistance) {
		if m, ok := ix.editDistance(q); ok {
			return m, true
		}
	}
	if ix.enabled(Transposition) && !ix.isWord(q) {
		if r, how, ok := ix.transposition(ds); ok {
			return ix.match(r, Transposition, "%q %s %q", q, how, ix.names[r]), true
		}
	}
	if ix.enabled(NearEdit) {
		if m, ok := ix.nearEdit(q); ok {
			return m, true
		}
	}
	return Match{}, false
}

// nearEdit finds the most popular name among the top nearRank that q is
// exactly one edit of, whatever the edit (but a character added as an affix),
// or any popular name whose word q mistypes at its end with a neighbouring
// key (see endSlip).
func (ix *Index) nearEdit(q string) (Match, bool) {
	if len(q) < ix.tune.nearMin || ix.isWord(q) {
		return Match{}, false
	}
	best, how := int32(-1), ""
	for _, r := range ix.edits.candidates(q) {
		p := ix.names[r]
		if len(p) < ix.tune.nearMin || (best >= 0 && r > best) || osa(q, p, 1) != 1 {
			continue
		}
		if !ix.nearPlausible(q, p) {
			continue
		}
		switch {
		case r < ix.tune.nearRank && (ix.tune.nearAffix || !affixedChar(q, p)):
			best, how = r, "is one edit from"
		case ix.tune.endSlip && endSlip(q, p):
			best, how = r, "mistypes the end of a word of"
		}
	}
	if best < 0 {
		return Match{}, false
	}
	return ix.match(best, NearEdit, "%q %s %q", q, how, ix.names[best]), true
}

// nearPlausible applies the near-edit rule's limits to q, one edit from p.
func (ix *Index) nearPlausible(q, p string) bool {
	dq, dp, at := diffRegion(q, p)
	if !ix.tune.nearSepEdit && sepEdit(dq, dp) {
		return false
	}
	sub := len(dq) == 1 && len(dp) == 1
	if sub && len(p) < ix.tune.nearSubMin {
		return false
	}
	if sub && !ix.tune.nearSubAny && strings.IndexFunc(p, isDelimRune) < 0 && !slipOrSound(dq[0], dp[0]) {
		return false
	}
	if !ix.tune.nearWordTok && strings.IndexFunc(p, isDelimRune) >= 0 {
		if w := wordAround(q, at, at+len(dq)); len(w) >= minWordTok && ix.isWord(w) &&
			!britishSpelling(w, wordAround(p, at, at+len(dp))) {
			return false
		}
	}
	return true
}

// britishSpelling reports whether the word w is the British spelling of
// the word a ("colour" of "color", "normalise" of "normalize"): the same
// word, so a name that spells it so reads as the other.
func britishSpelling(w, a string) bool {
	if len(w) < 5 {
		return false // "four", "hour": other words
	}
	for _, v := range [...][2]string{{"our", "or"}, {"is", "iz"}, {"ys", "yz"}} {
		if i := strings.Index(w, v[0]); i > 0 && w[:i]+v[1]+w[i+len(v[0]):] == a {
			return true
		}
	}
	return false
}

// minWordTok is the shortest word of a name that counts as an English word
// for near-edit: shorter ones are abbreviations ("js", "fs", "bs").
const minWordTok = 3

func isDelimRune(r rune) bool { return r == '-' || r == '_' || r == '.' }

// sepEdit reports whether an edit puts a separator in place of a letter or
// of another separator, or a digit in place of a separator: it splits or
// joins words ("async-it", "png.js", "ansi2html"), the Delimiter rule's
// business, not a slip inside a word.
func sepEdit(dq, dp string) bool {
	if len(dq) != 1 {
		return false
	}
	return isDelim(dq[0]) || len(dp) == 1 && isDelim(dp[0]) && dq[0] >= '0' && dq[0] <= '9'
}

// wordAround returns the run of non-separator characters of s around
// s[lo:hi].
func wordAround(s string, lo, hi int) string {
	for lo > 0 && !isDelim(s[lo-1]) {
		lo--
	}
	for hi < len(s) && !isDelim(s[hi]) {
		hi++
	}
	return s[lo:hi]
}

// slipOrSound reports whether typing a instead of b is a slip or a
// misspelling: neighbouring keys on a QWERTY keyboard, or on a QWERTZ or
// AZERTY one (y/z, a/q, z/w swapped), look-alike letters, or letters that
// can spell the same sound (c/k/s, i/y, s/z).
func slipOrSound(a, b byte) bool {
	if nearKeys(a, b) || lookAlike(a, b) {
		return true
	}
	for _, pair := range [...]string{"yz", "aq", "zw", "ck", "cs", "iy", "sz"} {
		if a == pair[0] && b == pair[1] || a == pair[1] && b == pair[0] {
			return true
		}
	}
	return false
}

// Word lengths for endSlip: a word's last letter mistyped, or a key typed
// after it, in shorter words makes another word ("node-res", "pause"/"pauser").
const (
	minEndSub = 5
	minEndAdd = 6
)

// endSlip reports whether q, one edit from p, mistypes the end of one of p's
// words with a neighbouring key: its last letter replaced by a neighbour
// ("browserift" for "browserify", "bowee" for "bower"), in a word of at
// least minEndSub letters, or a neighbour of its last letter typed after it
// ("sqliter" for "sqlite"), in a word of at least minEndAdd letters, other
// than an "s" (a plural: the Plural rule's business).
func endSlip(q, p string) bool {
	dq, dp, at := diffRegion(q, p)
	if len(dq) != 1 || at == 0 || !isLetter(dq[0]) {
		return false
	}
	if end := at + len(dp); end < len(p) && isLetter(p[end]) {
		return false
	}
	switch len(dp) {
	case 1:
		return nearKeys(dq[0], dp[0]) && wordAt(p, at, 1) >= minEndSub
	case 0:
		return dq[0] != 's' && nearKeys(dq[0], p[at-1]) && wordAt(p, at-1, 1) >= minEndAdd
	}
	return false
}

// Limits of the Transposition rule, on delimiter skeletons: below minSwap
// letters every other name is an anagram of another ("tone", "note"), and a
// letter moved two places needs a longer name still ("onep", "open").
const (
	minSwap = 4
	minMove = 5
)

// transposition finds the most popular unscoped name whose delimiter
// skeleton ds reorders: two neighbours swapped, or the three characters of
// a window permuted (one letter moved two places, or the outer two swapped).
// The names share their letters, so the anagram index finds the candidates.
func (ix *Index) transposition(ds string) (int32, string, bool) {
	if len(ds) < minSwap {
		return 0, "", false
	}
	best, how := int32(-1), ""
	for _, r := range ix.anagram.get(anagramKey(ds)) {
		if best >= 0 && r > best {
			continue
		}
		if h, ok := transposed(ds, delimSkeleton(ix.names[r])); ok {
			best, how = r, h
		}
	}
	return best, how, best >= 0
}

// transposed reports whether a and b, delimiter skeletons of equal letters,
// differ only by characters reordered within a window of two (a swap, from
// minSwap long) or three (from minMove long), not all of them digits
// ("es2150" is another version, not a slip).
func transposed(a, b string) (string, bool) {
	if a == b || len(a) != len(b) {
		return "", false
	}
	da, db, _ := diffRegion(a, b)
	if len(da) != len(db) || strings.Trim(da, "0123456789") == "" || anagramKey(da) != anagramKey(db) {
		return "", false
	}
	switch {
	case len(da) == 2 && len(a) >= minSwap:
		return "swaps two letters of", true
	case len(da) == 3 && len(a) >= minMove:
		return "moves a letter of", true
	}
	return "", false
}

// anagramKey is s with its bytes sorted: names that reorder each other's
// letters share it.
func anagramKey(s string) string {
	b := []byte(s)
	slices.Sort(b)
	return string(b)
}

// affixedChar reports whether q is p with one character added at the start
// or the end of a word, or with a digit or separator added anywhere: how
// legitimate names derive from others ("grunts", "nlevel", "noder", "vue2",
// "p-queue"), unlike a slip inside a word.
func affixedChar(q, p string) bool {
	if len(q) != len(p)+1 {
		return false
	}
	dq, dp, at := diffRegion(q, p)
	if len(dq) != 1 || len(dp) != 0 {
		return false
	}
	c := dq[0]
	return !isLetter(c) || at == 0 || !isLetter(q[at-1]) || at+1 == len(q) || !isLetter(q[at+1])
}

// reordered finds the most popular name among the top wordsRank with the
// words w in another order.
func (ix *Index) reordered(w []string, ds string) (int32, bool) {
	best := int32(-1)
	for _, r := range ix.words.get(sortedWords(w)) {
		if r < ix.tune.wordsRank && (best < 0 || r < best) && delimSkeleton(ix.names[r]) != ds {
			best = r
		}
	}
	return best, best >= 0
}

// pluralOf finds the most popular name among the top pluralRank that q is a
// plural or singular form of.
func (ix *Index) pluralOf(q, ds string) (int32, bool) {
	best := int32(-1)
	for _, r := range ix.plural.get(singularSkeleton(q)) {
		if r < ix.tune.pluralRank && (best < 0 || r < best) && delimSkeleton(ix.names[r]) != ds &&
			(ix.tune.pluralDelim || singularForm(q) == singularForm(ix.names[r])) {
			best = r
		}
	}
	return best, best >= 0
}

// singularForm is s with each word put in the singular and its separators
// kept: names with the same singular form differ only by plural endings.
func singularForm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !isDelim(s[i]) {
			continue
		}
		b.WriteString(singular(s[start:i]))
		if i < len(s) {
			b.WriteByte(s[i])
		}
		start = i + 1
	}
	return b.String()
}

// homoglyph finds the most popular unscoped name that s renders like, other
// than those that only differ from it by separators (ds is s's delimiter
// skeleton).
func (ix *Index) homoglyph(s, ds string) (int32, bool) {
	best := int32(-1)
	consider := func(ids []int32) {
		for _, r := range ids {
			if (best < 0 || r < best) && delimSkeleton(ix.names[r]) != ds {
				best = r
			}
		}
	}
	consider(ix.glyph.get(glyphSkeleton(s, 'l')))
	if hasOne(s) {
		consider(ix.glyph.get(glyphSkeleton(s, 'i')))
	}
	return best, best >= 0
}

// unscopedScope finds the popular scoped name that q drops the scope of:
// "types-node" or "typesnode" for "@types/node", or "splide" for
// "@splidejs/splide".
func (ix *Index) unscopedScope(q, ds string) (Match, bool) {
	if r, ok := ix.bestBelow(ix.joined.get(ds), ix.tune.joinedRank); ok {
		return ix.match(r, ScopeConfusion, "%q is scoped %q without its scope", q, ix.names[r]), true
	}
	// A bare name shared by several scopes ("core", "utils") is generic, not a
	// reference to one package.
	if ids := ix.bare.get(q); len(ids) == 1 && len(q) >= minBareScope {
		if ids[0] < ix.tune.bareRank {
			return ix.match(ids[0], ScopeConfusion, "%q is scoped %q without its scope", q, ix.names[ids[0]]), true
		}
		if ix.enabled(ScopeDropped) && !ix.isWord(q) {
			return ix.match(ids[0], ScopeDropped, "%q is the name of the scoped package %q without its scope", q, ix.names[ids[0]]), true
		}
	}
	return Match{}, false
}

// minScopeEdit is the shortest scope the edit rules apply to; four-letter
// scopes are too often a letter apart ("@unts", "@unrs").
const minScopeEdit = 5

// minBareScope is the shortest unscoped name compared with the name part of
// popular scoped names.
const minBareScope = 5

// nearestScoped applies the scope rules to "@scope/bare", lowercased and not popular.
func (ix *Index) nearestScoped(q, scope, bare string) (Match, bool) {
	// npm gives a scope to one user or organisation, so a name in the scope of
	// a popular package was published by that package's owners.
	if _, ok := ix.scopes[scope]; ok {
		return Match{}, false
	}
	if ix.enabled(ScopeConfusion) {
		if m, ok := ix.lookalikeScope(q, scope, bare); ok {
			return m, true
		}
	}
	// A scope named after a popular unscoped package ("@node-red/util",
	// "@ramda/unnest") is almost always held by that package's owners: such
	// a rule flagged 49 of 20,000 random names and 6 of 517 fresh lockfile
	// names, and no known typosquat, so it is not a rule.
	// A fork under its own scope ("@acme/lodash") names what it is, and a name
	// part one edit from a popular name is as often a different word
	// ("@blueoak/list", "plist"); only look-alike spellings of the name part
	// ("@acme/1odash", "@acme/crossenv") imitate the original.
	ds := delimSkeleton(bare)
	if _, ok := ix.rankOf(bare); ok {
		return Match{}, false
	}
	if ix.enabled(Delimiter) && (ix.tune.delimAdded || ds == bare) {
		if r, ok := ix.best(ix.delim.get(ds)); ok {
			return ix.match(r, Delimiter, "the name part of %q is %q with different separators", q, ix.names[r]), true
		}
	}
	if ix.enabled(Homoglyph) && len(ds) >= minEdit {
		if r, ok := ix.homoglyph(bare, ds); ok {
			return ix.match(r, Homoglyph, "the name part of %q looks like %q", q, ix.names[r]), true
		}
	}
	return Match{}, false
}

// lookalikeScope finds a popular scope that scope imitates: the same letters
// with other separators or look-alike characters, one edit away, or two edits
// for long scopes ("@typescript_eslinter" for "@typescript-eslint").
func (ix *Index) lookalikeScope(q, scope, bare string) (Match, bool) {
	best := int32(-1)
	var bestScope string
	consider := func(id int32) {
		s := ix.scopeList[id]
		if r := ix.scopes[s]; best < 0 || r < best {
			best, bestScope = r, s
		}
	}
	for _, id := range ix.scopeDelim.get(glyphSkeleton(scope, 'l')) {
		consider(id)
	}
	if best < 0 {
		ds := delimSkeleton(scope)
		if len(ds) >= minScopeEdit {
			for _, id := range ix.scopeEdits.candidates(ds) {
				other := delimSkeleton(ix.scopeList[id])
				if len(other) < minScopeEdit {
					continue
				}
				d := osa(ds, other, 2)
				if d == 1 || d == 2 && len(ds) >= minLongEdit && len(other) >= minLongEdit {
					consider(id)
				}
			}
		}
	}
	if best < 0 {
		return Match{}, false
	}
	target := ix.names[best]
	if r, ok := ix.rankOf("@" + bestScope + "/" + bare); ok {
		target = ix.names[r]
	}
	return Match{Target: target, Reason: ScopeConfusion,
		Detail: fmt.Sprintf("the scope of %q imitates the popular scope \"@%s\"", q, bestScope)}, true
}

// affix finds the popular name that q is made of plus an affix: "node"
// before it, "js", "node" or "npm" after it, with or without a separator;
// failing that, one of weakAffix's.
func (ix *Index) affix(q string, w []string, ds string) (Match, bool) {
	best, bestAffix := int32(-1), ""
	try := func(rest, affix string, minLen int) {
		if len(rest) < minLen {
			return
		}
		if r, ok := ix.best(ix.delim.get(rest)); ok && (best < 0 || r < best) {
			best, bestAffix = r, affix
		}
	}
	if len(w) >= 2 {
		first, last := w[0], w[len(w)-1]
		if ix.tune.nodeDash {
			for _, p := range affixPrefixes {
				if first == p {
					try(strings.Join(w[1:], ""), p+"-", 3)
				}
			}
		}
		for _, s := range affixSuffixes {
			if last == s {
				// "d3.js": a separated ".js" is noise even after a two-letter name.
				try(strings.Join(w[:len(w)-1], ""), "-"+s, 2)
			}
		}
	}
	if len(w) == 1 {
		for _, p := range affixPrefixes {
			if rest, ok := strings.CutPrefix(ds, p); ok {
				try(rest, p, minEdit)
			}
		}
		if ix.tune.gluedSuffix {
			for _, s := range affixSuffixes {
				if rest, ok := strings.CutSuffix(ds, s); ok {
					try(rest, s, minEdit)
				}
			}
		}
	}
	if best < 0 {
		best, bestAffix = ix.weakAffix(q, w, ds)
	}
	if best < 0 {
		return Match{}, false
	}
	return ix.match(best, Affix, "%q is %q with %q added", q, ix.names[best], bestAffix), true
}

// weakAffix finds the popular name among the top affixRank that q is made
// of plus one of the affixes that legitimate names use more often than the
// ones affix tries: "cli" after a name that is not a CLI's own ("axios-cli",
// "axioscli"), "-lib" after it or "lib-" before it ("axios-lib",
// "lib-axios"), or one digit after a name of at least minDigitStem
// characters that no popular or established name numbers ("lodash2",
// "axios-2"). Typosquats aim at the most depended-upon names; below
// affixRank a "-cli" or a "2" is far more often someone's own wrapper or
// fork.
func (ix *Index) weakAffix(q string, w []string, ds string) (int32, string) {
	best, bestAffix := int32(-1), ""
	try := func(rest, affix string, minLen int, word string) {
		if len(rest) < minLen {
			return
		}
		for _, r := range ix.delim.get(rest) {
			if r < ix.tune.affixRank && (best < 0 || r < best) && !hasAffixWord(ix.names[r], word) {
				best, bestAffix = r, affix
			}
		}
	}
	if ix.tune.cliAffix {
		if len(w) >= 2 && w[len(w)-1] == "cli" {
			try(strings.Join(w[:len(w)-1], ""), "-cli", minEdit, "cli")
		}
		if rest, ok := strings.CutSuffix(ds, "cli"); ok && len(w) == 1 {
			try(rest, "cli", minEdit, "cli")
		}
	}
	if ix.tune.libAffix && len(w) >= 2 {
		if w[len(w)-1] == "lib" {
			try(strings.Join(w[:len(w)-1], ""), "-lib", minEdit, "lib")
		}
		if w[0] == "lib" {
			try(strings.Join(w[1:], ""), "lib-", minEdit, "lib")
		}
	}
	if ix.tune.libGlued && len(w) == 1 {
		if rest, ok := strings.CutSuffix(ds, "lib"); ok {
			try(rest, "lib", minEdit, "lib")
		}
		if rest, ok := strings.CutPrefix(ds, "lib"); ok {
			try(rest, "lib", minEdit, "lib")
		}
	}
	if ix.tune.digitAffix && best < 0 {
		if stem, num, ok := numbered(q); ok {
			if try(delimSkeleton(stem), num, minDigitStem, ""); best >= 0 && ix.numberedFamily(stem) {
				best = -1
			}
		}
	}
	return best, bestAffix
}

// hasAffixWord reports whether the popular name p already holds the affix
// word ("ember-cli", "bitcoinjs-lib", "zlib"): a CLI or library that says
// so in its name is not made to look like one by saying it twice
// ("ember-cli-cli").
func hasAffixWord(p, word string) bool {
	return word != "" && (slices.Contains(words(p), word) || strings.HasSuffix(p, word))
}

// minDigitStem is the shortest name the digit affix applies to: shorter
// names with a digit are other terms ("base2", "sift3", "xlsx2").
const minDigitStem = 5

// numbered splits a name ending in a number into the name before it and the
// number with the separator before it, if any ("lodash2": "lodash", "2";
// "axios-2": "axios", "-2"). The name before must end in a letter.
func numbered(q string) (stem, num string, ok bool) {
	i := len(q)
	for i > 0 && q[i-1] >= '0' && q[i-1] <= '9' {
		i--
	}
	if i == len(q) || len(q)-i > maxAffixDigits {
		return "", "", false
	}
	j := i
	if j > 0 && isDelim(q[j-1]) {
		j--
	}
	if j == 0 || !isLetter(q[j-1]) {
		return "", "", false
	}
	return q[:j], q[j:], true
}

// maxAffixDigits is the longest number the digit affix strips: longer ones
// are sizes, years or versions ("buffer24", "sharp11", "react-resizable-14").
const maxAffixDigits = 1

// numberedFamily reports whether a popular or established name is stem with
// a digit after it, with or without a separator: the digits then name
// versions or variants of one family ("eventemitter2", "queue2" beside
// "queue"), not a copy.
func (ix *Index) numberedFamily(stem string) bool {
	for _, sep := range [...]string{"", "-", ".", "_"} {
		for d := range 10 {
			n := stem + sep + string(rune('0'+d))
			if _, ok := ix.rankOf(n); ok || len(ix.estab.get(n)) > 0 {
				return true
			}
		}
	}
	return false
}

// editDistance finds the most popular unscoped name one edit from q (both at
// least minEdit long), or two edits when both are at least minLongEdit long.
// Edits that only touch digits ("vue2", "es2015") or separators are not typos.
func (ix *Index) editDistance(q string) (Match, bool) {
	if len(q) < ix.tune.editMin {
		return Match{}, false
	}
	best, how := int32(-1), ""
	for _, r := range ix.edits.candidates(q) {
		p := ix.names[r]
		if len(p) < ix.tune.editMin || (best >= 0 && r > best) {
			continue
		}
		if h, ok := oneEdit(q, p, ix.tune.editWordEnd, ix.tune.dropAnyMin); ok {
			best, how = r, h
		}
	}
	if best >= 0 {
		return ix.match(best, EditDistance, "%q %s %q", q, how, ix.names[best]), true
	}
	if len(q) < minLongEdit || !ix.tune.twoEdits {
		return Match{}, false
	}
	for _, r := range ix.edits2.candidates(q) {
		p := ix.names[r]
		if best >= 0 && r > best {
			continue
		}
		if twoEdits(q, p) {
			best = r
		}
	}
	if best >= 0 {
		return ix.match(best, EditDistance, "%q is two typos away from %q", q, ix.names[best]), true
	}
	return Match{}, false
}

// diffRegion strips the common prefix and suffix of a and b and returns what
// is left of each, with the length of the common prefix.
func diffRegion(a, b string) (da, db string, prefix int) {
	n := min(len(a), len(b))
	for prefix < n && a[prefix] == b[prefix] {
		prefix++
	}
	s := 0
	for s < n-prefix && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return a[prefix : len(a)-s], b[prefix : len(b)-s], prefix
}

// oneEdit reports whether q is one Damerau-Levenshtein step from p by an edit
// that a typing slip makes, and describes the edit. Legitimate names one edit
// apart are usually other words ("head"/"read", "memize"/"memoize"), so only
// slips count: the first letter is kept, a letter is doubled or typed with a
// neighbouring key, one of a double letter is dropped, a letter is replaced by
// a neighbouring key or a look-alike, or two letters are swapped.
func oneEdit(q, p string, wordEnd bool, dropAnyMin int) (string, bool) {
	dq, dp, at := diffRegion(q, p)
	if at == 0 || !plausibleTypo(dq+dp) || wordAt(p, at, len(dp)) < minEdit {
		return "", false
	}
	atEnd := at+len(dp) == len(p) || !isLetter(p[at+len(dp)])
	if atEnd && !wordEnd && len(dq) == 1 && (len(dp) == 1 || dq[0] != q[at-1]) {
		return "", false
	}
	switch {
	case len(dq) == 1 && len(dp) == 0:
		c := dq[0]
		if c == q[at-1] || at+1 < len(q) && c == q[at+1] || nearKeys(c, q[at-1]) || at+1 < len(q) && nearKeys(c, q[at+1]) {
			return "adds a letter to", true
		}
	case len(dq) == 0 && len(dp) == 1:
		c := dp[0]
		if c == p[at-1] || at+1 < len(p) && c == p[at+1] || len(p) >= dropAnyMin && !atEnd {
			return "drops a letter of", true
		}
	case len(dq) == 1 && len(dp) == 1:
		if nearKeys(dq[0], dp[0]) || lookAlike(dq[0], dp[0]) {
			return "changes one letter of", true
		}
	case len(dq) == 2 && len(dp) == 2 && dq[0] == dp[1] && dq[1] == dp[0]:
		return "swaps two letters of", true
	}
	return "", false
}

// keyboard is the QWERTY layout; nearKeys uses it to find neighbouring keys.
var keyboard = [...]string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"}

// nearKeys reports whether a and b are distinct neighbouring keys on a QWERTY
// keyboard (left, right, or diagonally above or below).
func nearKeys(a, b byte) bool {
	ra, ca := keyPos(a)
	rb, cb := keyPos(b)
	if ra < 0 || rb < 0 || a == b {
		return false
	}
	switch ra - rb {
	case 0:
		return ca-cb == 1 || cb-ca == 1
	case 1: // a is on the row below b, which sits half a key to the left
		return cb == ca || cb == ca+1
	case -1:
		return ca == cb || ca == cb+1
	}
	return false
}

func keyPos(c byte) (row, col int) {
	for r, keys := range keyboard {
		if i := strings.IndexByte(keys, c); i >= 0 {
			return r, i
		}
	}
	return -1, -1
}

// lookAlike reports whether a and b are letters that are easily misread for
// each other.
func lookAlike(a, b byte) bool {
	for _, pair := range [...]string{"mn", "uv", "il", "lj", "ij", "o0", "l1", "i1", "bd", "pq", "ce", "ao", "gq"} {
		if a == pair[0] && b == pair[1] || a == pair[1] && b == pair[0] {
			return true
		}
	}
	return false
}

// wordAt returns the length of the run of letters in s around s[at:at+n] (the
// changed part), or 0 when that part spans a separator or digit. An edit in a
// short word ("json2md", "react-dim") changes what the name means rather than
// how it is spelt.
func wordAt(s string, at, n int) int {
	for i := at; i < at+n; i++ {
		if !isLetter(s[i]) {
			return 0
		}
	}
	lo, hi := at, at+n
	for lo > 0 && isLetter(s[lo-1]) {
		lo--
	}
	for hi < len(s) && isLetter(s[hi]) {
		hi++
	}
	return hi - lo
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// twoEdits reports whether q is at most two steps from p with edits that are
// plausible typos.
func twoEdits(q, p string) bool {
	if len(p) < minLongEdit {
		return false
	}
	dq, dp, at := diffRegion(q, p)
	// Both edits inside one long word, away from its ends, where a change is
	// a slip rather than another form of the word ("validate", "validator").
	end := at + len(dp)
	return at > 0 && isLetter(p[at-1]) && end < len(p) && isLetter(p[end]) &&
		plausibleTypo(dq+dp) && wordAt(p, at, len(dp)) >= minLongWord && osa(dq, dp, 2) <= 2
}

// plausibleTypo reports whether the characters that differ between two names
// could be a typo: changed digits are versions and changed separators are the
// Delimiter rule's business.
func plausibleTypo(changed string) bool {
	for i := 0; i < len(changed); i++ {
		c := changed[i]
		if c >= '0' && c <= '9' || isDelim(c) {
			return false
		}
	}
	return true
}

// osa is the optimal-string-alignment (restricted Damerau-Levenshtein)
// distance between a and b, or max+1 when it exceeds max.
func osa(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if len(a) > maxNameLen || len(b) > maxNameLen {
		return max + 1
	}
	// Three rolling rows: the transposition looks two rows back.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], max+1)
}

// best returns the most popular (lowest) rank in ids.
func (ix *Index) best(ids []int32) (int32, bool) {
	if len(ids) == 0 {
		return 0, false
	}
	b := ids[0]
	for _, r := range ids[1:] {
		b = min(b, r)
	}
	return b, true
}

func (ix *Index) match(r int32, reason Reason, format string, args ...any) Match {
	return Match{Target: ix.names[r], Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
