package provenance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tuf"
	"github.com/theupdateframework/go-tuf/v2/metadata"
	tufconfig "github.com/theupdateframework/go-tuf/v2/metadata/config"
	"github.com/theupdateframework/go-tuf/v2/metadata/updater"
)

// This file is the one place in the package that touches the network, the
// clock (TUF expiry) and the disk. It runs at start-up only: the server or
// the CLI refreshes the trusted root once and builds its Verifier from the
// result; a review never waits on TUF.

const (
	// trustedRootTarget is the TUF target holding the Sigstore trusted root.
	trustedRootTarget = "trusted_root.json"
	// defaultTUFTimeout bounds a refresh whose options set no Timeout. The
	// whole public-good repository (a dozen root versions, the top-level
	// metadata and a ~10 KB target) is well under a megabyte.
	defaultTUFTimeout = time.Minute
	userAgent         = "lockreview (sigstore-go TUF client)"
)

// TUFOptions configures a refresh of the Sigstore trusted root through TUF.
type TUFOptions struct {
	// MirrorURL is the TUF repository's base URL; empty means the
	// public-good repository, https://tuf-repo-cdn.sigstore.dev. Every
	// file it serves is checked against signed metadata, so the transport
	// is not trusted; http is accepted (for a local mirror).
	MirrorURL string
	// CacheDir is where TUF metadata and targets are cached, in a
	// subdirectory per mirror (e.g. $LOCKREVIEW_DATA_DIR/tuf). Required:
	// the cache holds the newest verified metadata, which is what protects
	// later refreshes against rollback and what RefreshTrustedRoot falls
	// back on when the mirror cannot be reached. Only the process should be
	// able to write it (go-tuf creates it 0700).
	CacheDir string
	// Root is the TUF repository's initial root.json, the trust anchor of
	// the first refresh. Empty means the public-good root that sigstore-go
	// embeds (tuf.DefaultRoot; v14 in sigstore-go v1.3.0), which is also
	// right for a mirror of the public-good repository. Once CacheDir holds
	// a newer root that a refresh verified, refreshes start from that one.
	Root []byte
	// Timeout bounds the whole refresh, every download included; zero means
	// one minute. Running out of time counts as an unreachable mirror (see
	// RefreshTrustedRoot); the caller's ctx running out does not.
	Timeout time.Duration
	// Logger receives a warning when a refresh falls back on the cache;
	// nil means slog.Default().
	Logger *slog.Logger
}

// RefreshTrustedRoot fetches the target trusted_root.json through
// sigstore-go's TUF client and returns it parsed. The TUF metadata is
// verified as the TUF client workflow requires: each new root by its
// predecessor's and its own threshold of keys, every role's signature
// threshold, version rollbacks, expiry, and the target's length and hash.
//
// It is called at start-up (the server, or a CLI flag), never during a
// review, and it is not safe to run concurrently on one CacheDir.
//
// When the mirror cannot be reached (connection failure, HTTP error,
// oversized response, Timeout), RefreshTrustedRoot uses the cache instead:
// the trusted root from the last successful refresh, provided that the
// cached metadata still verifies against the newest cached root and none of
// it has expired, that is, the state the repository's own expiry dates
// allow a client to keep using. It logs a warning when it does. Without a
// usable cache it fails. Metadata that was downloaded but does not verify
// (bad signatures, rollback, expired, wrong hash) is an error even when the
// cache is usable: the TUF spec says of an expired timestamp to "discard
// it, abort the update cycle, and report the potential freeze attack", and
// the caller, not this function, decides what to run with. A done ctx is an
// error too, never a fallback.
//
// sigstore-go's client takes no context, so ctx reaches it through the
// HTTP fetcher: each download is a request bound to ctx (and to Timeout),
// and once ctx is done every further download fails at once.
func RefreshTrustedRoot(ctx context.Context, opts TUFOptions) (*root.TrustedRoot, error) {
	mirror, err := mirrorURL(opts.MirrorURL)
	if err != nil {
		return nil, fmt.Errorf("refresh trusted root: %w", err)
	}
	if opts.CacheDir == "" {
		return nil, errors.New("refresh trusted root: no TUF cache directory")
	}
	initial := opts.Root
	if len(initial) == 0 {
		initial = tuf.DefaultRoot()
	} else if _, err := rootVersion(initial); err != nil {
		// Checked here: an unreadable Root would otherwise lose to a
		// cached root without a word.
		return nil, fmt.Errorf("refresh trusted root: TUF root: %w", err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTUFTimeout
	}
	cache := tufCache{dir: filepath.Join(opts.CacheDir, tuf.URLToPath(mirror))}

	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	data, err := fetchTrustedRoot(fctx, mirror, opts.CacheDir, cache.anchor(initial))
	if err != nil {
		var fe *fetchError
		if ctx.Err() != nil || !errors.As(err, &fe) {
			return nil, fmt.Errorf("refresh trusted root from %s: %w", mirror, err)
		}
		// Read the anchor again: the failed refresh may have verified and
		// cached newer roots, which go-tuf would otherwise overwrite with
		// an older one.
		cached, cerr := cache.trustedRoot(mirror, cache.anchor(initial))
		if cerr != nil {
			return nil, fmt.Errorf("refresh trusted root from %s: %w (no usable cache: %w)", mirror, err, cerr)
		}
		logger := opts.Logger
		if logger == nil {
			logger = slog.Default()
		}
		logger.WarnContext(ctx, "TUF mirror unreachable; using the cached Sigstore trusted root",
			"tuf_mirror", mirror, "tuf_cache", cache.dir, "error", err)
		data = cached
	}
	tr, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("refresh trusted root: parse %s: %w", trustedRootTarget, err)
	}
	return tr, nil
}

