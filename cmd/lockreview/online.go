package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/review"
)

// Environment variables read by the online commands. Secrets come only from
// the environment or a file, never from argv.
const (
	envRegistryURL       = "LOCKREVIEW_REGISTRY_URL"
	envRegistryToken     = "LOCKREVIEW_REGISTRY_TOKEN"
	envRegistryTokenFile = "LOCKREVIEW_REGISTRY_TOKEN_FILE"
	envTUFMirror         = "LOCKREVIEW_TUF_MIRROR"
	envDataDir           = "LOCKREVIEW_DATA_DIR"
)

// registryFlags are the flags every online command takes.
type registryFlags struct {
	url, tokenFile string
	timeout        time.Duration
	concurrency    int
	tufMirror      string
	dataDir        string
}

func (rf *registryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&rf.url, "registry", "", "npm registry base URL (default $"+envRegistryURL+", else "+registry.DefaultURL+")")
	fs.StringVar(&rf.tokenFile, "registry-token-file", "", "file holding a bearer token for the registry (default $"+envRegistryTokenFile+"; or set $"+envRegistryToken+")")
	fs.DurationVar(&rf.timeout, "registry-timeout", 10*time.Second, "timeout of one registry request")
	fs.IntVar(&rf.concurrency, "registry-concurrency", review.DefaultConcurrency, "parallel registry requests")
	fs.StringVar(&rf.tufMirror, "tuf-mirror", "", "refresh the Sigstore trusted root through this TUF repository at start-up, e.g. https://tuf-repo-cdn.sigstore.dev (default $"+envTUFMirror+"; unset: the embedded root)")
	fs.StringVar(&rf.dataDir, "data-dir", "", "where the TUF cache lives (default $"+envDataDir+", else the user cache directory)")
}

// verifier returns the provenance verifier: the embedded trusted root, or,
// when a TUF mirror is configured, the root refreshed through it (falling
// back to the embedded one, with a warning, when the refresh fails).
func (rf *registryFlags) verifier(ctx context.Context, stderr io.Writer) (*provenance.Verifier, error) {
	mirror := rf.tufMirror
	if mirror == "" {
		mirror = os.Getenv(envTUFMirror)
	}
	if mirror == "" {
		return provenance.Default()
	}
	dir := rf.dataDir
	if dir == "" {
		dir = os.Getenv(envDataDir)
	}
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("--data-dir: no directory for the TUF cache: %w", err)
		}
		dir = filepath.Join(cache, "lockreview")
	}
	keys, err := provenance.EmbeddedKeys()
	if err != nil {
		return nil, err
	}
	tr, err := provenance.RefreshTrustedRoot(ctx, provenance.TUFOptions{MirrorURL: mirror, CacheDir: filepath.Join(dir, "tuf")})
	if err != nil {
		fmt.Fprintf(stderr, "lockreview: refresh the trusted root through %s: %v; using the embedded one\n", mirror, err)
		return provenance.Default()
	}
	return provenance.NewVerifier(tr, keys)
}

// client builds the registry client from flags and environment.
func (rf *registryFlags) client() (*registry.Client, error) {
	base := rf.url
	if base == "" {
		base = os.Getenv(envRegistryURL)
	}
	if base == "" {
		base = registry.DefaultURL
	}
	opts := []registry.Option{
		registry.WithTimeout(rf.timeout),
		registry.WithConcurrency(rf.concurrency),
		registry.WithUserAgent("lockreview/" + version),
	}
	token, err := rf.token()
	if err != nil {
		return nil, err
	}
	if token != "" {
		opts = append(opts, registry.WithToken(token))
	}
	c, err := registry.New(base, opts...)
	if err != nil {
		return nil, fmt.Errorf("--registry: %w", err)
	}
	return c, nil
}

func (rf *registryFlags) token() (string, error) {
	path := rf.tokenFile
	if path == "" {
		path = os.Getenv(envRegistryTokenFile)
	}
	if path == "" {
		return strings.TrimSpace(os.Getenv(envRegistryToken)), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		// The path is not secret; the contents are never printed.
		return "", fmt.Errorf("registry token file: %w", errors.Unwrap(err))
	}
	return strings.TrimSpace(string(data)), nil
}

// onlineReviewer equips r for an online review.
func onlineReviewer(ctx context.Context, r *review.Reviewer, rf *registryFlags, stderr io.Writer) error {
	c, err := rf.client()
	if err != nil {
		return err
	}
	v, err := rf.verifier(ctx, stderr)
	if err != nil {
		return fmt.Errorf("load the trust roots: %w", err)
	}
	r.Registry, r.Verifier, r.Concurrency = c, v, rf.concurrency
	return nil
}
