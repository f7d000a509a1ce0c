package typosquat_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/typosquat"
)

// testPopular is a small popular list, most popular first, so that the rule
// tests do not change when the embedded list is regenerated.
var testPopular = []string{
	"lodash", "react", "react-dom", "@types/node", "chalk", "express", "moment",
	"cross-env", "jquery", "typescript", "webpack", "axios", "mongoose", "electron",
	"@babel/core", "@babel/preset-env", "@typescript-eslint/parser", "@angular/core",
	"eslint-plugin-react", "node-sass", "async-mutex", "d3", "request", "babel-cli",
	"twilio", "mssql", "sqlite", "fabric", "@splidejs/splide", "ms", "got", "yarn",
	"slate", "string-width", "JSONStream", "util", "utils",
}

type nearestTest struct {
	name   string
	in     string
	target string // "" when no match is expected
	reason typosquat.Reason
}

// strongIndex is the test index with every rule but the catch-all
// near-edit, so that each rule's tests show that rule's own boundaries.
func strongIndex() *typosquat.Index {
	return typosquat.New(testPopular, typosquat.WithRules(typosquat.EditDistance, typosquat.Homoglyph,
		typosquat.Delimiter, typosquat.Affix, typosquat.TokenOrder, typosquat.Plural, typosquat.ScopeConfusion))
}

// TestNearestScopeDropped: the bare name of a scoped package outside the
// most popular ones is a weak signal of its own.
func TestNearestScopeDropped(t *testing.T) {
	// Ranked after 1,000 others: past the strict scope-confusion cut.
	pop := append([]string{}, testPopular...)
	for i := 0; i < 1000; i++ {
		pop = append(pop, fmt.Sprintf("filler-package-%04d", i))
	}
	pop = append(pop, "@azure/core-auth")
	runNearest(t, typosquat.New(pop, typosquat.WithRules(typosquat.ScopeDropped, typosquat.ScopeConfusion)), []nearestTest{
		{"bare-name", "core-auth", "@azure/core-auth", typosquat.ScopeDropped},
		{"short-bare-name", "core", "", ""},
	})
}

// TestNearestNearEdit: any single edit from a name ranked high enough, where
// the stricter rules do not apply, is a near-edit (a weak signal).
func TestNearestNearEdit(t *testing.T) {
	runNearest(t, typosquat.New(testPopular), []nearestTest{
		{"four-letters", "yran", "yarn", typosquat.Transposition},
		{"four-letters-dropped", "yrn", "", ""},
		{"five-letters-dropped", "chak", "chalk", typosquat.NearEdit},
		{"first-letter", "kodash", "lodash", typosquat.NearEdit},
		{"last-letter-changed", "lodasb", "lodash", typosquat.NearEdit},
		{"same-sound", "lodach", "lodash", typosquat.NearEdit},
		{"qwertz-layout", "jquerz", "jquery", typosquat.NearEdit},
		{"not-a-keyboard-slip-in-a-longer-name", "reakt-dom", "react-dom", typosquat.NearEdit},
		{"letter-added-mid-word", "lodapsh", "lodash", typosquat.NearEdit},
		{"transposition-first", "oldash", "lodash", typosquat.Transposition},
		{"strict-rule-first", "lodahs", "lodash", typosquat.EditDistance},
		{"three-letters", "exp", "", ""},
		{"two-edits", "lodxyh", "", ""},
		{"popular-itself", "react-dom", "", ""},
		// A character added as an affix is how legitimate names derive
		// from others, not a slip: none of the Typomind archive's rows,
		// 81 held-out names.
		{"separator-added", "lo-dash", "", ""},
		{"digit-added", "lod5ash", "", ""},
		{"digit-added-at-end", "lodash5", "lodash", typosquat.Affix}, // the affix rule's
		{"letter-before", "nlodash", "", ""},
		{"letter-after", "lodashq", "", ""},
		{"letter-after-inner-word", "reactx-dom", "", ""},
		// In a one-word name a letter replaced by one that is neither a
		// neighbouring key, a look-alike nor the same sound makes another
		// name more often than a slip ("bormat", "histery"): 0 Typomind
		// rows, 48 held-out names.
		{"first-letter-not-a-slip", "rodash", "", ""},
		{"not-a-keyboard-slip", "lodpsh", "", ""},
		// A letter replaced in a four-letter name keeps three of its letters,
		// too little to imitate it ("cmon", "frpc", "pico"): 0 Typomind rows
		// (theirs drop a letter of a longer name, "chak"), 8 held-out names.
		{"four-letters-replaced", "yarm", "", ""},
		// A separator put in place of a letter or another separator, or a
		// digit in place of a separator, splits or joins words ("png.js",
		// "async-it", "ansi2html"): the Delimiter rule's business. A letter
		// in place of a separator is still a slip ("buffermxor").
		{"separator-replaced", "react.dom", "", ""},
		{"digit-for-separator", "string2width", "", ""},
		{"separator-for-letter", "type-cript", "", ""},
		{"letter-for-separator", "reactxdom", "react-dom", typosquat.NearEdit},
	})
}

