package sbom_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"

	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/sbom"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// goldenOpts pins everything that is not a function of the lockfile.
var goldenOpts = []sbom.Option{
	sbom.WithSerialNumber("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"),
	sbom.WithTimestamp(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)),
	sbom.WithTool("lockreview", "0.0.0-test"),
}

// TestBOMGolden writes the head BOM of each real scenario and both sides of
// the crafted one as CycloneDX 1.6, and the crafted head as 1.5.
func TestBOMGolden(t *testing.T) {
	type golden struct {
		scenario, side string
		spec           cdx.SpecVersion
		file           string
	}
	var cases []golden
	for _, s := range realScenarios {
		cases = append(cases, golden{s, "head", cdx.SpecVersion1_6, s + ".head.cdx.json"})
	}
	cases = append(cases,
		golden{"crafted", "base", cdx.SpecVersion1_6, "crafted.base.cdx.json"},
		golden{"crafted", "head", cdx.SpecVersion1_6, "crafted.head.cdx.json"},
		golden{"crafted", "head", cdx.SpecVersion1_5, "crafted.head.cdx-1.5.json"},
	)
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			opts := append(slices.Clone(goldenOpts), sbom.WithSpecVersion(c.spec))
			got := encode(t, build(t, parseSide(t, c.scenario, c.side), opts...), c.spec)
			testkit.Golden(t, filepath.Join("testdata", "golden", c.file), got)
		})
	}
}

// TestBOMDeterministic: the same lockfile gives the same bytes, and without
// options there is no serial number and no timestamp.
func TestBOMDeterministic(t *testing.T) {
	l := parseSide(t, "v3-workspaces-npm-cli-dependabot-babel-traverse", "head")
	a := encode(t, build(t, l), 0)
	b := encode(t, build(t, parseSide(t, "v3-workspaces-npm-cli-dependabot-babel-traverse", "head")), 0)
	if !bytes.Equal(a, b) {
		t.Fatal("two BOMs of the same lockfile differ")
	}
	for _, s := range []string{`"serialNumber"`, `"timestamp"`} {
		if bytes.Contains(a, []byte(s)) {
			t.Errorf("BOM without options has %s", s)
		}
	}
	if !bytes.Contains(a, []byte(`"specVersion": "1.6"`)) {
		t.Errorf("default spec version is not 1.6")
	}
}

func TestBOMOptions(t *testing.T) {
	l := parseSide(t, "crafted", "base")
	tests := []struct {
		name string
		opt  sbom.Option
		want error
	}{
		{"spec-1.7", sbom.WithSpecVersion(cdx.SpecVersion1_7), sbom.ErrUnsupportedSpec},
		{"spec-1.4", sbom.WithSpecVersion(cdx.SpecVersion1_4), sbom.ErrUnsupportedSpec},
		{"serial-not-urn", sbom.WithSerialNumber("3e671687-395b-41f5-a30f-a58921a69b79"), sbom.ErrInvalidSerial},
		{"serial-junk", sbom.WithSerialNumber("urn:uuid:x"), sbom.ErrInvalidSerial},
		{"tool-without-name", sbom.WithTool("", "1"), sbom.ErrInvalidOption},
		{"spec-1.5", sbom.WithSpecVersion(cdx.SpecVersion1_5), nil},
		{"nil-option", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sbom.BOM(l, tt.opt)
			if !errors.Is(err, tt.want) {
				t.Errorf("BOM(%s) error = %v, want %v", tt.name, err, tt.want)
			}
			if tt.want != nil && !errors.Is(err, sbom.ErrInvalidOption) {
				t.Errorf("BOM(%s) error %v does not wrap ErrInvalidOption", tt.name, err)
			}
		})
	}
	if _, err := sbom.BOM(nil); !errors.Is(err, sbom.ErrNilLockfile) {
		t.Errorf("BOM(nil) error = %v, want ErrNilLockfile", err)
	}
	if err := sbom.Encode(&bytes.Buffer{}, nil, 0); !errors.Is(err, sbom.ErrNilBOM) {
		t.Errorf("Encode(nil) error = %v, want ErrNilBOM", err)
	}
	if err := sbom.Encode(&bytes.Buffer{}, build(t, l), cdx.SpecVersion1_7); !errors.Is(err, sbom.ErrUnsupportedSpec) {
		t.Errorf("Encode(1.7) error = %v, want ErrUnsupportedSpec", err)
	}
}

