package report

import (
	"strings"
	"testing"
)

func TestLargest(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hi, fit int // fits(n) is n <= fit
		want    int
		wantOK  bool
	}{
		{"all", 10, 10, 10, true},
		{"some", 10, 4, 4, true},
		{"zero", 10, 0, 0, true},
		{"none", 10, -1, 0, false},
		{"empty", 0, 5, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := largest(tc.hi, func(n int) bool { return n <= tc.fit })
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("largest(%d) = %d, %v, want %d, %v", tc.hi, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestHardCut(t *testing.T) {
	s := strings.Repeat("é", 1000)
	got := hardCut(s, 500)
	if len(got) > 500 || !strings.Contains(got, "cut to fit") {
		t.Errorf("hardCut: %d bytes, %q…", len(got), got[len(got)-40:])
	}
	if !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("hardCut split a rune")
	}
	if hardCut("short", 500) != "short" {
		t.Errorf("hardCut cut a string that fits")
	}
}
