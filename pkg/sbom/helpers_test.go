package sbom_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/sbom"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// realScenarios are the real lockfile pairs of the repository's testdata
// that have golden BOMs and deltas: one per lockfileVersion and one npm
// workspaces monorepo.
var realScenarios = []string{
	"v1-octokit-webhooks-dependabot-lodash",
	"v2-octokit-webhooks-es5-ext-install-script",
	"v3-octokit-webhooks-license-change",
	"v3-workspaces-npm-cli-dependabot-babel-traverse",
}

// lockfilePath returns the path of one side of a scenario: a real pair in
// the repository's testdata/lockfiles, or "crafted" in this package's
// testdata.
func lockfilePath(t testing.TB, scenario, side string) string {
	t.Helper()
	if scenario == "crafted" {
		return filepath.Join("testdata", "crafted", side+".json")
	}
	return testkit.Testdata(t, filepath.Join("lockfiles", scenario, side+".json"))
}

func parse(t testing.TB, path string) *lockfile.Lockfile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lockfile.Parse(filepath.Base(path), data)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return l
}

func parseSide(t testing.TB, scenario, side string) *lockfile.Lockfile {
	t.Helper()
	return parse(t, lockfilePath(t, scenario, side))
}

func build(t testing.TB, l *lockfile.Lockfile, opts ...sbom.Option) *cdx.BOM {
	t.Helper()
	b, err := sbom.BOM(l, opts...)
	if err != nil {
		t.Fatalf("BOM: %v", err)
	}
	return b
}

func encode(t testing.TB, b *cdx.BOM, spec cdx.SpecVersion) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sbom.Encode(&buf, b, spec); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func lockfilesDir(t testing.TB) string {
	t.Helper()
	return testkit.Testdata(t, "lockfiles")
}
