package typosquat

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "typosquat", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return parseList(string(b))
}

var report = flag.Bool("report", false, "log detection and false flags for each tuning switch")

// TestOperatingPoints reports what each tuning switch buys: detection of the
// known typosquats against false flags on held-out legitimate names. It only
// logs; run it with -v when changing defaultTuning.
func TestOperatingPoints(t *testing.T) {
	if !*report {
		t.Skip("run with -report to see the operating points")
	}
	known := testLines(t, "typosquats.tsv")
	held := testLines(t, "heldout-names.txt")
	legit := testLines(t, "legit-lockfile-names.txt")
	eval := func(label string, ix *Index) {
		det, indexed := 0, 0
		for _, l := range known {
			f := strings.Split(l, "\t")
			name, target := f[0], f[1]
			scope, wholeScope := strings.CutSuffix(target, "*")
			if target == "-" || !wholeScope && !ix.IsPopular(target) {
				continue
			}
			indexed++
			if m, ok := ix.Nearest(name); ok && (m.Target == target || wholeScope && strings.HasPrefix(m.Target, scope)) {
				det++
			}
		}
		count := func(names []string) (n int) {
			for _, s := range names {
				if _, ok := ix.Nearest(s); ok {
					n++
				}
			}
			return n
		}
		fp := count(held)
		t.Logf("%-34s detected %2d/%d  held-out flagged %3d/%d (%.2f%%)  lockfile names flagged %d",
			label, det, indexed, fp, len(held), 100*float64(fp)/float64(len(held)), count(legit))
	}
	def := Default()
	eval("default", def)
	with := func(label string, change func(*tuning)) {
		ix := *def
		change(&ix.tune)
		eval(label, &ix)
	}
	with("+ added/swapped separators", func(c *tuning) { c.delimAdded = true })
	with("+ scope-name for every target", func(c *tuning) { c.joinedRank = 1 << 30 })
	with("+ bare scoped name, every target", func(c *tuning) { c.bareRank = 1 << 30 })
	with("+ token order, every target", func(c *tuning) { c.wordsRank = 1 << 30 })
	with("+ plural, every target", func(c *tuning) { c.pluralRank = 1 << 30 })
	with("+ one edit from 4 letters", func(c *tuning) { c.editMin = 4 })
	with("+ edit at the end of a word", func(c *tuning) { c.editWordEnd = true })
	with("+ drop any letter from 6 letters", func(c *tuning) { c.dropAnyMin = 6 })
	with("+ drop any letter from 7 letters", func(c *tuning) { c.dropAnyMin = 7 })

	with("- drop any letter only from 10", func(c *tuning) { c.dropAnyMin = 10 })
	with("- two edits", func(c *tuning) { c.twoEdits = false })
	with("- affix \"node-\"", func(c *tuning) { c.nodeDash = false })
	with("- glued suffixes", func(c *tuning) { c.gluedSuffix = false })
	with("- both", func(c *tuning) { c.nodeDash, c.gluedSuffix = false, false })
	with("- affix cli", func(c *tuning) { c.cliAffix = false })
	with("- affix -lib, lib-", func(c *tuning) { c.libAffix = false })
	with("- affix digit", func(c *tuning) { c.digitAffix = false })
	with("+ affix glued lib", func(c *tuning) { c.libGlued = true })
	with("+ cli, lib, digit every target", func(c *tuning) { c.affixRank = 1 << 30 })
	with("widest (every switch on)", func(c *tuning) {
		*c = tuning{true, 1 << 30, 1 << 30, 1 << 30, 1 << 30, true, true, minEdit, true, minEdit, true, 4, 1 << 30, true, true, true, true, true, true, 1 << 30, true, 4, true, true, true}
	})
	for _, r := range []Reason{Affix, Delimiter, EditDistance} {
		var rules []Reason
		for _, o := range []Reason{EditDistance, Homoglyph, Delimiter, Affix, TokenOrder, Plural, ScopeConfusion} {
			if o != r {
				rules = append(rules, o)
			}
		}
		var c config
		WithRules(rules...)(&c)
		ix := *def
		ix.rules = c.rules
		eval("- rule "+string(r), &ix)
	}
}

