package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockreview/lockreview/webhook/githubtest"
)

// clearServeEnv unsets every variable serve reads, for the test.
func clearServeEnv(t *testing.T) {
	for _, name := range serveEnv {
		t.Setenv(name, "")
	}
	for _, name := range []string{envWebhookSecret, envRegistryURL, envRegistryToken, envRegistryTokenFile, envTUFMirror, envDataDir} {
		t.Setenv(name, "")
	}
}

func TestServeConfigProblems(t *testing.T) {
	dir := t.TempDir()
	badKey := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(badKey, []byte("-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		args  []string
		want  []string
		never []string
	}{
		{
			name: "nothing-set",
			want: []string{"--app-id (LOCKREVIEW_APP_ID) is required", "--private-key-file (LOCKREVIEW_PRIVATE_KEY_FILE) is required", "webhook secret is required"},
		},
		{
			name:  "invalid-values",
			env:   map[string]string{"LOCKREVIEW_APP_ID": "my-app", "LOCKREVIEW_PRIVATE_KEY_FILE": badKey, "LOCKREVIEW_WEBHOOK_SECRET": "hunter2-secret", "LOCKREVIEW_WORKERS": "many", "LOCKREVIEW_GITHUB_URL": "ghe.example.com"},
			want:  []string{`--app-id (LOCKREVIEW_APP_ID): "my-app" is not a GitHub App id`, "not a PEM-encoded RSA private key", `LOCKREVIEW_WORKERS: invalid value "many"`, "--github-url (LOCKREVIEW_GITHUB_URL)"},
			never: []string{"hunter2-secret", "c2VjcmV0"},
		},
		{
			name: "missing-files",
			env:  map[string]string{"LOCKREVIEW_APP_ID": "42", "LOCKREVIEW_PRIVATE_KEY_FILE": filepath.Join(dir, "nope.pem"), "LOCKREVIEW_WEBHOOK_SECRET_FILE": filepath.Join(dir, "nope")},
			want: []string{"nope.pem: no such file or directory", "--webhook-secret-file (LOCKREVIEW_WEBHOOK_SECRET_FILE): " + filepath.Join(dir, "nope") + ": no such file"},
		},
		{
			name: "flags-checked-too",
			args: []string{"--workers", "0", "--review-timeout", "-1s", "--log-level", "loud"},
			want: []string{"--workers (LOCKREVIEW_WORKERS) must be at least 1", "--review-timeout (LOCKREVIEW_REVIEW_TIMEOUT) must be positive", `--log-level (LOCKREVIEW_LOG_LEVEL): "loud"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearServeEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := runServe(context.Background(), append([]string{"--offline"}, tc.args...), &out, &errOut)
			stderr := errOut.String()
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(stderr, n) {
					t.Errorf("stderr leaks %q:\n%s", n, stderr)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if !strings.HasPrefix(line, "lockreview serve: ") {
					t.Errorf("not one problem per line: %q", line)
				}
			}
		})
	}
}

// serve starts, answers its probes and a signed ping, and stops cleanly on
// cancellation. The flag --listen wins over LOCKREVIEW_LISTEN.
func TestServeStartsAndStops(t *testing.T) {
	clearServeEnv(t)
	gh := githubtest.NewFakeGitHub(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "app.pem")
	if err := os.WriteFile(keyFile, gh.PrivateKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LOCKREVIEW_APP_ID", "4242")
	t.Setenv("LOCKREVIEW_PRIVATE_KEY_FILE", keyFile)
	t.Setenv("LOCKREVIEW_WEBHOOK_SECRET_FILE", secretFile)
	t.Setenv("LOCKREVIEW_GITHUB_URL", gh.URL())
	t.Setenv("LOCKREVIEW_LISTEN", "not an address")
	t.Setenv("LOCKREVIEW_DATA_DIR", filepath.Join(dir, "data"))
	addr := freeAddr(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- runServe(ctx, []string{"--offline", "--listen", addr, "--shutdown-timeout", "5s"}, io.Discard, &errOut)
	}()

	base := "http://" + addr
	waitUp(t, base+"/healthz", done, &errOut)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
	body := []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhook", bytes.NewReader(body))
	githubtest.SetHeaders(req.Header, "ping", "55555555-5555-5555-5555-555555555555", body, []byte("s3cret"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("signed ping = %d, want 200", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after shutdown:\n%s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	logs := errOut.String()
	if strings.Contains(logs, "s3cret") || strings.Contains(logs, "PRIVATE KEY") {
		t.Errorf("logs leak a secret:\n%s", logs)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "deliveries.log")); err != nil {
		t.Errorf("delivery log not kept in the data dir: %v", err)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitUp(t *testing.T, url string, done chan int, logs *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve not up:\n%s", logs.String())
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
