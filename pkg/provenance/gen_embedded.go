//go:build ignore

// gen_embedded extracts the trusted material pkg/provenance embeds from the
// npm package @sigstore/tuf: its seeds.json holds, base64-encoded, the
// targets of Sigstore's public-good TUF repository, among them
// trusted_root.json and the npm registry's keys.json
// ("registry.npmjs.org%2Fkeys.json").
//
// It runs `npm pack @sigstore/tuf@<version> --ignore-scripts` in a temporary
// directory (that only downloads the tarball, checked by npm against the
// registry's integrity) and reads package/seeds.json from the tarball. It
// never unpacks, installs or runs package code.
//
// Usage (from pkg/provenance): go generate ./...
// or: go run gen_embedded.go -version 4.0.2 -out embedded [-tarball x.tgz]
package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const (
	tufRepo       = "https://tuf-repo-cdn.sigstore.dev"
	seedsPath     = "package/seeds.json"
	maxSeedsBytes = 4 << 20
)

// targets maps a seeds.json target name to the file written under -out.
var targets = map[string]string{
	"trusted_root.json":              "trusted_root.json",
	"registry.npmjs.org%2Fkeys.json": "npm-keys.json",
}

func main() {
	version := flag.String("version", "", "version of @sigstore/tuf to read")
	out := flag.String("out", "embedded", "directory to write the JSON files to")
	tarball := flag.String("tarball", "", "use this already packed tarball instead of running npm pack")
	flag.Parse()
	if *version == "" && *tarball == "" {
		log.Fatal("gen_embedded: -version or -tarball is required")
	}
	path := *tarball
	if path == "" {
		var cleanup func()
		var err error
		path, cleanup, err = pack(*version)
		if err != nil {
			log.Fatalf("gen_embedded: %v", err)
		}
		defer cleanup()
	}
	seeds, err := readSeeds(path)
	if err != nil {
		log.Fatalf("gen_embedded: %s: %v", path, err)
	}
	if err := write(seeds, *out); err != nil {
		log.Fatalf("gen_embedded: %v", err)
	}
}

// pack downloads the tarball with npm into a temporary directory.
func pack(version string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "sigstore-tuf-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	cmd := exec.Command("npm", "pack", "@sigstore/tuf@"+version, "--ignore-scripts", "--pack-destination", dir)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("npm pack @sigstore/tuf@%s: %w", version, err)
	}
	lines := strings.Fields(string(name))
	if len(lines) == 0 {
		cleanup()
		return "", nil, errors.New("npm pack printed no file name")
	}
	return filepath.Join(dir, lines[len(lines)-1]), cleanup, nil
}

// readSeeds returns seeds.json from the gzipped tarball, reading nothing else.
func readSeeds(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("no %s in the tarball", seedsPath)
		}
		if err != nil {
			return nil, err
		}
		if h.Name != seedsPath || h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxSeedsBytes+1))
		if err != nil {
			return nil, err
		}
		if len(data) > maxSeedsBytes {
			return nil, fmt.Errorf("%s is larger than %d bytes", seedsPath, maxSeedsBytes)
		}
		return data, nil
	}
}

func write(seeds []byte, out string) error {
	var doc map[string]struct {
		Targets map[string]string `json:"targets"`
	}
	if err := json.Unmarshal(seeds, &doc); err != nil {
		return fmt.Errorf("parse seeds.json: %w", err)
	}
	repo, ok := doc[tufRepo]
	if !ok {
		return fmt.Errorf("seeds.json has no %s repository", tufRepo)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for target, file := range targets {
		b64, ok := repo.Targets[target]
		if !ok {
			return fmt.Errorf("seeds.json has no target %q", target)
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return fmt.Errorf("target %q: %w", target, err)
		}
		if !json.Valid(data) {
			return fmt.Errorf("target %q is not JSON", target)
		}
		if err := os.WriteFile(filepath.Join(out, file), data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes) from %s target %s\n", filepath.Join(out, file), len(data), tufRepo, target)
	}
	return nil
}
