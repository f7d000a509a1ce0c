package provenance

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/sigstore/sigstore-go/pkg/root"
)

// The trusted material is public data from the npm package @sigstore/tuf,
// whose seeds.json carries the Sigstore TUF repository's targets: the
// public-good trusted_root.json and the npm registry's keys.json. The
// generator reads only that JSON file from the packed tarball; it never
// runs package code. The package version is recorded in
// testdata/README.md.
//
//go:generate go run gen_embedded.go -version 4.0.2 -out embedded

//go:embed embedded/trusted_root.json
var embeddedTrustedRoot []byte

//go:embed embedded/npm-keys.json
var embeddedKeys []byte

// EmbeddedTrustedRoot returns the Sigstore public-good trusted root (Fulcio
// CAs, Rekor and CT log keys, TSAs) embedded at build time.
func EmbeddedTrustedRoot() (*root.TrustedRoot, error) {
	tr, err := root.NewTrustedRootFromJSON(embeddedTrustedRoot)
	if err != nil {
		return nil, fmt.Errorf("embedded trusted root: %w", err)
	}
	return tr, nil
}

// EmbeddedKeys returns the npm registry keys embedded at build time, each
// with its usage and validity window (npm rotated from SHA256:jl3bw… to
// SHA256:DhQ8wR5… in January 2025).
func EmbeddedKeys() ([]Key, error) {
	keys, err := ParseKeys(embeddedKeys)
	if err != nil {
		return nil, fmt.Errorf("embedded npm keys: %w", err)
	}
	return keys, nil
}

var defaultVerifier = sync.OnceValues(func() (*Verifier, error) {
	tr, err := EmbeddedTrustedRoot()
	if err != nil {
		return nil, err
	}
	keys, err := EmbeddedKeys()
	if err != nil {
		return nil, err
	}
	return NewVerifier(tr, keys)
})

// Default returns the Verifier for the embedded trusted root and npm keys,
// with the full identity policy. It is built once and shared.
func Default() (*Verifier, error) {
	return defaultVerifier()
}
