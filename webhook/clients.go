package webhook

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v60/github"
	lru "github.com/hashicorp/golang-lru/v2"
)

// ParsePrivateKey parses the App's PEM private key (PKCS#1 or PKCS#8 RSA,
// as GitHub hands it out). Its errors never quote the input.
func ParsePrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	k, err := jwt.ParseRSAPrivateKeyFromPEM(pemBytes)
	if err != nil {
		return nil, errors.New("private key: not a PEM-encoded RSA private key (PKCS#1 or PKCS#8)")
	}
	return k, nil
}

// Apps authenticates as one GitHub App and hands out an API client per
// installation, cached: ghinstallation keeps each installation's token and
// renews it a minute before it expires, so a cached client costs one token
// request an hour. Safe for concurrent use.
type Apps struct {
	appID     int64
	key       *rsa.PrivateKey
	ep        Endpoints
	transport http.RoundTripper
	userAgent string
	maxFile   int64

	clients  *lru.Cache[int64, *Client]
	comments *lru.Cache[string, int64] // "owner/repo#12" → our comment's id

	mu       sync.Mutex
	botLogin string
}

// AppsOption configures NewApps.
type AppsOption func(*appsConfig)

type appsConfig struct {
	transport      http.RoundTripper
	metrics        *Metrics
	attemptTimeout time.Duration
	retries        int
	backoff        time.Duration
	maxWait        time.Duration
	userAgent      string
	maxFile        int64
}

// WithTransport sends requests through rt instead of http.DefaultTransport
// (tests; proxies).
func WithTransport(rt http.RoundTripper) AppsOption {
	return func(c *appsConfig) { c.transport = rt }
}

// WithGitHubMetrics counts GitHub requests and retries in m.
func WithGitHubMetrics(m *Metrics) AppsOption { return func(c *appsConfig) { c.metrics = m } }

// WithRequestTimeout bounds each attempt of a GitHub request, body included
// (default 30s).
func WithRequestTimeout(d time.Duration) AppsOption {
	return func(c *appsConfig) { c.attemptTimeout = d }
}

// WithRetry sets how often a failed GitHub request is repeated (default 4),
// the first backoff step (default 500ms, doubling) and the longest wait the
// server may ask for (default 90s; a longer Retry-After fails the request).
func WithRetry(retries int, backoff, maxWait time.Duration) AppsOption {
	return func(c *appsConfig) { c.retries, c.backoff, c.maxWait = retries, backoff, maxWait }
}

// WithUserAgent sets the User-Agent of GitHub requests.
func WithUserAgent(ua string) AppsOption { return func(c *appsConfig) { c.userAgent = ua } }

// WithMaxFileSize bounds a file read from a repository (default 100 MiB,
// the most GitHub's contents API serves).
func WithMaxFileSize(n int64) AppsOption { return func(c *appsConfig) { c.maxFile = n } }

// NewApps returns the App's client source. key is the parsed private key;
// ep comes from ParseGitHubURL.
func NewApps(appID int64, key *rsa.PrivateKey, ep Endpoints, opts ...AppsOption) (*Apps, error) {
	cfg := appsConfig{
		transport:      http.DefaultTransport,
		attemptTimeout: 30 * time.Second,
		retries:        4,
		backoff:        500 * time.Millisecond,
		maxWait:        90 * time.Second,
		userAgent:      "lockreview",
		maxFile:        100 << 20,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if appID <= 0 || key == nil {
		return nil, errors.New("github app: an App id and a private key are required")
	}
	if _, err := url.Parse(ep.API); err != nil || ep.API == "" || ep.Tokens == "" {
		return nil, errors.New("github app: endpoints not set (use ParseGitHubURL)")
	}
	clients, _ := lru.New[int64, *Client](1024)
	comments, _ := lru.New[string, int64](10_000)
	return &Apps{
		appID: appID,
		key:   key,
		ep:    ep,
		transport: &retryTransport{
			next:           cfg.transport,
			retries:        cfg.retries,
			backoff:        cfg.backoff,
			maxWait:        cfg.maxWait,
			attemptTimeout: cfg.attemptTimeout,
			metrics:        cfg.metrics,
			now:            time.Now,
		},
		userAgent: cfg.userAgent,
		maxFile:   cfg.maxFile,
		clients:   clients,
		comments:  comments,
	}, nil
}

// useMetrics counts GitHub requests in m unless WithGitHubMetrics did.
func (a *Apps) useMetrics(m *Metrics) {
	if rt, ok := a.transport.(*retryTransport); ok && rt.metrics == nil {
		rt.metrics = m
	}
}

// Endpoints returns the API endpoints the App talks to.
func (a *Apps) Endpoints() Endpoints { return a.ep }

// AppID returns the App's id.
func (a *Apps) AppID() int64 { return a.appID }

// Installation returns the API client acting as installation id. It makes
// no request: the token is minted on the first call that needs it.
func (a *Apps) Installation(id int64) *Client {
	if c, ok := a.clients.Get(id); ok {
		return c
	}
	// One AppsTransport per installation: ghinstallation writes the shared
	// one's BaseURL and Client on every token refresh, which would race
	// between installations.
	atr := ghinstallation.NewAppsTransportFromPrivateKey(a.transport, a.appID, a.key)
	atr.BaseURL = a.ep.Tokens
	itr := ghinstallation.NewFromAppsTransport(atr, id)
	itr.BaseURL = a.ep.Tokens
	c := &Client{gh: a.newGitHub(itr), apps: a, installation: id}
	// Two goroutines may build a client for the same new installation; one
	// wins the cache, both work.
	a.clients.Add(id, c)
	return c
}

// Forget drops an installation's cached client (the App was uninstalled).
func (a *Apps) Forget(id int64) { a.clients.Remove(id) }

func (a *Apps) newGitHub(rt http.RoundTripper) *github.Client {
	gh := github.NewClient(&http.Client{Transport: rt})
	// Setting BaseURL is what WithEnterpriseURLs does, minus its guess at
	// "/api/v3/": ParseGitHubURL has already resolved the root.
	gh.BaseURL, _ = url.Parse(a.ep.API)
	gh.UploadURL, _ = url.Parse(a.ep.API)
	gh.UserAgent = a.userAgent
	return gh
}

// login returns the App's bot account login ("<slug>[bot]"), asked once of
// GET /app with the App's JWT.
//
// GitHub API docs: https://docs.github.com/rest/apps/apps#get-the-authenticated-app
func (a *Apps) login(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.botLogin != "" {
		return a.botLogin, nil
	}
	atr := ghinstallation.NewAppsTransportFromPrivateKey(a.transport, a.appID, a.key)
	atr.BaseURL = a.ep.Tokens
	app, _, err := a.newGitHub(atr).Apps.Get(ctx, "")
	if err != nil {
		return "", fmt.Errorf("get the app: %w", err)
	}
	if app.GetSlug() == "" {
		return "", errors.New("get the app: no slug in the answer")
	}
	a.botLogin = app.GetSlug() + "[bot]"
	return a.botLogin, nil
}
