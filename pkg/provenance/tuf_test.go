package provenance_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tuf"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"

	"github.com/lockreview/lockreview/pkg/provenance"
)

// The TUF tests build a repository in memory with go-tuf's metadata API
// (one fresh ed25519 key per top-level role, consistent snapshots, as the
// public-good repository) and serve it from a loopback httptest server.
// Nothing expires before 2100, so the tests do not rot; the expiry tests
// set dates in the past explicitly.

var tufExpiry = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

type tufRepo struct {
	t         *testing.T
	signers   map[string]signature.Signer
	root      *metadata.Metadata[metadata.RootType]
	targets   *metadata.Metadata[metadata.TargetsType]
	snapshot  *metadata.Metadata[metadata.SnapshotType]
	timestamp *metadata.Metadata[metadata.TimestampType]
	// rootV1 is the signed first root version: the trust anchor clients
	// are configured with.
	rootV1 []byte

	srv  *httptest.Server
	hang atomic.Bool // requests block until the client gives up
	stop chan struct{}

	mu    sync.Mutex
	files map[string][]byte // URL path → body
}

// newTUFRepo serves a repository whose trusted_root.json target is
// content.
func newTUFRepo(t *testing.T, content []byte) *tufRepo {
	t.Helper()
	r := &tufRepo{
		t:         t,
		signers:   map[string]signature.Signer{},
		root:      metadata.Root(tufExpiry),
		targets:   metadata.Targets(tufExpiry),
		snapshot:  metadata.Snapshot(tufExpiry),
		timestamp: metadata.Timestamp(tufExpiry),
		stop:      make(chan struct{}),
		files:     map[string][]byte{},
	}
	for _, role := range metadata.TOP_LEVEL_ROLE_NAMES {
		r.addKey(role)
	}
	r.rootV1 = r.signRoot()
	r.publish(content)

	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	t.Cleanup(func() { close(r.stop) }) // runs first: unblocks hanging handlers
	return r
}

func (r *tufRepo) serve(w http.ResponseWriter, req *http.Request) {
	if r.hang.Load() {
		select {
		case <-req.Context().Done():
		case <-r.stop:
		}
		return
	}
	r.mu.Lock()
	body, ok := r.files[req.URL.Path]
	r.mu.Unlock()
	if !ok {
		http.NotFound(w, req)
		return
	}
	_, _ = w.Write(body)
}

func (r *tufRepo) put(path string, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.files[path] = body
}

func (r *tufRepo) get(path string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.files[path]
}

// addKey gives role a new key (replacing its current one, if any).
func (r *tufRepo) addKey(role string) {
	r.t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		r.t.Fatal(err)
	}
	signer, err := signature.LoadSigner(priv, crypto.Hash(0))
	if err != nil {
		r.t.Fatal(err)
	}
	key, err := metadata.KeyFromPublicKey(priv.Public())
	if err != nil {
		r.t.Fatal(err)
	}
	for _, id := range r.root.Signed.Roles[role].KeyIDs {
		if err := r.root.Signed.RevokeKey(id, role); err != nil {
			r.t.Fatal(err)
		}
	}
	if err := r.root.Signed.AddKey(key, role); err != nil {
		r.t.Fatal(err)
	}
	r.signers[role] = signer
}

// signRoot signs the current root version and serves it as
// <version>.root.json.
func (r *tufRepo) signRoot() []byte {
	r.t.Helper()
	r.root.ClearSignatures()
	if _, err := r.root.Sign(r.signers[metadata.ROOT]); err != nil {
		r.t.Fatal(err)
	}
	data, err := r.root.ToBytes(false)
	if err != nil {
		r.t.Fatal(err)
	}
	r.put("/"+strconv.FormatInt(r.root.Signed.Version, 10)+".root.json", data)
	return data
}