// TestNearestEndSlip: past the near-edit reach, a neighbouring key at the end
// of a long enough word still counts as a near-edit.
func TestNearestEndSlip(t *testing.T) {
	pop := append([]string{}, testPopular...)
	for i := 0; i < 5000; i++ {
		pop = append(pop, fmt.Sprintf("filler-package-%04d", i))
	}
	pop = append(pop, "browserify", "bower", "sqlite3-x", "sqlite", "pause", "gulp-pug")
	runNearest(t, typosquat.New(pop), []nearestTest{
		{"last-letter-neighbour", "browserift", "browserify", typosquat.NearEdit},
		{"last-letter-neighbour-five", "bowee", "bower", typosquat.NearEdit},
		{"key-after-last-letter", "sqliter", "sqlite", typosquat.NearEdit},
		// must not fire
		{"last-letter-not-neighbour", "browserifz", "", ""},
		{"plural-is-the-plural-rule's", "sqlites", "sqlite", typosquat.Plural},
		{"key-after-short-word", "pauser", "", ""}, // five letters: another word
		{"short-word", "gulp-pub", "", ""},
		{"letter-dropped", "bowe", "", ""},
		{"other-edit-beyond-reach", "bxwer", "", ""},
		{"first-letter", "vower", "", ""},
	})
}

// TestNearestTransposition: letters swapped or moved within a window of
// three, separators ignored, from any popular name.
func TestNearestTransposition(t *testing.T) {
	pop := append([]string{}, testPopular...)
	for i := 0; i < 5000; i++ {
		pop = append(pop, fmt.Sprintf("filler-package-%04d", i))
	}
	pop = append(pop, "hdkey", "web3", "web3-eth", "bitcoinjs-lib", "babel-preset-es2015")
	runNearest(t, typosquat.New(pop, typosquat.WithRules(typosquat.Transposition)), []nearestTest{
		{"swap-first-letters", "dhkey", "hdkey", typosquat.Transposition},
		{"swap-last-letters", "lodahs", "lodash", typosquat.Transposition},
		{"swap-four-letters", "wbe3", "web3", typosquat.Transposition},
		{"swap-with-digit", "we3b", "web3", typosquat.Transposition},
		{"swap-in-short-word", "web3-eht", "web3-eth", typosquat.Transposition},
		{"moved-letter", "rceat", "react", typosquat.Transposition},
		{"outer-two-swapped", "lodhsa", "lodash", typosquat.Transposition},
		{"swap-and-separators", "bitcionjslib", "bitcoinjs-lib", typosquat.Transposition},
		{"moved-across-separator", "crossnev", "cross-env", typosquat.Transposition},
		// must not fire
		{"three-letters", "gto", "", ""},
		{"moved-in-four-letters", "ynar", "", ""},
		{"window-of-four", "lohsad", "", ""},
		{"digits-only", "babel-preset-es2051", "", ""},
		{"separators-only", "cross_env", "", ""},
		{"two-swaps", "olhdas", "", ""},
		{"popular-itself", "react-dom", "", ""},
	})
}

