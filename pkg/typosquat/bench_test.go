package typosquat_test

import (
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/typosquat"
)

// BenchmarkNearest measures one Nearest call: over the 5,346 distinct names of
// the real lockfiles in testdata (the largest, woocommerce-blocks, has ~4,000),
// over the known typosquats, and over a worst-case long input. ns/op is per name.
func BenchmarkNearest(b *testing.B) {
	ix := typosquat.Default()
	var squats []string
	for _, l := range knownTyposquats(b) {
		squats = append(squats, l.name)
	}
	inputs := map[string][]string{
		"lockfile-names": readLines(b, "legit-lockfile-names.txt"),
		"typosquats":     squats,
		"long":           {strings.Repeat("lodash-", 30), "@" + strings.Repeat("typescript-eslint", 12) + "/x"},
	}
	for _, name := range []string{"lockfile-names", "typosquats", "long"} {
		names := inputs[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.Nearest(names[i%len(names)])
				i++
			}
		})
	}
}

// BenchmarkNew measures building the index over the embedded list, which
// Default does once.
func BenchmarkNew(b *testing.B) {
	popular := typosquat.Popular()
	b.ReportAllocs()
	for b.Loop() {
		typosquat.New(popular)
	}
}