func TestOneEdit(t *testing.T) {
	tests := []struct {
		q, p string
		want string // "" for no plausible typo
	}{
		{"lodahs", "lodash", "swaps two letters of"},
		{"mongose", "mongoose", "drops a letter of"},
		{"monent", "moment", "changes one letter of"},
		{"exprress", "express", "adds a letter to"},
		{"expresz", "express", ""}, // changed last letter: another word more often than a slip
		{"memize", "memoize", ""},  // a dropped letter that is not one of a double
		{"rlodash", "lodash", ""},  // first letter changed
		{"ldoash", "lodash", "swaps two letters of"},
		{"olodash", "lodash", ""},      // added before the first letter
		{"es2016", "es2015", ""},       // a version, not a typo
		{"lodash-", "lodash", ""},      // separators are the Delimiter rule's
		{"react-dim", "react-dom", ""}, // a slip in a word of 3 letters changes the word
		{"json2md", "json2mq", ""},
		{"lodash", "lodash", ""},
	}
	for _, tt := range tests {
		got, _ := oneEdit(tt.q, tt.p, false, 1<<30)
		if got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %q, want %q", tt.q, tt.p, got, tt.want)
		}
	}
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"lodash", "lodash", 2, 0},
		{"lodash", "lodahs", 2, 1},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3},
		{"", "abc", 5, 3},
		{"ca", "abc", 5, 3}, // optimal string alignment, not unrestricted Damerau
		{"typescripteslinter", "typescripteslint", 2, 2},
	}
	for _, tt := range tests {
		if got := osa(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("osa(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestDeletesFindsEveryNameWithinDepth(t *testing.T) {
	names := []string{"lodash", "express", "mongoose", "react-dom", "typescript-eslint"}
	ids := []int32{0, 1, 2, 3, 4}
	d1 := newDeletes(names, ids, 1)
	d2 := newDeletes(names, ids, 2)
	for _, q := range []string{"lodahs", "lodas", "lodashh", "xlodash", "expres", "mongose", "react-don", "typescript-eslintt"} {
		for id, n := range names {
			want1 := osa(q, n, 1) <= 1
			got1 := containsID(d1.candidates(q), int32(id))
			if want1 && !got1 {
				t.Errorf("depth 1: candidates(%q) misses %q", q, n)
			}
			if osa(q, n, 2) <= 2 && !containsID(d2.candidates(q), int32(id)) {
				t.Errorf("depth 2: candidates(%q) misses %q", q, n)
			}
		}
	}
	if got := d1.candidates("zzzzzz"); len(got) != 0 {
		t.Errorf("candidates(%q) = %v, want none", "zzzzzz", got)
	}
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestSkeletons(t *testing.T) {
	tests := []struct {
		name, in, got, want string
	}{
		{"delim", "cross-env", delimSkeleton("cross-env"), "crossenv"},
		{"delim", "lodash.get_x", delimSkeleton("lodash.get_x"), "lodashgetx"},
		{"glyph", "1odash", glyphSkeleton("1odash", 'l'), "lodash"},
		{"glyph", "Iodash", glyphSkeleton("Iodash", 'l'), "lodash"},
		{"glyph", "rnoment", glyphSkeleton("rnoment", 'l'), "moment"},
		{"glyph", "vvebpack", glyphSkeleton("vvebpack", 'l'), "webpack"},
		{"glyph", "l0dash", glyphSkeleton("l0dash", 'l'), "lodash"},
		{"glyph", "uri", glyphSkeleton("uri", 'l'), "uri"},
		{"glyph", "cyrillic", glyphSkeleton("lоdash", 'l'), "lodash"},
		{"singular", "node-hide-console-windows", singularSkeleton("node-hide-console-windows"), "nodehideconsolewindow"},
		{"singular", "classes", singular("classes"), "class"},
		{"singular", "dependencies", singular("dependencies"), "dependency"},
		{"singular", "bus", singular("bus"), "bus"},
		{"singular", "status", singular("status"), "status"},
		{"words", "env-cross", sortedWords(words("env-cross")), "cross-env"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s(%q) diff (-want +got):\n%s", tt.name, tt.in, diff)
		}
	}
}

func TestNearKeys(t *testing.T) {
	for _, p := range []string{"qw", "as", "ed", "rf", "mn", "nm", "bh", "zx", "ik", "ol", "pl"} {
		if !nearKeys(p[0], p[1]) {
			t.Errorf("nearKeys(%q, %q) = false, want true", p[0], p[1])
		}
	}
	for _, p := range []string{"qp", "al", "mq", "aa", "-a", "ms"} {
		if nearKeys(p[0], p[1]) {
			t.Errorf("nearKeys(%q, %q) = true, want false", p[0], p[1])
		}
	}
}

func TestTransposed(t *testing.T) {
	tests := []struct {
		a, b string
		want string // "" for no match
	}{
		{"lodahs", "lodash", "swaps two letters of"},
		{"oldash", "lodash", "swaps two letters of"},
		{"wbe3", "web3", "swaps two letters of"},
		{"we3b", "web3", "swaps two letters of"},
		{"degbu", "debug", "moves a letter of"},       // g moved two places
		{"rceat", "react", "moves a letter of"},       // c moved two places
		{"uglyfijs", "uglifyjs", "moves a letter of"}, // i and y swapped around f
		{"ynar", "yarn", ""},                          // a moved letter needs minMove letters
		{"gto", "got", ""},                            // below minSwap
		{"lohsad", "lodash", ""},                      // a window of four
		{"olhdas", "lodash", ""},                      // two swaps
		{"es2051", "es2015", ""},                      // only digits moved
		{"lodash", "lodash", ""},
		{"lodashx", "lodash", ""},
	}
	for _, tt := range tests {
		if got, _ := transposed(tt.a, tt.b); got != tt.want {
			t.Errorf("transposed(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEndSlip(t *testing.T) {
	tests := []struct {
		q, p string
		want bool
	}{
		{"browserift", "browserify", true}, // t is next to y
		{"bowee", "bower", true},
		{"sqliter", "sqlite", true}, // r is next to e
		{"grunt-replacer", "grunt-replace", true},
		{"browserifz", "browserify", false}, // z is not next to y
		{"sqlites", "sqlite", false},        // a plural
		{"pauser", "pause", false},          // a key added after a five-letter word
		{"gulp-pub", "gulp-pug", false},     // a three-letter word
		{"bowe", "bower", false},            // a dropped letter
		{"vower", "bower", false},           // not the end
		{"browserif", "browserify", false},
		{"bower2", "bower", false},
	}
	for _, tt := range tests {
		if got := endSlip(tt.q, tt.p); got != tt.want {
			t.Errorf("endSlip(%q, %q) = %v, want %v", tt.q, tt.p, got, tt.want)
		}
	}
}

func TestAffixedChar(t *testing.T) {
	tests := []struct {
		q, p string
		want bool
	}{
		{"grunts", "grunt", true},
		{"nlevel", "level", true},
		{"vue2", "vue", true},
		{"p-queue", "pqueue", true},
		{"node-istatic", "node-static", true}, // at the start of an inner word
		{"lodapsh", "lodash", false},          // inside a word
		{"lodsh", "lodash", false},            // a deletion
		{"lodxsh", "lodash", false},           // a substitution
	}
	for _, tt := range tests {
		if got := affixedChar(tt.q, tt.p); got != tt.want {
			t.Errorf("affixedChar(%q, %q) = %v, want %v", tt.q, tt.p, got, tt.want)
		}
	}
}

func TestNumbered(t *testing.T) {
	for _, tt := range []struct{ in, stem, num string }{
		{"lodash2", "lodash", "2"},
		{"axios-2", "axios", "-2"},
		{"react-dom_3", "react-dom", "_3"},
		{"lodash22", "", ""}, // two digits: a size, year or version
		{"lodash", "", ""},
		{"es2", "es", "2"},
		{"2", "", ""},
		{"-2", "", ""},
		{"md5-2", "", ""}, // the name before ends in a digit
		{"lodash--2", "", ""},
	} {
		stem, num, ok := numbered(tt.in)
		if stem != tt.stem || num != tt.num || ok != (tt.stem != "") {
			t.Errorf("numbered(%q) = %q, %q, %v; want %q, %q", tt.in, stem, num, ok, tt.stem, tt.num)
		}
	}
}

// TestNumberedFamily: an established name numbering a popular one makes
// every number of it a family member, not a copy.
func TestNumberedFamily(t *testing.T) {
	ix := New([]string{"lodash", "queue", "axios"}, withEstablished([]string{"queue-2", "Axios.7"}))
	for in, want := range map[string]bool{
		"lodash2": true,  // no family
		"queue3":  false, // "queue-2" is established
		"queue-4": false,
		"axios9":  false, // "axios.7", case-insensitively
	} {
		if _, ok := ix.Nearest(in); ok != want {
			t.Errorf("Nearest(%q) flagged %v, want %v", in, ok, want)
		}
	}
}