func runNearest(t *testing.T, ix *typosquat.Index, tests []nearestTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := ix.Nearest(tt.in)
			if tt.target == "" {
				if ok {
					t.Errorf("Nearest(%q) = %+v, want no match", tt.in, m)
				}
				return
			}
			got := typosquat.Match{Target: m.Target, Reason: m.Reason}
			want := typosquat.Match{Target: tt.target, Reason: tt.reason}
			if !ok || got != want {
				t.Errorf("Nearest(%q) diff (-want +got):\n%s", tt.in, cmp.Diff(want, got))
			}
			// The name is quoted as is, or escaped (%q) when it holds
			// invisible characters.
			quoted := strings.Contains(m.Detail, tt.in) || strings.Contains(m.Detail, strings.ToLower(tt.in)) || strings.Contains(m.Detail, strconv.Quote(tt.in))
			if ok && (!quoted || m.Detail == "") {
				t.Errorf("Nearest(%q).Detail = %q, want it to quote the name", tt.in, m.Detail)
			}
		})
	}
}

func TestNearestEditDistance(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"swap", "lodahs", "lodash", typosquat.EditDistance},
		{"swap-inner", "ldoash", "lodash", typosquat.EditDistance},
		{"swap-five-letters", "axois", "axios", typosquat.EditDistance},
		{"dropped-double", "mongose", "mongoose", typosquat.EditDistance},
		{"dropped-letter-long-name", "typscript", "typescript", typosquat.EditDistance},
		{"neighbour-key", "monent", "moment", typosquat.EditDistance},
		{"doubled-letter", "expresss", "express", typosquat.EditDistance},
		{"swap-in-long-name", "eslint-plugin-recat", "eslint-plugin-react", typosquat.EditDistance},
		{"two-slips-long-word", "typesrcipd", "", ""}, // two edits, one at the end of the word
		{"two-swaps-long-word", "tpyescirpt", "typescript", typosquat.EditDistance},
		// must not fire
		{"short-name", "mss", "", ""},
		{"four-letters", "yarm", "", ""},
		{"first-letter", "rodash", "", ""},
		{"last-letter-changed", "lodasb", "", ""},
		{"another-word", "slated", "", ""},
		{"digit", "d4", "", ""},
		{"short-word", "react-dim", "", ""},
		{"not-a-slip", "lodpsh", "", ""}, // p is neither next to a on the keyboard nor a look-alike
	})
}

func TestNearestHomoglyph(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"digit-one", "1odash", "lodash", typosquat.Homoglyph},
		{"capital-i", "Iodash", "lodash", typosquat.Homoglyph},
		{"zero", "l0dash", "lodash", typosquat.Homoglyph},
		{"rn-m", "rnoment", "moment", typosquat.Homoglyph},
		{"vv-w", "vvebpack", "webpack", typosquat.Homoglyph},
		{"one-for-i", "ut1ls", "utils", typosquat.Homoglyph},
		{"cyrillic-o", "lоdash", "lodash", typosquat.Homoglyph},
		{"full-width", "ｌｏｄａｓｈ", "lodash", typosquat.Homoglyph},
		{"cyrillic-typo", "mоngose", "mongoose", typosquat.Homoglyph},
		{"zero-width-space", "lodash\u200b", "lodash", typosquat.Homoglyph},
		{"soft-hyphen", "lo\u00addash", "lodash", typosquat.Homoglyph},
		// must not fire
		{"short", "rns", "", ""},
		{"i-is-not-l", "lodash-uri", "", ""},
		{"unknown-script", "日本語", "", ""},
	})
}