// TestEncodeDoesNotModify: encoding as 1.5 converts a copy.
func TestEncodeDoesNotModify(t *testing.T) {
	b := build(t, parseSide(t, "crafted", "head"))
	before := encode(t, b, cdx.SpecVersion1_6)
	v15 := encode(t, b, cdx.SpecVersion1_5)
	if !bytes.Contains(v15, []byte(`"specVersion": "1.5"`)) || !bytes.Contains(v15, []byte(`bom-1.5.schema.json`)) {
		t.Errorf("Encode(1.5) did not write a 1.5 document")
	}
	if after := encode(t, b, cdx.SpecVersion1_6); !bytes.Equal(before, after) {
		t.Errorf("Encode(1.5) modified the BOM")
	}
}

// component finds a component by purl.
func component(t *testing.T, b *cdx.BOM, purl string) cdx.Component {
	t.Helper()
	for _, c := range *b.Components {
		if c.PackageURL == purl {
			return c
		}
	}
	t.Fatalf("no component %s", purl)
	return cdx.Component{}
}

func props(c cdx.Component) []string {
	var out []string
	if c.Properties != nil {
		for _, p := range *c.Properties {
			out = append(out, p.Name+"="+p.Value)
		}
	}
	return out
}

func dependsOn(t *testing.T, b *cdx.BOM, ref string) []string {
	t.Helper()
	for _, d := range *b.Dependencies {
		if d.Ref == ref {
			if d.Dependencies == nil {
				return nil
			}
			return *d.Dependencies
		}
	}
	t.Fatalf("no dependency entry for %s", ref)
	return nil
}