// publish makes content the trusted_root.json target, with new targets,
// snapshot and timestamp versions.
func (r *tufRepo) publish(content []byte) {
	r.t.Helper()
	tf, err := metadata.TargetFile().FromBytes("trusted_root.json", content, "sha256")
	if err != nil {
		r.t.Fatal(err)
	}
	r.targets.Signed.Targets["trusted_root.json"] = tf
	r.targets.Signed.Version++
	r.put("/targets/"+hex.EncodeToString(tf.Hashes["sha256"])+".trusted_root.json", content)
	r.put("/"+strconv.FormatInt(r.targets.Signed.Version, 10)+".targets.json", signed(r.t, r.targets, r.signers[metadata.TARGETS]))

	r.snapshot.Signed.Meta["targets.json"] = metadata.MetaFile(r.targets.Signed.Version)
	r.snapshot.Signed.Version++
	r.put("/"+strconv.FormatInt(r.snapshot.Signed.Version, 10)+".snapshot.json", signed(r.t, r.snapshot, r.signers[metadata.SNAPSHOT]))

	r.timestamp.Signed.Meta["snapshot.json"] = metadata.MetaFile(r.snapshot.Signed.Version)
	r.setTimestamp(tufExpiry, r.signers[metadata.TIMESTAMP])
}

// setTimestamp serves a new timestamp version expiring at expires, signed
// by signer.
func (r *tufRepo) setTimestamp(expires time.Time, signer signature.Signer) {
	r.t.Helper()
	r.timestamp.Signed.Expires = expires
	r.timestamp.Signed.Version++
	r.put("/timestamp.json", signed(r.t, r.timestamp, signer))
}

// rotateTimestampKey publishes root version N+1 with a new timestamp key
// and a timestamp signed by it.
func (r *tufRepo) rotateTimestampKey() {
	r.t.Helper()
	r.addKey(metadata.TIMESTAMP)
	r.root.Signed.Version++
	r.signRoot()
	r.setTimestamp(tufExpiry, r.signers[metadata.TIMESTAMP])
}

func signed[T metadata.Roles](t *testing.T, md *metadata.Metadata[T], signer signature.Signer) []byte {
	t.Helper()
	md.ClearSignatures()
	if _, err := md.Sign(signer); err != nil {
		t.Fatal(err)
	}
	data, err := md.ToBytes(false)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// options returns TUFOptions for r with a fresh cache.
func (r *tufRepo) options(t *testing.T) provenance.TUFOptions {
	return provenance.TUFOptions{
		MirrorURL: r.srv.URL,
		CacheDir:  t.TempDir(),
		Root:      r.rootV1,
		Timeout:   10 * time.Second,
		Logger:    slog.New(slog.DiscardHandler),
	}
}

// cacheDir is where sigstore-go's client caches r's metadata.
func (r *tufRepo) cacheDir(opts provenance.TUFOptions) string {
	return filepath.Join(opts.CacheDir, tuf.URLToPath(r.srv.URL))
}

func refresh(t *testing.T, opts provenance.TUFOptions) *root.TrustedRoot {
	t.Helper()
	tr, err := provenance.RefreshTrustedRoot(t.Context(), opts)
	if err != nil {
		t.Fatalf("RefreshTrustedRoot() error: %v", err)
	}
	return tr
}

// checkSameRoot fails unless got is the trusted root data parses to.
func checkSameRoot(t *testing.T, got *root.TrustedRoot, data []byte) {
	t.Helper()
	want, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	gotJSON, err := got.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, err := want.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("RefreshTrustedRoot() = %s\nwant the served root %s", gotJSON, wantJSON)
	}
}

// verifyWith verifies a real npm attestation response with tr and npm's
// embedded keys.
func verifyWith(t *testing.T, tr *root.TrustedRoot) error {
	t.Helper()
	keys, err := provenance.EmbeddedKeys()
	if err != nil {
		t.Fatal(err)
	}
	v, err := provenance.NewVerifier(tr, keys)
	if err != nil {
		t.Fatalf("NewVerifier() error: %v", err)
	}
	_, err = v.VerifyAttestations(fixture(t, "attestations-sigstore@1.0.0.json"), sigstore100)
	return err
}