func TestNearestDelimiter(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"removed", "crossenv", "cross-env", typosquat.Delimiter},
		{"removed-cli", "babelcli", "babel-cli", typosquat.Delimiter},
		{"removed-node", "nodesass", "node-sass", typosquat.Delimiter},
		{"scoped-name-part", "@acme/crossenv", "cross-env", typosquat.Delimiter},
		// must not fire: added or swapped separators are common in legitimate names
		{"added", "lo-dash", "", ""},
		{"swapped", "cross_env", "", ""},
	})
}

func TestNearestAffix(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"dot-js", "jquery.js", "jquery", typosquat.Affix},
		{"dot-js-two-letters", "d3.js", "d3", typosquat.Affix},
		{"dash-js-compound", "cross-env.js", "cross-env", typosquat.Affix},
		{"glued-js", "mssqljs", "mssql", typosquat.Affix},
		{"node-prefix", "node-fabric", "fabric", typosquat.Affix},
		{"glued-node-prefix", "noderequest", "request", typosquat.Affix},
		{"node-suffix", "mssql-node", "mssql", typosquat.Affix},
		{"npm-suffix", "twilio-npm", "twilio", typosquat.Affix},
		// must not fire
		{"cli-of-short-name", "got-cli", "", ""},
		{"version-of-short-name", "yarn2", "", ""},
		{"js-prefix", "jschalk", "", ""},
		{"too-short", "msjs", "", ""},
		{"plugin", "react-dom-plugin", "", ""},
		{"extension", "react-dom", "", ""},
	})
}

// TestNearestWeakAffix: "cli", "lib" and a digit added to one of the 5,000
// most popular names, within the limits legitimate names set.
func TestNearestWeakAffix(t *testing.T) {
	pop := append([]string{}, testPopular...)
	pop = append(pop, "bluebird", "bluebird3", "ember-cli", "bitcoinjs-lib", "zlib")
	for i := len(pop); i < 5000; i++ {
		pop = append(pop, fmt.Sprintf("filler-package-%04d", i))
	}
	pop = append(pop, "late-package") // ranked 5,000: past the cut
	runNearest(t, typosquat.New(pop, typosquat.WithRules(typosquat.EditDistance, typosquat.Homoglyph,
		typosquat.Delimiter, typosquat.Affix, typosquat.TokenOrder, typosquat.Plural, typosquat.ScopeConfusion)), []nearestTest{
		// must fire
		{"dash-cli", "axios-cli", "axios", typosquat.Affix},
		{"glued-cli", "axioscli", "axios", typosquat.Affix},
		{"cli-compound", "cross-env-cli", "cross-env", typosquat.Affix},
		{"cli-other-separator", "mongoose_cli", "mongoose", typosquat.Affix},
		{"dash-lib", "mongoose-lib", "mongoose", typosquat.Affix},
		{"lib-prefix", "lib-axios", "axios", typosquat.Affix},
		{"digit", "lodash2", "lodash", typosquat.Affix},
		{"dash-digit", "axios-2", "axios", typosquat.Affix},
		{"underscore-digit", "mongoose_3", "mongoose", typosquat.Affix},
		{"digit-compound", "react-dom2", "react-dom", typosquat.Affix},
		{"five-letters-digit", "chalk2", "chalk", typosquat.Affix},
		// must not fire
		{"cli-of-a-cli", "ember-cli-cli", "", ""},
		{"glued-cli-of-a-cli", "emberclicli", "", ""},
		{"lib-of-a-lib", "bitcoinjs-lib-lib", "", ""},
		{"lib-of-glued-lib", "zlib-lib", "", ""},
		{"cli-prefix", "cli-axios", "", ""},
		{"glued-lib-suffix", "axioslib", "", ""},
		{"glued-lib-prefix", "libaxios", "", ""},
		{"two-digits", "lodash22", "", ""},
		{"digit-before-affix", "lodash-2-cli", "", ""},
		{"four-letter-name-digit", "util2", "", ""},
		{"numbered-family", "bluebird2", "", ""},
		{"numbered-family-dash", "bluebird-4", "", ""},
		{"below-the-cut-cli", "late-package-cli", "", ""},
		{"below-the-cut-lib", "late-package-lib", "", ""},
		{"below-the-cut-digit", "late-package2", "", ""},
		{"short-cli", "ms-cli", "", ""},
		{"digit-only-name", "axios-", "", ""},
		{"other-word", "axios-client", "", ""},
	})
	// The detail names the affix.
	ix := typosquat.New(pop)
	for in, want := range map[string]string{
		"axios-cli": `"axios-cli" is "axios" with "-cli" added`,
		"lib-axios": `"lib-axios" is "axios" with "lib-" added`,
		"axios-2":   `"axios-2" is "axios" with "-2" added`,
		"lodash2":   `"lodash2" is "lodash" with "2" added`,
	} {
		if m, _ := ix.Nearest(in); m.Detail != want {
			t.Errorf("Nearest(%q).Detail = %q, want %q", in, m.Detail, want)
		}
	}
}

