package license_test

import (
	"errors"
	"testing"

	"github.com/lockreview/lockreview/pkg/license"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		ids      int
	}{
		{"MIT", "MIT", 1},
		{"(MIT OR Apache-2.0)", "MIT OR Apache-2.0", 2},
		{"MIT AND (BSD-3-Clause OR ISC)", "MIT AND (BSD-3-Clause OR ISC)", 3},
		{"MIT OR Apache-2.0 AND ISC", "MIT OR (Apache-2.0 AND ISC)", 3},
		{"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", 1},
		{"Apache-2.0+", "Apache-2.0+", 1},
		{"LicenseRef-acme", "LicenseRef-acme", 1},
		{"mit or isc", "mit OR isc", 2},
	}
	for _, tc := range tests {
		e, err := license.Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
		if got := len(e.IDs()); got != tc.ids {
			t.Errorf("Parse(%q).IDs() has %d ids, want %d", tc.in, got, tc.ids)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "(", "MIT OR", "OR MIT", "(MIT", "MIT)", "MIT WITH", "SEE LICENSE IN LICENSE.md", "MIT AND AND ISC", string(make([]byte, 2000))} {
		if _, err := license.Parse(in); !errors.Is(err, license.ErrSyntax) {
			t.Errorf("Parse(%q) error = %v, want ErrSyntax", in, err)
		}
	}
}

func TestSatisfiable(t *testing.T) {
	allow := license.In([]string{"MIT", "Apache-2.0"})
	tests := map[string]bool{
		"MIT":                           true,
		"(MIT OR GPL-3.0-only)":         true,
		"(MIT AND GPL-3.0-only)":        false,
		"GPL-3.0-only":                  false,
		"apache-2.0":                    true,
		"Apache-2.0+":                   true,
		"(ISC OR (MIT AND Apache-2.0))": true,
	}
	for in, want := range tests {
		e, err := license.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Satisfiable(allow); got != want {
			t.Errorf("Parse(%q).Satisfiable(MIT, Apache-2.0) = %v, want %v", in, got, want)
		}
	}
}

// TestGNUVersions: GNU ids are compared by the versions they stand for,
// whether written in the deprecated, the -only or the -or-later form.
func TestGNUVersions(t *testing.T) {
	tests := []struct {
		list []string
		expr string
		want bool // some choice uses only listed licenses
	}{
		{[]string{"GPL-3.0-only"}, "GPL-3.0", true},
		{[]string{"GPL-3.0-only"}, "gpl-3.0", true},
		{[]string{"GPL-3.0-only"}, "GPL-3.0+", true},
		{[]string{"GPL-3.0-only"}, "GPL-3.0-or-later", true},
		{[]string{"GPL-3.0"}, "GPL-3.0-only", true},
		{[]string{"AGPL-3.0-only"}, "AGPL-3.0", true},
		{[]string{"GPL-3.0-only"}, "GPL-2.0-only", false},
		{[]string{"GPL-3.0-only"}, "GPL-2.0-or-later", true}, // GPL-3.0 is one of the choices
		{[]string{"GPL-2.0-only"}, "GPL-3.0-or-later", false},
		{[]string{"LGPL-2.1-only"}, "LGPL-2.0+", true},
		{[]string{"GPL-3.0-only"}, "LGPL-3.0-only", false},
		{[]string{"GFDL-1.3-only"}, "GFDL-1.3-no-invariants-only", false},
		{[]string{"Apache-2.0"}, "Apache-2.0+", true},
	}
	for _, tc := range tests {
		e, err := license.Parse(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Satisfiable(license.In(tc.list)); got != tc.want {
			t.Errorf("Parse(%q).Satisfiable(In(%v)) = %v, want %v", tc.expr, tc.list, got, tc.want)
		}
	}
	// A denied GPL-3.0-only leaves no choice in GPL-3.0 or GPL-3.0-or-later,
	// but GPL-2.0-or-later can still be taken as GPL-2.0-only.
	denied := license.In([]string{"GPL-3.0-only"})
	notDenied := func(id string) bool { return !denied(id) }
	for expr, want := range map[string]bool{"GPL-3.0": false, "GPL-3.0-or-later": false, "GPL-2.0-or-later": true, "MIT AND GPL-3.0+": false} {
		e, err := license.Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Satisfiable(notDenied); got != want {
			t.Errorf("deny GPL-3.0-only: Parse(%q) satisfiable = %v, want %v", expr, got, want)
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"MIT", "MIT", true},
		{"MIT", "mit", true},
		{"(MIT OR Apache-2.0)", "(Apache-2.0 OR MIT)", true},
		{"MIT", "BSD-3-Clause", false},
		{"(MIT AND ISC)", "(MIT OR ISC)", false},
		{"SEE LICENSE IN x", "SEE LICENSE IN x", true},
		{"GPL-3.0", "GPL-3.0-only", true},
		{"GPL-2.0+", "GPL-2.0-or-later", true},
		{"(MIT OR LGPL-2.1)", "(lgpl-2.1-only OR MIT)", true},
		{"GPL-3.0", "GPL-3.0-or-later", false},
		{"GPL-2.0-with-classpath-exception", "GPL-2.0-only", false},
	}
	for _, tc := range tests {
		if got := license.Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"MIT", "(MIT OR Apache-2.0)", "a AND (b OR c WITH d)", "((((", "MIT+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := license.Parse(s)
		if err != nil {
			return
		}
		// A rendered expression parses back to the same rendering.
		again, err := license.Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Fatalf("round trip of %q: %q → %v %v", s, e.String(), again, err)
		}
	})
}