func TestRefreshTrustedRoot(t *testing.T) {
	served := fixture(t, "../embedded/trusted_root.json")

	t.Run("served-root-verifies-bundle", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		tr := refresh(t, opts)
		checkSameRoot(t, tr, served)
		if err := verifyWith(t, tr); err != nil {
			t.Errorf("VerifyAttestations() with the refreshed root error: %v", err)
		}
		// Again, with the cache filled: metadata refreshed, target from
		// the cache.
		checkSameRoot(t, refresh(t, opts), served)
	})

	t.Run("new-target-replaces-cached", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		refresh(t, opts)
		// A root without CT logs: what is returned is the new target, and
		// verification then fails for want of an SCT log.
		noCT := mutateJSON(t, served, func(m map[string]any) { delete(m, "ctlogs") })
		r.publish(noCT)
		tr := refresh(t, opts)
		checkSameRoot(t, tr, noCT)
		if err := verifyWith(t, tr); !errors.Is(err, provenance.ErrInvalid) {
			t.Errorf("VerifyAttestations() with a root without CT logs = %v, want ErrInvalid", err)
		}
	})

	t.Run("root-rotation", func(t *testing.T) {
		r := newTUFRepo(t, served)
		r.rotateTimestampKey()
		checkSameRoot(t, refresh(t, r.options(t)), served)
	})
}

func TestRefreshTrustedRootRejects(t *testing.T) {
	served := fixture(t, "../embedded/trusted_root.json")
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// cached runs a successful refresh first, so the cache is usable:
		// a repository that serves bad metadata is still an error.
		cached bool
		change func(t *testing.T, r *tufRepo, opts provenance.TUFOptions)
		want   error
	}{
		{
			name: "tampered-target",
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				sum := sha256.Sum256(served)
				path := "/targets/" + hex.EncodeToString(sum[:]) + ".trusted_root.json"
				r.put(path, bytes.Replace(served, []byte("rekor.sigstore.dev"), []byte("rekor.example.com!"), 1))
			},
			want: &metadata.ErrLengthOrHashMismatch{},
		},
		{
			name: "expired-timestamp",
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				r.setTimestamp(past, r.signers[metadata.TIMESTAMP])
			},
			want: &metadata.ErrExpiredMetadata{},
		},
		{
			name:   "expired-timestamp-with-cache",
			cached: true,
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				r.setTimestamp(past, r.signers[metadata.TIMESTAMP])
			},
			want: &metadata.ErrExpiredMetadata{},
		},
		{
			name:   "timestamp-signed-by-another-key",
			cached: true,
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				r.setTimestamp(tufExpiry, r.signers[metadata.SNAPSHOT])
			},
			want: &metadata.ErrUnsignedMetadata{},
		},
		{
			name:   "timestamp-rollback",
			cached: true,
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				old := r.get("/timestamp.json")
				r.publish(served)
				refresh(t, opts) // caches the newer timestamp
				r.put("/timestamp.json", old)
			},
			want: &metadata.ErrBadVersionNumber{},
		},
		{
			name: "target-not-a-trusted-root",
			change: func(t *testing.T, r *tufRepo, opts provenance.TUFOptions) {
				r.publish([]byte(`{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": 1}`))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTUFRepo(t, served)
			opts := r.options(t)
			if tt.cached {
				refresh(t, opts)
			}
			tt.change(t, r, opts)
			tr, err := provenance.RefreshTrustedRoot(t.Context(), opts)
			if err == nil {
				t.Fatalf("RefreshTrustedRoot() = %v, want an error", tr)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("RefreshTrustedRoot() error = %v, want %T", err, tt.want)
			}
		})
	}
}

