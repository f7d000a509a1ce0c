package sbom_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/sbom"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// markdownMax is the budget the golden Markdown is rendered with.
const markdownMax = 2000

func deltaOf(t testing.TB, scenario string) (*cdx.BOM, *cdx.BOM, *sbom.BOMDelta) {
	t.Helper()
	b := build(t, parseSide(t, scenario, "base"), goldenOpts...)
	h := build(t, parseSide(t, scenario, "head"), goldenOpts...)
	return b, h, sbom.Delta(b, h)
}

func deltaJSON(t testing.TB, d *sbom.BOMDelta) []byte {
	t.Helper()
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// TestDeltaGolden writes, for each real pair and the crafted one, the delta
// as the JSON report's object and as the comment's Markdown section; and
// the crafted pair's delta document.
func TestDeltaGolden(t *testing.T) {
	for _, s := range append(slices.Clone(realScenarios), "crafted") {
		t.Run(s, func(t *testing.T) {
			_, h, d := deltaOf(t, s)
			testkit.Golden(t, filepath.Join("testdata", "golden", s+".delta.json"), deltaJSON(t, d))
			testkit.Golden(t, filepath.Join("testdata", "golden", s+".delta.md"), []byte(d.Markdown(markdownMax)+"\n"))
			if s == "crafted" {
				doc := encode(t, sbom.DeltaDocument(h, d), cdx.SpecVersion1_6)
				testkit.Golden(t, filepath.Join("testdata", "golden", s+".delta.cdx.json"), doc)
			}
		})
	}
}

// TestDeltaCrafted checks every change of the crafted pair.
func TestDeltaCrafted(t *testing.T) {
	_, _, d := deltaOf(t, "crafted")
	ignoreHashes := cmp.FilterPath(func(p cmp.Path) bool {
		return strings.HasSuffix(p.GoString(), ".Hashes")
	}, cmp.Ignore())
	want := &sbom.BOMDelta{
		Added:   []sbom.ComponentRef{{PURL: "pkg:npm/new-dep@1.0.0", Name: "new-dep", Version: "1.0.0"}},
		Removed: []sbom.ComponentRef{{PURL: "pkg:npm/opt-dep@1.0.0", Name: "opt-dep", Version: "1.0.0"}},
		Changed: []sbom.ComponentChange{
			{PURL: "pkg:npm/bundler@2.0.0", Name: "bundler", Version: "2.0.0", Fields: sbom.Fields{Hashes: &sbom.FieldChange{}}},
			{PURL: "pkg:npm/jsonstream@1.3.5", Name: "JSONStream", Version: "1.3.5", Fields: sbom.Fields{
				Scope: &sbom.FieldChange{Before: []string{"required"}, After: []string{"excluded"}}}},
			// The same version now claims another license.
			{PURL: "pkg:npm/strip-ansi@6.0.1", Name: "strip-ansi", Version: "6.0.1", Fields: sbom.Fields{
				License: &sbom.FieldChange{Before: []string{"MIT"}, After: []string{"ISC"}}}},
			{PURL: "pkg:npm/tarball-dep@1.0.0", Name: "tarball-dep", Version: "1.0.0", Fields: sbom.Fields{
				Distribution: &sbom.FieldChange{
					Before: []string{"https://example.com/tarballs/tarball-dep-1.0.0.tgz"},
					After:  []string{"https://mirror.example.net/tarball-dep-1.0.0.tgz"}}}},
		},
		Updated: []sbom.Update{{Name: "left-pad", From: "1.3.0", To: "1.3.1", PURLFrom: "pkg:npm/left-pad@1.3.0", PURLTo: "pkg:npm/left-pad@1.3.1"}},
		EdgesAdded: []sbom.Edge{
			{From: "crafted-app", To: "pkg:npm/left-pad@1.3.1"},
			{From: "crafted-app", To: "pkg:npm/new-dep@1.0.0"},
			{From: "ws-a", To: "pkg:npm/left-pad@1.3.1"},
			{From: "ws-a", To: "pkg:npm/new-dep@1.0.0"},
		},
		EdgesRemoved: []sbom.Edge{
			{From: "crafted-app", To: "pkg:npm/left-pad@1.3.0"},
			{From: "crafted-app", To: "pkg:npm/opt-dep@1.0.0"},
			{From: "ws-a", To: "pkg:npm/left-pad@1.3.0"},
		},
	}
	if diff := cmp.Diff(want, d, ignoreHashes); diff != "" {
		t.Errorf("Delta(crafted) diff (-want +got):\n%s", diff)
	}
	h := d.Changed[0].Fields.Hashes
	if h == nil || len(h.Before) != 2 || len(h.After) != 2 || h.Before[0] == h.After[0] || !strings.HasPrefix(h.Before[1], "SHA-512:") {
		t.Errorf("bundler hashes change = %+v, want both SHA-1 and SHA-512 before and after", h)
	}
}

// TestDeltaLicenseUpdate: fast-uri 3.0.2 (MIT) → 3.0.3 (BSD-3-Clause) is a
// version update that carries its license change; it is not "changed", and
// it is the only update of the pair whose license changed.
func TestDeltaLicenseUpdate(t *testing.T) {
	_, _, d := deltaOf(t, "v3-octokit-webhooks-license-change")
	var got []sbom.Update
	for _, u := range d.Updated {
		if u.Fields != nil {
			got = append(got, u)
		}
	}
	want := []sbom.Update{{
		Name: "fast-uri", From: "3.0.2", To: "3.0.3",
		PURLFrom: "pkg:npm/fast-uri@3.0.2", PURLTo: "pkg:npm/fast-uri@3.0.3",
		Fields: &sbom.Fields{License: &sbom.FieldChange{Before: []string{"MIT"}, After: []string{"BSD-3-Clause"}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("updates with field changes (-want +got):\n%s", diff)
	}
	if len(d.Changed) != 0 {
		t.Errorf("changed = %+v, want none", d.Changed)
	}
}

// TestDeltaRealPairs checks the headline change of each real pair.
func TestDeltaRealPairs(t *testing.T) {
	tests := []struct {
		scenario string
		update   sbom.Update
	}{
		{"v1-octokit-webhooks-dependabot-lodash", sbom.Update{Name: "lodash", From: "4.17.11", To: "4.17.15", PURLFrom: "pkg:npm/lodash@4.17.11", PURLTo: "pkg:npm/lodash@4.17.15"}},
		{"v2-octokit-webhooks-es5-ext-install-script", sbom.Update{Name: "es5-ext", From: "0.10.53", To: "0.10.61", PURLFrom: "pkg:npm/es5-ext@0.10.53", PURLTo: "pkg:npm/es5-ext@0.10.61"}},
		{"v3-workspaces-npm-cli-dependabot-babel-traverse", sbom.Update{Name: "@babel/traverse", From: "7.21.5", To: "7.23.2", PURLFrom: "pkg:npm/%40babel/traverse@7.21.5", PURLTo: "pkg:npm/%40babel/traverse@7.23.2"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			_, _, d := deltaOf(t, tt.scenario)
			if !slices.ContainsFunc(d.Updated, func(u sbom.Update) bool {
				u.Fields = nil
				return u == tt.update
			}) {
				t.Errorf("Updated = %+v, want it to contain %+v", d.Updated, tt.update)
			}
		})
	}
}

// TestDeltaPartition: every purl on one side only is in exactly one of
// added, removed or an update, and Delta of a BOM with itself is empty.
func TestDeltaPartition(t *testing.T) {
	for _, s := range append(slices.Clone(realScenarios), "crafted", "v3-octokit-webhooks-modernize-esbuild", "v3-workspaces-prometheus-dependabot-vite", "v2-octokit-webhooks-git-resolved-ssh") {
		t.Run(s, func(t *testing.T) {
			b, h, d := deltaOf(t, s)
			onlyBase, onlyHead := purlDiff(b, h)
			var removed, added []string
			for _, r := range d.Removed {
				removed = append(removed, r.PURL)
			}
			for _, c := range d.Changed {
				if c.PURLBefore != "" {
					removed = append(removed, c.PURLBefore)
					added = append(added, c.PURL)
				}
			}
			for _, a := range d.Added {
				added = append(added, a.PURL)
			}
			inHead := purlSet(h)
			for _, u := range d.Updated {
				removed = append(removed, u.PURLFrom)
				if !purlSet(b)[u.PURLTo] {
					added = append(added, u.PURLTo)
				} else if !inHead[u.PURLTo] {
					t.Errorf("update %+v goes to a purl not in head", u)
				}
			}
			slices.Sort(removed)
			slices.Sort(added)
			added = slices.Compact(added)
			if diff := cmp.Diff(onlyBase, removed); diff != "" {
				t.Errorf("purls only in base vs removed+updated-from (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(onlyHead, added); diff != "" {
				t.Errorf("purls only in head vs added+updated-to (-want +got):\n%s", diff)
			}
			if self := sbom.Delta(h, h); !self.Empty() {
				t.Errorf("Delta(head, head) = %+v, want empty", self)
			}
		})
	}
}

func purlSet(b *cdx.BOM) map[string]bool {
	m := map[string]bool{}
	for _, c := range *b.Components {
		m[c.PackageURL] = true
	}
	return m
}

func purlDiff(b, h *cdx.BOM) (onlyBase, onlyHead []string) {
	bs, hs := purlSet(b), purlSet(h)
	for p := range bs {
		if !hs[p] {
			onlyBase = append(onlyBase, p)
		}
	}
	for p := range hs {
		if !bs[p] {
			onlyHead = append(onlyHead, p)
		}
	}
	slices.Sort(onlyBase)
	slices.Sort(onlyHead)
	return onlyBase, onlyHead
}

// TestDeltaNilSides: a nil side is an empty tree; the JSON always has every
// list.
func TestDeltaNilSides(t *testing.T) {
	empty := sbom.Delta(nil, nil)
	if !empty.Empty() {
		t.Errorf("Delta(nil, nil) = %+v", empty)
	}
	const wantJSON = `{"added":[],"removed":[],"changed":[],"updated":[],"edgesAdded":[],"edgesRemoved":[]}`
	if got, _ := json.Marshal(empty); string(got) != wantJSON {
		t.Errorf("JSON of an empty delta = %s, want %s", got, wantJSON)
	}
	l := parseSide(t, "crafted", "head")
	added, err := sbom.DeltaOf(nil, l)
	if err != nil {
		t.Fatal(err)
	}
	removed, err := sbom.DeltaOf(l, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(*build(t, l).Components)
	if len(added.Added) != n || len(added.Removed)+len(added.Updated)+len(added.Changed) != 0 || len(added.EdgesAdded) == 0 {
		t.Errorf("DeltaOf(nil, head): %d added (want %d), %d removed, %d updated, %d edges added",
			len(added.Added), n, len(added.Removed), len(added.Updated), len(added.EdgesAdded))
	}
	if len(removed.Removed) != n || len(removed.Added) != 0 || len(removed.EdgesRemoved) != len(added.EdgesAdded) {
		t.Errorf("DeltaOf(head, nil): %d removed (want %d), %d added", len(removed.Removed), n, len(removed.Added))
	}
	if _, err := sbom.DeltaOf(l, l, sbom.WithSpecVersion(cdx.SpecVersion1_7)); err == nil {
		t.Errorf("DeltaOf with an invalid option did not fail")
	}
}

// TestDeltaDocument: the document marks the head's components and lists
// what left, leaves head untouched, and is valid CycloneDX.
func TestDeltaDocument(t *testing.T) {
	_, h, d := deltaOf(t, "crafted")
	before := encode(t, h, 0)
	doc := sbom.DeltaDocument(h, d)
	if after := encode(t, h, 0); !bytes.Equal(before, after) {
		t.Fatal("DeltaDocument modified head")
	}
	if doc.SerialNumber != "" {
		t.Errorf("delta document kept the head's serial number")
	}
	marks := map[string][]string{}
	for _, c := range *doc.Components {
		for _, p := range props(c) {
			if strings.HasPrefix(p, "lockreview:delta") {
				marks[c.PackageURL] = append(marks[c.PackageURL], p)
			}
		}
	}
	want := map[string][]string{
		"pkg:npm/new-dep@1.0.0":     {"lockreview:delta=added"},
		"pkg:npm/left-pad@1.3.1":    {"lockreview:delta=updated", "lockreview:delta:from=pkg:npm/left-pad@1.3.0"},
		"pkg:npm/bundler@2.0.0":     {"lockreview:delta=changed", "lockreview:delta:fields=hashes"},
		"pkg:npm/jsonstream@1.3.5":  {"lockreview:delta=changed", "lockreview:delta:fields=scope"},
		"pkg:npm/strip-ansi@6.0.1":  {"lockreview:delta=changed", "lockreview:delta:fields=license"},
		"pkg:npm/tarball-dep@1.0.0": {"lockreview:delta=changed", "lockreview:delta:fields=distribution"},
	}
	if diff := cmp.Diff(want, marks); diff != "" {
		t.Errorf("component marks (-want +got):\n%s", diff)
	}
	var meta []string
	for _, p := range *doc.Metadata.Properties {
		meta = append(meta, p.Name+"="+p.Value)
	}
	wantMeta := []string{
		"lockreview:delta:edgeAdded=crafted-app pkg:npm/left-pad@1.3.1",
		"lockreview:delta:edgeAdded=crafted-app pkg:npm/new-dep@1.0.0",
		"lockreview:delta:edgeAdded=ws-a pkg:npm/left-pad@1.3.1",
		"lockreview:delta:edgeAdded=ws-a pkg:npm/new-dep@1.0.0",
		"lockreview:delta:edgeRemoved=crafted-app pkg:npm/left-pad@1.3.0",
		"lockreview:delta:edgeRemoved=crafted-app pkg:npm/opt-dep@1.0.0",
		"lockreview:delta:edgeRemoved=ws-a pkg:npm/left-pad@1.3.0",
		"lockreview:delta:removed=pkg:npm/opt-dep@1.0.0",
		"lockreview:lockfileVersion=3",
	}
	if diff := cmp.Diff(wantMeta, meta); diff != "" {
		t.Errorf("metadata properties (-want +got):\n%s", diff)
	}
	validate(t, encode(t, doc, cdx.SpecVersion1_6), cdx.SpecVersion1_6)
	validate(t, encode(t, doc, cdx.SpecVersion1_5), cdx.SpecVersion1_5)

	// A deleted lockfile: no head, everything removed.
	b := build(t, parseSide(t, "crafted", "base"))
	gone := sbom.DeltaDocument(nil, sbom.Delta(b, nil))
	if len(*gone.Components) != 0 || len(*gone.Metadata.Properties) < len(*b.Components) {
		t.Errorf("delta document of a deleted lockfile: %d components, %d metadata properties", len(*gone.Components), len(*gone.Metadata.Properties))
	}
	validate(t, encode(t, gone, 0), cdx.SpecVersion1_6)
	validate(t, encode(t, sbom.DeltaDocument(h, nil), 0), cdx.SpecVersion1_6)
}

// TestDeltaAttacks: the crafted attack pairs of the shared corpus and the
// git URL change show as what they are.
func TestDeltaAttacks(t *testing.T) {
	type changed struct {
		purl, before, fields string
	}
	tests := []struct {
		scenario string
		changed  []changed
		added    []string
	}{
		{scenario: "attack-integrity-swap", changed: []changed{{"pkg:npm/undici@6.20.1", "", "hashes"}}},
		{scenario: "attack-lockfile-injection", changed: []changed{{"pkg:npm/lodash@4.17.21", "", "hashes,distribution"}}},
		{scenario: "attack-duplicate-key", changed: []changed{{"pkg:npm/lodash@4.17.21", "", "hashes,distribution"}}},
		{scenario: "attack-typosquat", added: []string{"pkg:npm/crossenv@6.1.1"}},
		{scenario: "v2-octokit-webhooks-git-resolved-ssh", changed: []changed{{
			"pkg:npm/%40apidevtools/json-schema-ref-parser@0.0.0-dev?vcs_url=git%2Bssh:%2F%2Fgit%40github.com%2Fbcherny%2Fjson-schema-ref-parser.git%23984282d34a2993e5243aa35100fe32a63699164d",
			"pkg:npm/%40apidevtools/json-schema-ref-parser@0.0.0-dev?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fbcherny%2Fjson-schema-ref-parser.git%23984282d34a2993e5243aa35100fe32a63699164d",
			"distribution"}}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			_, _, d := deltaOf(t, tt.scenario)
			var gotChanged []changed
			for _, c := range d.Changed {
				var fields []string
				if c.Fields.Hashes != nil {
					fields = append(fields, "hashes")
				}
				if c.Fields.License != nil {
					fields = append(fields, "license")
				}
				if c.Fields.Distribution != nil {
					fields = append(fields, "distribution")
				}
				if c.Fields.Scope != nil {
					fields = append(fields, "scope")
				}
				gotChanged = append(gotChanged, changed{c.PURL, c.PURLBefore, strings.Join(fields, ",")})
			}
			var gotAdded []string
			for _, a := range d.Added {
				gotAdded = append(gotAdded, a.PURL)
			}
			if diff := cmp.Diff(tt.changed, gotChanged, cmp.AllowUnexported(changed{})); diff != "" {
				t.Errorf("changed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.added, gotAdded); diff != "" {
				t.Errorf("added (-want +got):\n%s", diff)
			}
		})
	}
}