// fetchTrustedRoot runs the online TUF update (never cache-only: no
// CacheValidity, no ForceCache) and returns the verified target.
func fetchTrustedRoot(ctx context.Context, mirror, cacheDir string, anchor []byte) ([]byte, error) {
	c, err := tuf.New(&tuf.Options{
		Root:              anchor,
		CachePath:         cacheDir,
		RepositoryBaseURL: mirror,
		Fetcher:           &ctxFetcher{ctx: ctx, client: &http.Client{}},
	})
	if err != nil {
		return nil, err
	}
	return c.GetTarget(trustedRootTarget)
}

// tufCache is sigstore-go's cache layout for one mirror: the metadata in
// dir, the targets in dir/targets.
type tufCache struct {
	dir string
}

// anchor returns the root to start a TUF update from: the cached root.json
// if it is newer than initial, else initial. "The trusted root metadata
// file" the TUF client workflow starts from is the newest one the client
// verified; sigstore-go's client would start from initial every time,
// overwriting the cached root, so a mirror serving fewer root versions
// could roll the root back, and the cached timestamp, snapshot and targets
// (signed under the newest root) would fail to verify offline.
//
// The version is read without checking signatures: go-tuf checks the
// anchor's own signatures, and the cache only ever holds roots that a
// refresh verified against their predecessors.
func (c tufCache) anchor(initial []byte) []byte {
	cached, err := os.ReadFile(filepath.Join(c.dir, metadata.ROOT+".json"))
	if err != nil {
		return initial
	}
	cv, err := rootVersion(cached)
	if err != nil {
		return initial
	}
	if iv, err := rootVersion(initial); err == nil && iv >= cv {
		return initial
	}
	return cached
}

func rootVersion(data []byte) (int64, error) {
	md, err := metadata.Root().FromBytes(data)
	if err != nil {
		return 0, err
	}
	return md.Signed.Version, nil
}

// trustedRoot returns the cached target, after verifying the cached
// metadata against anchor without any network access (go-tuf's
// UnsafeLocalMode: signatures, thresholds and expiry of the cached
// timestamp, snapshot and targets are checked; only the freshness that a
// download would give is missing).
func (c tufCache) trustedRoot(mirror string, anchor []byte) ([]byte, error) {
	cfg, err := tufconfig.New(mirror, anchor)
	if err != nil {
		return nil, err
	}
	cfg.LocalMetadataDir = c.dir
	cfg.LocalTargetsDir = filepath.Join(c.dir, "targets")
	cfg.UnsafeLocalMode = true
	cfg.Fetcher = offlineFetcher{}
	up, err := updater.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := up.Refresh(); err != nil {
		return nil, err
	}
	ti, err := up.GetTargetInfo(trustedRootTarget)
	if err != nil {
		return nil, err
	}
	path, data, err := up.FindCachedTarget(ti, "")
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("no cached %s matches the cached targets metadata", trustedRootTarget)
	}
	return data, nil
}

// mirrorURL validates raw and returns it without a trailing slash (the
// cache directory is named after it).
func mirrorURL(raw string) (string, error) {
	if raw == "" {
		return tuf.DefaultMirror, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("TUF mirror URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("TUF mirror URL %q: want http(s)://host[/path]", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// fetchError marks a failure to get a file from the mirror (as opposed to
// a file that does not verify): the one kind of failure RefreshTrustedRoot
// falls back on the cache for. It unwraps to the cause, so go-tuf still
// sees *metadata.ErrDownloadHTTP (a 404 for the next root version ends
// its root update).
type fetchError struct {
	err error
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// ctxFetcher implements go-tuf's fetcher.Fetcher with requests bound to
// ctx. It holds a context, against the usual rule, because the interface
// has no context parameter; it lives for one RefreshTrustedRoot call. No
// retries: a refresh that fails falls back on the cache, and the next
// start-up tries again.
type ctxFetcher struct {
	ctx    context.Context
	client *http.Client
}

// DownloadFile implements fetcher.Fetcher. go-tuf passes the length it
// expects (from signed metadata, or its cap for each role) as maxLength;
// the per-call timeout is deprecated in go-tuf and ignored here, ctx
// bounds every call.
func (f *ctxFetcher) DownloadFile(urlPath string, maxLength int64, _ time.Duration) ([]byte, error) {
	data, err := f.download(urlPath, maxLength)
	if err != nil {
		return nil, &fetchError{err: err}
	}
	return data, nil
}

func (f *ctxFetcher) download(urlPath string, maxLength int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, urlPath, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	res, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, &metadata.ErrDownloadHTTP{StatusCode: res.StatusCode, URL: urlPath}
	}
	if res.ContentLength > maxLength {
		return nil, &metadata.ErrDownloadLengthMismatch{Msg: fmt.Sprintf("download %s: length %d is larger than expected %d", urlPath, res.ContentLength, maxLength)}
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, maxLength+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxLength {
		return nil, &metadata.ErrDownloadLengthMismatch{Msg: fmt.Sprintf("download %s: longer than expected %d", urlPath, maxLength)}
	}
	return data, nil
}

// offlineFetcher fails every download: reading the cache must not touch
// the network.
type offlineFetcher struct{}

// DownloadFile implements fetcher.Fetcher.
func (offlineFetcher) DownloadFile(urlPath string, _ int64, _ time.Duration) ([]byte, error) {
	return nil, fmt.Errorf("download %s: reading the TUF cache only", urlPath)
}
