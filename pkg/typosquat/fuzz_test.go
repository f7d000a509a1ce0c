package typosquat_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lockreview/lockreview/pkg/typosquat"
)

func FuzzNearest(f *testing.F) {
	for _, s := range []string{
		"lodahs", "crossenv", "@typos/node", "types-node", "1odash", "lоdash", "jquery.js",
		"@typescript_eslinter/eslint", "node-sqlite", "", "@", "@/", "a", "lodash",
		strings.Repeat("a", 214), strings.Repeat("ａ", 80), "\xff", "@x/" + strings.Repeat("-", 100),
	} {
		f.Add(s)
	}
	ix := typosquat.Default()
	reasons := map[typosquat.Reason]bool{
		typosquat.EditDistance: true, typosquat.Homoglyph: true, typosquat.Delimiter: true,
		typosquat.Affix: true, typosquat.TokenOrder: true, typosquat.Plural: true, typosquat.ScopeConfusion: true,
		typosquat.NearEdit: true, typosquat.ScopeDropped: true, typosquat.Transposition: true,
	}
	f.Fuzz(func(t *testing.T, name string) {
		// The fastest of three calls, so that a GC pause or a descheduled
		// worker is not taken for slow code.
		var m typosquat.Match
		var ok bool
		fastest := time.Hour
		for range 3 {
			start := time.Now()
			m, ok = ix.Nearest(name)
			fastest = min(fastest, time.Since(start))
		}
		if fastest > 50*time.Millisecond {
			t.Errorf("Nearest(%q) took %v", name, fastest)
		}
		if !ok {
			if m != (typosquat.Match{}) {
				t.Errorf("Nearest(%q) = %+v with ok=false, want the zero Match", name, m)
			}
			return
		}
		if len(name) > 214 {
			t.Errorf("Nearest of a %d-byte name matched %+v; names over 214 bytes are invalid", len(name), m)
		}
		if ix.IsPopular(name) {
			t.Errorf("Nearest(%q) = %+v for a popular name", name, m)
		}
		if !ix.IsPopular(m.Target) {
			t.Errorf("Nearest(%q).Target = %q is not popular", name, m.Target)
		}
		if !reasons[m.Reason] {
			t.Errorf("Nearest(%q).Reason = %q is not a known rule", name, m.Reason)
		}
		if m.Detail == "" || !utf8.ValidString(m.Detail) {
			t.Errorf("Nearest(%q).Detail = %q", name, m.Detail)
		}
	})
}
