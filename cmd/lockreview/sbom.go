package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/sbom"
)

const sbomUsage = `Usage:
  lockreview sbom <package-lock.json> [--spec 1.6|1.5] [--output FILE]

Writes the CycloneDX SBOM of an npm lockfile (package-lock.json or
npm-shrinkwrap.json): one component per installed name@version with its purl,
hashes, license, distribution URL and scope, and the dependency graph as npm
resolves it. Nothing is installed or fetched.

Flags:
`

func runSBOM(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sbom", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, sbomUsage); fs.PrintDefaults() }
	specFlag := fs.String("spec", "1.6", "CycloneDX specification version: 1.6 or 1.5")
	output := fs.String("output", "", "write to this file instead of standard output")
	path, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, rest = args[0], args[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if path == "" && fs.NArg() == 1 {
		path = fs.Arg(0)
	} else if fs.NArg() > 0 || path == "" {
		fs.Usage()
		return exitUsage
	}
	spec, err := parseSpec(*specFlag)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %v\n", err)
		return exitUsage
	}
	data, err := readFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %v\n", err)
		return exitUsage
	}
	l, err := lockfile.Parse(path, data)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %v\n", err)
		return exitUsage
	}
	serial, err := newSerial()
	if err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %v\n", err)
		return exitUsage
	}
	bom, err := sbom.BOM(l, sbom.WithSpecVersion(spec), sbom.WithSerialNumber(serial), sbom.WithTimestamp(time.Now()), sbom.WithTool("lockreview", version))
	if err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %s: %v\n", path, err)
		return exitUsage
	}
	if err := writeBOM(*output, stdout, bom, spec); err != nil {
		fmt.Fprintf(stderr, "lockreview sbom: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func parseSpec(s string) (cdx.SpecVersion, error) {
	switch s {
	case "1.6":
		return cdx.SpecVersion1_6, nil
	case "1.5":
		return cdx.SpecVersion1_5, nil
	}
	return 0, fmt.Errorf("--spec %q: want 1.6 or 1.5", s)
}

// newSerial returns a random RFC 4122 version 4 URN for serialNumber.
func newSerial() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("serial number: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// writeBOM encodes bom to path, or to w when path is "".
func writeBOM(path string, w io.Writer, bom *cdx.BOM, spec cdx.SpecVersion) error {
	if path == "" {
		return sbom.Encode(w, bom, spec)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := sbom.Encode(f, bom, spec); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeDeltaDocuments writes the SBOM delta document of every reviewed
// lockfile: to path for a single lockfile; with several, to path with the
// lockfile's path folded into the name ("delta.cdx.json" and
// "web/package-lock.json" give "delta.web-package-lock.json.cdx.json").
func writeDeltaDocuments(path string, res *review.Result) error {
	var files []review.FileResult
	for _, f := range res.Files {
		if f.SBOM != nil {
			files = append(files, f)
		}
	}
	for _, f := range files {
		out := path
		if len(files) > 1 {
			out = deltaPath(path, f.Path)
		}
		doc := sbom.DeltaDocument(f.BOM, f.SBOM)
		serial, err := newSerial()
		if err != nil {
			return err
		}
		doc.SerialNumber = serial
		if doc.Metadata != nil {
			doc.Metadata.Timestamp = time.Now().UTC().Format(time.RFC3339)
		}
		if err := writeBOM(out, nil, doc, cdx.SpecVersion1_6); err != nil {
			return fmt.Errorf("SBOM delta of %s: %w", f.Path, err)
		}
	}
	return nil
}

func deltaPath(path, lockfilePath string) string {
	dir, base := filepath.Split(path)
	stem, ext := base, ""
	if i := strings.Index(base, "."); i > 0 {
		stem, ext = base[:i], base[i:]
	}
	slug := strings.NewReplacer("/", "-", "\\", "-").Replace(lockfilePath)
	return filepath.Join(dir, stem+"."+slug+ext)
}