func TestNearestTokenOrder(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"two-words", "env-cross", "cross-env", typosquat.TokenOrder},
		{"three-words", "width-string", "string-width", typosquat.TokenOrder},
		// must not fire
		{"same-order", "cross.env", "", ""},
		{"one-word", "lodash", "", ""},
	})
}

func TestNearestPlural(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"plural", "chalks", "chalk", typosquat.Plural},
		{"plural-compound", "string-widths", "string-width", typosquat.Plural},
		// must not fire: "utils" and "util" are both popular
		{"popular-pair", "utils", "", ""},
		// a plural with the separators changed too is two changes
		// ("http_error" for "http-errors"): 0 labelled rows, 3 held-out names
		{"plural-and-separator", "string_widths", "", ""},
		{"plural-and-joined", "stringwidths", "", ""},
	})
}

func TestNearestScopeConfusion(t *testing.T) {
	runNearest(t, strongIndex(), []nearestTest{
		{"scope-dropped", "types-node", "@types/node", typosquat.ScopeConfusion},
		{"scope-glued", "typesnode", "@types/node", typosquat.ScopeConfusion},
		{"bare-name", "splide", "@splidejs/splide", typosquat.ScopeConfusion},
		{"lookalike-scope", "@typos/node", "@types/node", typosquat.ScopeConfusion},
		{"lookalike-scope-swap", "@bable/core", "@babel/core", typosquat.ScopeConfusion},
		{"lookalike-scope-other-name", "@angullar/forms", "@angular/core", typosquat.ScopeConfusion},
		{"long-scope-two-edits", "@typescript_eslinter/parser", "@typescript-eslint/parser", typosquat.ScopeConfusion},
		// must not fire
		// A scope named after a popular package is its owners' scope.
		{"scope-named-after-package", "@async-mutex/mutex", "", ""},
		{"monorepo-scope", "@lodash/util", "", ""},
		{"popular-scope", "@types/nod", "", ""},
		{"own-scope", "@babel/cor", "", ""},
		{"fork-under-own-scope", "@acme/lodash", "", ""},
		{"scoped-vs-unscoped", "@types/lodash", "", ""},
		{"short-scope", "@typs/x", "", ""},
		{"generic-bare", "core", "", ""},
	})
}

func TestNearestNeverFlags(t *testing.T) {
	ix := typosquat.New(testPopular)
	long := strings.Repeat("a", 215)
	for _, in := range []string{
		"lodash", "LODASH", "jsonstream", "JSONStream", "@types/node", "react-dom",
		"", " ", "a b", "lodash\x00", "@", "@/", "@types/", "/lodash", long, "@" + long,
		strings.Repeat("ｌ", 100), "\xff\xfe", "node_modules/lodash",
	} {
		if m, ok := ix.Nearest(in); ok {
			t.Errorf("Nearest(%q) = %+v, want no match", in, m)
		}
	}
}

