package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
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
)

// registryFlags are the flags every online command takes.
type registryFlags struct {
	url, tokenFile string
	timeout        time.Duration
	concurrency    int
}

func (rf *registryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&rf.url, "registry", "", "npm registry base URL (default $"+envRegistryURL+", else "+registry.DefaultURL+")")
	fs.StringVar(&rf.tokenFile, "registry-token-file", "", "file holding a bearer token for the registry (default $"+envRegistryTokenFile+"; or set $"+envRegistryToken+")")
	fs.DurationVar(&rf.timeout, "registry-timeout", 10*time.Second, "timeout of one registry request")
	fs.IntVar(&rf.concurrency, "registry-concurrency", review.DefaultConcurrency, "parallel registry requests")
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
func onlineReviewer(r *review.Reviewer, rf *registryFlags) error {
	c, err := rf.client()
	if err != nil {
		return err
	}
	v, err := provenance.Default()
	if err != nil {
		return fmt.Errorf("load the embedded trust roots: %w", err)
	}
	r.Registry, r.Verifier, r.Concurrency = c, v, rf.concurrency
	return nil
}