func TestRefreshTrustedRootOffline(t *testing.T) {
	served := fixture(t, "../embedded/trusted_root.json")

	t.Run("uses-verified-cache", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		var logs bytes.Buffer
		opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		refresh(t, opts)
		r.srv.Close()
		tr := refresh(t, opts)
		checkSameRoot(t, tr, served)
		if err := verifyWith(t, tr); err != nil {
			t.Errorf("VerifyAttestations() with the cached root error: %v", err)
		}
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "using the cached") {
			t.Errorf("log = %q, want a warning about the cache", logs.String())
		}
	})

	t.Run("uses-cache-after-root-rotation", func(t *testing.T) {
		// The cached metadata is signed under root v2, the client is
		// configured with v1: the cache must be read with v2.
		r := newTUFRepo(t, served)
		r.rotateTimestampKey()
		opts := r.options(t)
		refresh(t, opts)
		r.srv.Close()
		checkSameRoot(t, refresh(t, opts), served)
	})

	t.Run("expired-cache", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		refresh(t, opts)
		// As if the cached timestamp had since expired.
		r.setTimestamp(time.Now().Add(-time.Hour), r.signers[metadata.TIMESTAMP])
		if err := os.WriteFile(filepath.Join(r.cacheDir(opts), "timestamp.json"), r.get("/timestamp.json"), 0o600); err != nil {
			t.Fatal(err)
		}
		r.srv.Close()
		_, err := provenance.RefreshTrustedRoot(t.Context(), opts)
		if !errors.Is(err, &metadata.ErrExpiredMetadata{}) {
			t.Errorf("RefreshTrustedRoot() error = %v, want ErrExpiredMetadata", err)
		}
	})

	t.Run("cached-target-missing", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		refresh(t, opts)
		if err := os.RemoveAll(filepath.Join(r.cacheDir(opts), "targets")); err != nil {
			t.Fatal(err)
		}
		r.srv.Close()
		if _, err := provenance.RefreshTrustedRoot(t.Context(), opts); err == nil {
			t.Error("RefreshTrustedRoot() without a cached target: no error")
		}
	})

	t.Run("no-cache", func(t *testing.T) {
		r := newTUFRepo(t, served)
		opts := r.options(t)
		r.srv.Close()
		if _, err := provenance.RefreshTrustedRoot(t.Context(), opts); err == nil {
			t.Error("RefreshTrustedRoot() with the mirror down and no cache: no error")
		}
	})
}

func TestRefreshTrustedRootContext(t *testing.T) {
	served := fixture(t, "../embedded/trusted_root.json")

	tests := []struct {
		name    string
		cached  bool
		ctx     func(t *testing.T) context.Context
		timeout time.Duration
		want    error // nil: the cached root
	}{
		{
			name: "ctx-deadline",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			want: context.DeadlineExceeded,
		},
		{
			// The caller gave up: no fallback on the cache.
			name:   "ctx-deadline-with-cache",
			cached: true,
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			want: context.DeadlineExceeded,
		},
		{
			name:   "ctx-canceled",
			cached: true,
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			want: context.Canceled,
		},
		{
			name:    "timeout",
			timeout: 200 * time.Millisecond,
			want:    context.DeadlineExceeded,
		},
		{
			// A mirror that does not answer in time is an unreachable one.
			name:    "timeout-with-cache",
			cached:  true,
			timeout: 200 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTUFRepo(t, served)
			opts := r.options(t)
			if tt.cached {
				refresh(t, opts)
			}
			r.hang.Store(true)
			ctx := t.Context()
			if tt.ctx != nil {
				ctx = tt.ctx(t)
			}
			if tt.timeout != 0 {
				opts.Timeout = tt.timeout
			}
			start := time.Now()
			tr, err := provenance.RefreshTrustedRoot(ctx, opts)
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("RefreshTrustedRoot() took %v against a mirror that hangs", elapsed)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("RefreshTrustedRoot() error: %v, want the cached root", err)
				}
				checkSameRoot(t, tr, served)
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("RefreshTrustedRoot() = %v, %v; want %v", tr, err, tt.want)
			}
		})
	}
}

func TestRefreshTrustedRootOptions(t *testing.T) {
	tests := []struct {
		name string
		opts provenance.TUFOptions
	}{
		{name: "no-cache-dir", opts: provenance.TUFOptions{MirrorURL: "http://127.0.0.1:1"}},
		{name: "ftp-mirror", opts: provenance.TUFOptions{MirrorURL: "ftp://tuf.example.com", CacheDir: "x"}},
		{name: "mirror-without-host", opts: provenance.TUFOptions{MirrorURL: "https:///metadata", CacheDir: "x"}},
		{name: "mirror-with-query", opts: provenance.TUFOptions{MirrorURL: "https://tuf.example.com/?v=1", CacheDir: "x"}},
		{name: "root-not-tuf-root", opts: provenance.TUFOptions{MirrorURL: "http://127.0.0.1:1", CacheDir: "x", Root: []byte(`{"signed": {"_type": "timestamp"}}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Relative "x": an error before any file is written.
			t.Chdir(t.TempDir())
			if _, err := provenance.RefreshTrustedRoot(t.Context(), tt.opts); err == nil {
				t.Errorf("RefreshTrustedRoot(%+v): no error", tt.opts)
			}
			if _, err := os.Stat("x"); err == nil {
				t.Errorf("RefreshTrustedRoot(%+v) created its cache despite invalid options", tt.opts)
			}
		})
	}
}