func TestDetail(t *testing.T) {
	ix := typosquat.New(testPopular)
	tests := map[string]string{
		"lodahs":      `"lodahs" swaps two letters of "lodash"`,
		"mongose":     `"mongose" drops a letter of "mongoose"`,
		"crossenv":    `"crossenv" is "cross-env" with different separators`,
		"jquery.js":   `"jquery.js" is "jquery" with "-js" added`,
		"types-node":  `"types-node" is scoped "@types/node" without its scope`,
		"@typos/node": `the scope of "@typos/node" imitates the popular scope "@types"`,
		"env-cross":   `"env-cross" reorders the words of "cross-env"`,
	}
	for in, want := range tests {
		m, _ := ix.Nearest(in)
		if diff := cmp.Diff(want, m.Detail); diff != "" {
			t.Errorf("Nearest(%q).Detail diff (-want +got):\n%s", in, diff)
		}
	}
}

func TestWithRules(t *testing.T) {
	ix := typosquat.New(testPopular, typosquat.WithRules(typosquat.Homoglyph))
	if m, ok := ix.Nearest("lodahs"); ok {
		t.Errorf("with only homoglyph: Nearest(%q) = %+v, want no match", "lodahs", m)
	}
	if _, ok := ix.Nearest("1odash"); !ok {
		t.Errorf("with only homoglyph: Nearest(%q) found nothing", "1odash")
	}
}

func TestWithAllowed(t *testing.T) {
	ix := typosquat.New(testPopular, typosquat.WithAllowed("Lodahs"))
	if m, ok := ix.Nearest("lodahs"); ok {
		t.Errorf("Nearest(%q) = %+v, want no match for an allowed name", "lodahs", m)
	}
	if ix.IsPopular("lodahs") {
		t.Errorf("IsPopular(%q) = true; allowed names are not targets", "lodahs")
	}
}

func TestIndex(t *testing.T) {
	ix := typosquat.New(append(testPopular, "lodash", "LODASH", "not a name", ""))
	if got, want := ix.Len(), len(testPopular); got != want {
		t.Errorf("Len() = %d, want %d (duplicates and invalid names dropped)", got, want)
	}
	for in, want := range map[string]bool{"lodash": true, "Lodash": true, "jsonstream": true, "lodahs": false, "not a name": false} {
		if got := ix.IsPopular(in); got != want {
			t.Errorf("IsPopular(%q) = %v, want %v", in, got, want)
		}
	}
	if n := typosquat.Default().Len(); n < 15000 {
		t.Errorf("Default().Len() = %d, want the embedded list of ~17,000 names", n)
	}
	if a, b := typosquat.Default(), typosquat.Default(); a != b {
		t.Error("Default() built twice")
	}
}

func TestDefault(t *testing.T) {
	runNearest(t, typosquat.Default(), []nearestTest{
		{"lodash-typo", "lodahs", "lodash", typosquat.EditDistance},
		{"crossenv", "crossenv", "cross-env", typosquat.Delimiter},
		{"types-node", "types-node", "@types/node", typosquat.ScopeConfusion},
		{"typos-node", "@typos/node", "@types/node", typosquat.ScopeConfusion},
		{"react-dom", "react-dom", "", ""},
		{"lodash", "lodash", "", ""},
		{"types-node-scoped", "@types/node", "", ""},
		{"node", "node", "", ""},
		{"short-near-edit", "rect", "react", typosquat.NearEdit},
		{"three-letters", "rct", "", ""},
	})
}

func TestConcurrentUse(t *testing.T) {
	ix := typosquat.Default()
	names := []string{"lodahs", "crossenv", "@typos/node", "react", "jquery.js", "1odash"}
	want := make([]typosquat.Match, len(names))
	for i, n := range names {
		want[i], _ = ix.Nearest(n)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, n := range names {
				if got, _ := ix.Nearest(n); got != want[i] {
					t.Errorf("concurrent Nearest(%q) = %+v, want %+v", n, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}