// TestBOMCrafted checks the facts of the hand-written fixture one by one.
func TestBOMCrafted(t *testing.T) {
	b := build(t, parseSide(t, "crafted", "base"))
	const git = "pkg:npm/%40apidevtools/json-schema-ref-parser@0.0.0-dev?vcs_url=git%2Bssh:%2F%2Fgit%40github.com%2Fbcherny%2Fjson-schema-ref-parser.git%23984282d34a2993e5243aa35100fe32a63699164d"
	tests := []struct {
		purl      string
		group     string
		name      string
		scope     cdx.Scope
		license   string
		props     []string
		dist      []string
		hashAlgos []cdx.HashAlgorithm
	}{
		{purl: "pkg:npm/string-width@4.2.3", name: "string-width", scope: cdx.ScopeRequired, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/string-width-cjs", "lockreview:alias=string-width-cjs"},
			dist:  []string{"https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: git, group: "@apidevtools", name: "json-schema-ref-parser", scope: cdx.ScopeRequired, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/json-schema-ref-parser", "lockreview:alias=json-schema-ref-parser", "lockreview:source=git"},
			dist:  []string{"git+ssh://git@github.com/bcherny/json-schema-ref-parser.git#984282d34a2993e5243aa35100fe32a63699164d"}},
		{purl: "pkg:npm/local-tgz@1.0.0", name: "local-tgz", scope: cdx.ScopeRequired, license: "name:SEE LICENSE IN LICENSE.md",
			props: []string{"cdx:npm:package:path=node_modules/local-tgz", "lockreview:source=file"},
			dist:  []string{"file:vendor/local-tgz-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/local-dir@0.1.0", name: "local-dir", scope: cdx.ScopeRequired, license: "expression:(MIT OR Apache-2.0)",
			props: []string{"cdx:npm:package:path=../local-dir", "lockreview:workspace=true"}},
		{purl: "pkg:npm/bundler@2.0.0", name: "bundler", scope: cdx.ScopeRequired, license: "id:ISC",
			props: []string{"cdx:npm:package:path=node_modules/bundler"},
			dist:  []string{"https://registry.npmjs.org/bundler/-/bundler-2.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA1, cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/inner@1.0.0", name: "inner", scope: cdx.ScopeRequired, license: "id:BSD-3-Clause",
			props: []string{"cdx:npm:package:bundled=true", "cdx:npm:package:path=node_modules/bundler/node_modules/inner"}},
		{purl: "pkg:npm/jsonstream@1.3.5", name: "JSONStream", scope: cdx.ScopeRequired, license: "expression:(MIT OR Apache-2.0)",
			props: []string{"cdx:npm:package:path=node_modules/JSONStream"},
			dist:  []string{"https://registry.npmjs.org/JSONStream/-/JSONStream-1.3.5.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/native-thing@1.0.0", name: "native-thing", scope: cdx.ScopeRequired, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/native-thing", "lockreview:installScript=true", "lockreview:nativeAddon=node-gyp-build"},
			dist:  []string{"https://registry.npmjs.org/native-thing/-/native-thing-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/dev-tool@1.2.0", name: "dev-tool", scope: cdx.ScopeExcluded, license: "id:MIT",
			props: []string{"cdx:npm:package:development=true", "cdx:npm:package:path=node_modules/dev-tool"},
			dist:  []string{"https://registry.npmjs.org/dev-tool/-/dev-tool-1.2.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		// One copy is dev-only, the other is not: the component is required.
		{purl: "pkg:npm/copy-twice@2.0.0", name: "copy-twice", scope: cdx.ScopeRequired, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/copy-twice", "cdx:npm:package:path=node_modules/dev-tool/node_modules/copy-twice"},
			dist:  []string{"https://registry.npmjs.org/copy-twice/-/copy-twice-2.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/opt-dep@1.0.0", name: "opt-dep", scope: cdx.ScopeOptional, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/opt-dep"},
			dist:  []string{"https://registry.npmjs.org/opt-dep/-/opt-dep-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/shared-devopt@1.0.0", name: "shared-devopt", scope: cdx.ScopeOptional, license: "id:MIT",
			props: []string{"cdx:npm:package:path=node_modules/shared-devopt"},
			dist:  []string{"https://registry.npmjs.org/shared-devopt/-/shared-devopt-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/strip-ansi@6.0.1", name: "strip-ansi", scope: cdx.ScopeRequired, license: "id:MIT", // "mit" in the lockfile
			props: []string{"cdx:npm:package:path=node_modules/strip-ansi"},
			dist:  []string{"https://registry.npmjs.org/strip-ansi/-/strip-ansi-6.0.1.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/%40scope/pkg@1.0.0", group: "@scope", name: "pkg", scope: cdx.ScopeRequired, license: "expression:Apache-2.0 WITH LLVM-exception",
			props: []string{"cdx:npm:package:path=node_modules/@scope/pkg"},
			dist:  []string{"https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/http-dep@1.0.0", name: "http-dep", scope: cdx.ScopeRequired, license: "expression:LicenseRef-Proprietary",
			props: []string{"cdx:npm:package:path=node_modules/http-dep", "lockreview:source=http"},
			dist:  []string{"http://registry.example.com/http-dep/-/http-dep-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/tarball-dep@1.0.0", name: "tarball-dep", scope: cdx.ScopeRequired, license: "name:Custom",
			props: []string{"cdx:npm:package:path=node_modules/tarball-dep", "lockreview:source=tarball"},
			dist:  []string{"https://example.com/tarballs/tarball-dep-1.0.0.tgz"}, hashAlgos: []cdx.HashAlgorithm{cdx.HashAlgoSHA512}},
		{purl: "pkg:npm/ws-a@0.0.1", name: "ws-a", scope: cdx.ScopeRequired, license: "id:MIT",
			props: []string{"cdx:npm:package:path=packages/ws-a", "lockreview:workspace=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := component(t, b, tt.purl)
			if c.BOMRef != tt.purl || c.Type != cdx.ComponentTypeLibrary {
				t.Errorf("bom-ref %q type %q", c.BOMRef, c.Type)
			}
			if c.Group != tt.group || c.Name != tt.name || c.Scope != tt.scope {
				t.Errorf("group %q name %q scope %q, want %q %q %q", c.Group, c.Name, c.Scope, tt.group, tt.name, tt.scope)
			}
			if got := licenseOf(c); got != tt.license {
				t.Errorf("license %q, want %q", got, tt.license)
			}
			if diff := cmp.Diff(tt.props, props(c)); diff != "" {
				t.Errorf("properties (-want +got):\n%s", diff)
			}
			var dist []string
			if c.ExternalReferences != nil {
				for _, r := range *c.ExternalReferences {
					if r.Type != cdx.ERTypeDistribution {
						t.Errorf("external reference of type %q", r.Type)
					}
					dist = append(dist, r.URL)
				}
			}
			if diff := cmp.Diff(tt.dist, dist); diff != "" {
				t.Errorf("distribution (-want +got):\n%s", diff)
			}
			var algos []cdx.HashAlgorithm
			if c.Hashes != nil {
				for _, h := range *c.Hashes {
					algos = append(algos, h.Algorithm)
					if h.Value != strings.ToLower(h.Value) {
						t.Errorf("hash %s not lower-case hex", h.Value)
					}
				}
			}
			if diff := cmp.Diff(tt.hashAlgos, algos); diff != "" {
				t.Errorf("hashes (-want +got):\n%s", diff)
			}
		})
	}

	if n := len(*b.Components); n != 21 {
		t.Errorf("%d components, want 21 (22 non-root entries, 2 links, 1 name@version at two paths)", n)
	}
	root := b.Metadata.Component
	if root.Name != "crafted-app" || root.Version != "1.0.0" || root.BOMRef != "pkg:npm/crafted-app@1.0.0" || licenseOf(*root) != "name:UNLICENSED" {
		t.Errorf("metadata.component = %+v", root)
	}
	wantRoot := []string{
		git, "pkg:npm/%40scope/pkg@1.0.0", "pkg:npm/bundler@2.0.0", "pkg:npm/copy-twice@2.0.0",
		"pkg:npm/dev-tool@1.2.0", "pkg:npm/http-dep@1.0.0", "pkg:npm/jsonstream@1.3.5", "pkg:npm/left-pad@1.3.0",
		"pkg:npm/local-dir@0.1.0", "pkg:npm/local-tgz@1.0.0", "pkg:npm/native-thing@1.0.0", "pkg:npm/opt-dep@1.0.0",
		"pkg:npm/string-width@4.2.3", "pkg:npm/tarball-dep@1.0.0", "pkg:npm/ws-a@0.0.1",
	}
	if diff := cmp.Diff(wantRoot, dependsOn(t, b, root.BOMRef)); diff != "" {
		t.Errorf("root dependsOn (-want +got):\n%s", diff)
	}
	graph := map[string][]string{
		// The alias resolves to the real package; its strip-ansi is the top-level one.
		"pkg:npm/string-width@4.2.3": {"pkg:npm/strip-ansi@6.0.1"},
		// dev-tool's own nested copy wins over the top-level strip-ansi.
		"pkg:npm/dev-tool@1.2.0":     {"pkg:npm/copy-twice@2.0.0", "pkg:npm/strip-ansi@5.2.0"},
		"pkg:npm/bundler@2.0.0":      {"pkg:npm/inner@1.0.0"},
		"pkg:npm/%40scope/pkg@1.0.0": {"pkg:npm/peer-only@3.0.0"},
		// A workspace's devDependencies count; it resolves through the root's node_modules.
		"pkg:npm/ws-a@0.0.1":     {"pkg:npm/dev-tool@1.2.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/shared-devopt@1.0.0"},
		"pkg:npm/left-pad@1.3.0": nil,
	}
	for ref, want := range graph {
		if diff := cmp.Diff(want, dependsOn(t, b, ref), cmpEmpty); diff != "" {
			t.Errorf("%s dependsOn (-want +got):\n%s", ref, diff)
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

func licenseOf(c cdx.Component) string {
	if c.Licenses == nil || len(*c.Licenses) != 1 {
		return ""
	}
	l := (*c.Licenses)[0]
	switch {
	case l.Expression != "":
		return "expression:" + l.Expression
	case l.License != nil && l.License.ID != "":
		return "id:" + l.License.ID
	case l.License != nil:
		return "name:" + l.License.Name
	}
	return ""
}

// TestBOMLockfileV1: lockfileVersion 1 records no root declarations; the
// root depends on the top-level packages nothing else requires.
func TestBOMLockfileV1(t *testing.T) {
	l := parseSide(t, "v1-octokit-webhooks-dependabot-lodash", "head")
	b := build(t, l)
	var version string
	for _, p := range *b.Metadata.Properties {
		if p.Name == sbom.PropLockfileVersion {
			version = p.Value
		}
	}
	if version != "1" {
		t.Errorf("lockreview:lockfileVersion = %q, want 1", version)
	}
	// The inference finds exactly what package.json declares here (all
	// devDependencies; lodash, the package the PR updates, is transitive).
	want := []string{
		"pkg:npm/%40octokit/request@5.0.0", "pkg:npm/cheerio@1.0.0-rc.2", "pkg:npm/execa@2.0.0", "pkg:npm/fs-extra@8.0.0",
		"pkg:npm/json-diff@0.5.3", "pkg:npm/semantic-release@15.12.4", "pkg:npm/standard@14.0.0", "pkg:npm/yargs@14.0.0",
	}
	if diff := cmp.Diff(want, dependsOn(t, b, b.Metadata.Component.BOMRef)); diff != "" {
		t.Errorf("root dependsOn (-want +got):\n%s", diff)
	}
}

// TestBOMEmptyLockfile: a lockfile with no packages is a BOM with no
// components.
func TestBOMEmptyLockfile(t *testing.T) {
	l, err := lockfile.Parse("package-lock.json", []byte(`{"name":"x","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"x","version":"1.0.0"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	b := build(t, l)
	if len(*b.Components) != 0 || len(*b.Dependencies) != 1 {
		t.Errorf("components %d dependencies %d, want 0 and 1", len(*b.Components), len(*b.Dependencies))
	}
	validate(t, encode(t, b, 0), cdx.SpecVersion1_6)
}
