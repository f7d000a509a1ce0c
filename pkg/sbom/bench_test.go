package sbom_test

import (
	"testing"

	"github.com/lockreview/lockreview/pkg/sbom"
)

// The largest real lockfile of the corpus: ~2,900 components from ~4,000
// entries.
const largest = "v2-large-woocommerce-blocks-dependabot"

// BenchmarkBOM builds the BOM of the largest real lockfile (parsing is not
// measured; see pkg/lockfile's BenchmarkParse).
func BenchmarkBOM(b *testing.B) {
	l := parseSide(b, largest, "head")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sbom.BOM(l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDelta compares the base and head BOMs of the largest pair.
func BenchmarkDelta(b *testing.B) {
	base := build(b, parseSide(b, largest, "base"))
	head := build(b, parseSide(b, largest, "head"))
	b.ReportAllocs()
	for b.Loop() {
		sbom.Delta(base, head)
	}
}

// BenchmarkDeltaOf is what a review pays: both BOMs and their delta.
func BenchmarkDeltaOf(b *testing.B) {
	base := parseSide(b, largest, "base")
	head := parseSide(b, largest, "head")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sbom.DeltaOf(base, head); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode writes the largest BOM as CycloneDX 1.6 JSON.
func BenchmarkEncode(b *testing.B) {
	bom := build(b, parseSide(b, largest, "head"))
	b.ReportAllocs()
	for b.Loop() {
		encode(b, bom, 0)
	}
}
