package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lockreview/lockreview/pkg/registry"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/typosquat"
	"github.com/lockreview/lockreview/webhook"
)

const serveUsage = `Usage:
  lockreview serve [flags]

Runs the lockreview GitHub App: receives webhooks on POST /webhook, reviews
every pull request that changes package-lock.json or npm-shrinkwrap.json, and
answers with one comment and the "lockreview" check run. Also serves /healthz,
/readyz and /metrics (Prometheus).

Every flag can be set by its environment variable instead (a flag wins).
Secrets are read from files or the environment, never from a flag's value:
  LOCKREVIEW_APP_ID               --app-id               GitHub App id (required)
  LOCKREVIEW_PRIVATE_KEY_FILE     --private-key-file     the App's PEM private key (required)
  LOCKREVIEW_WEBHOOK_SECRET_FILE  --webhook-secret-file  file holding the webhook secret, or
  LOCKREVIEW_WEBHOOK_SECRET                              the secret itself (one is required)
  LOCKREVIEW_LISTEN               --listen               address to listen on (:8080)
  LOCKREVIEW_GITHUB_URL           --github-url           https://github.com, or a GitHub Enterprise Server URL
  LOCKREVIEW_REGISTRY_URL         --registry             npm registry (https://registry.npmjs.org)
  LOCKREVIEW_REGISTRY_TOKEN_FILE  --registry-token-file  registry bearer token file (or LOCKREVIEW_REGISTRY_TOKEN)
  LOCKREVIEW_OFFLINE              --offline              no registry lookups
  LOCKREVIEW_WORKERS              --workers              reviews run at once (4)
  LOCKREVIEW_QUEUE_SIZE           --queue-size           reviews waiting before deliveries get 503 (1000)
  LOCKREVIEW_REVIEW_TIMEOUT       --review-timeout       time limit of one review (5m)
  LOCKREVIEW_SHUTDOWN_TIMEOUT     --shutdown-timeout     time to drain reviews on SIGTERM (60s)
  LOCKREVIEW_DATA_DIR             --data-dir             remember delivery ids here across restarts
  LOCKREVIEW_LOG_LEVEL            --log-level            debug, info, warn or error (info)

Flags:
`

// serveEnv maps each serve flag to its environment variable. Flags of
// registryFlags read their variables themselves.
var serveEnv = map[string]string{
	"app-id":              "LOCKREVIEW_APP_ID",
	"private-key-file":    "LOCKREVIEW_PRIVATE_KEY_FILE",
	"webhook-secret-file": "LOCKREVIEW_WEBHOOK_SECRET_FILE",
	"listen":              "LOCKREVIEW_LISTEN",
	"github-url":          "LOCKREVIEW_GITHUB_URL",
	"offline":             "LOCKREVIEW_OFFLINE",
	"workers":             "LOCKREVIEW_WORKERS",
	"queue-size":          "LOCKREVIEW_QUEUE_SIZE",
	"review-timeout":      "LOCKREVIEW_REVIEW_TIMEOUT",
	"shutdown-timeout":    "LOCKREVIEW_SHUTDOWN_TIMEOUT",
	"data-dir":            "LOCKREVIEW_DATA_DIR",
	"log-level":           "LOCKREVIEW_LOG_LEVEL",
}

const envWebhookSecret = "LOCKREVIEW_WEBHOOK_SECRET"

type serveFlags struct {
	appID                string
	keyFile, secretFile  string
	listen, githubURL    string
	offline              bool
	workers, queueSize   int
	reviewTimeout, drain time.Duration
	logLevel             string
	registry             registryFlags
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	var sf serveFlags
	fs.StringVar(&sf.appID, "app-id", "", "GitHub App id")
	fs.StringVar(&sf.keyFile, "private-key-file", "", "file holding the App's PEM private key")
	fs.StringVar(&sf.secretFile, "webhook-secret-file", "", "file holding the webhook secret")
	fs.StringVar(&sf.listen, "listen", ":8080", "address to listen on")
	fs.StringVar(&sf.githubURL, "github-url", webhook.PublicGitHubAPI, "GitHub URL: https://github.com or a GitHub Enterprise Server URL")
	fs.BoolVar(&sf.offline, "offline", false, "skip the registry lookups (online checks, provenance, signatures)")
	fs.IntVar(&sf.workers, "workers", 4, "reviews run at once")
	fs.IntVar(&sf.queueSize, "queue-size", 1000, "reviews waiting for a worker before deliveries are refused with 503")
	fs.DurationVar(&sf.reviewTimeout, "review-timeout", 5*time.Minute, "time limit of one review")
	fs.DurationVar(&sf.drain, "shutdown-timeout", time.Minute, "time given to reviews in flight on SIGTERM")
	fs.StringVar(&sf.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	// registryFlags adds --registry, --registry-token-file, --tuf-mirror and
	// --data-dir (here also where delivery ids are kept across restarts).
	sf.registry.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lockreview serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	problems := applyEnv(fs, serveEnv)
	cfg, log, more := sf.config(ctx, stderr)
	if problems = append(problems, more...); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "lockreview serve: %s\n", p)
		}
		return exitUsage
	}

	ln, err := net.Listen("tcp", sf.listen)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview serve: listen: %v\n", err)
		return exitUsage
	}
	srv, err := webhook.NewServer(cfg)
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "lockreview serve: %v\n", err)
		return exitUsage
	}
	log.Info("lockreview serve", "version", version, "app_id", cfg.AppID, "github_api", cfg.Apps.Endpoints().API,
		"online", !sf.offline, "workers", sf.workers, "review_timeout", sf.reviewTimeout.String(), "data_dir", sf.registry.dataDir)
	if err := srv.Serve(ctx, ln, sf.drain); err != nil {
		log.Error("server stopped", "error", err)
		return 1
	}
	log.Info("server stopped")
	return exitOK
}

// applyEnv sets each flag not given on the command line from its
// environment variable, and returns one problem per invalid value.
func applyEnv(fs *flag.FlagSet, env map[string]string) []string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var problems []string
	fs.VisitAll(func(f *flag.Flag) {
		name, ok := env[f.Name]
		if !ok || given[f.Name] {
			return
		}
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: invalid value %q", name, v))
		}
	})
	return problems
}

// config checks every setting and builds the server configuration; each
// problem is one line naming the setting. Secrets never appear in them.
func (sf *serveFlags) config(ctx context.Context, stderr io.Writer) (webhook.Config, *slog.Logger, []string) {
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	var level slog.Level
	if err := level.UnmarshalText([]byte(sf.logLevel)); err != nil {
		add("--log-level (LOCKREVIEW_LOG_LEVEL): %q is not debug, info, warn or error", sf.logLevel)
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	appID, err := strconv.ParseInt(strings.TrimSpace(sf.appID), 10, 64)
	switch {
	case sf.appID == "":
		add("--app-id (LOCKREVIEW_APP_ID) is required: the GitHub App's id, from its settings page")
	case err != nil || appID <= 0:
		add("--app-id (LOCKREVIEW_APP_ID): %q is not a GitHub App id", sf.appID)
	}

	var apps *webhook.Apps
	ep, err := webhook.ParseGitHubURL(sf.githubURL)
	if err != nil {
		add("--github-url (LOCKREVIEW_GITHUB_URL): %v", err)
	}
	if sf.keyFile == "" {
		add("--private-key-file (LOCKREVIEW_PRIVATE_KEY_FILE) is required: the App's private key (.pem) downloaded from its settings page")
	} else if pemBytes, err := readSecretFile(sf.keyFile); err != nil {
		add("--private-key-file (LOCKREVIEW_PRIVATE_KEY_FILE): %v", err)
	} else if key, err := webhook.ParsePrivateKey(pemBytes); err != nil {
		add("--private-key-file (LOCKREVIEW_PRIVATE_KEY_FILE) %s: %v", sf.keyFile, err)
	} else if appID > 0 && ep.API != "" {
		apps, err = webhook.NewApps(appID, key, ep, webhook.WithUserAgent("lockreview/"+version))
		if err != nil {
			add("%v", err)
		}
	}

	var secret []byte
	switch {
	case sf.secretFile != "":
		data, err := readSecretFile(sf.secretFile)
		if err != nil {
			add("--webhook-secret-file (LOCKREVIEW_WEBHOOK_SECRET_FILE): %v", err)
		}
		secret = []byte(strings.TrimSpace(string(data)))
		if err == nil && len(secret) == 0 {
			add("--webhook-secret-file (LOCKREVIEW_WEBHOOK_SECRET_FILE) %s is empty", sf.secretFile)
		}
	case os.Getenv(envWebhookSecret) != "":
		secret = []byte(strings.TrimSpace(os.Getenv(envWebhookSecret)))
	default:
		add("webhook secret is required: set LOCKREVIEW_WEBHOOK_SECRET_FILE (--webhook-secret-file) or LOCKREVIEW_WEBHOOK_SECRET to the App's webhook secret")
	}

	if sf.workers < 1 {
		add("--workers (LOCKREVIEW_WORKERS) must be at least 1, got %d", sf.workers)
	}
	if sf.queueSize < 1 {
		add("--queue-size (LOCKREVIEW_QUEUE_SIZE) must be at least 1, got %d", sf.queueSize)
	}
	if sf.reviewTimeout <= 0 {
		add("--review-timeout (LOCKREVIEW_REVIEW_TIMEOUT) must be positive, got %s", sf.reviewTimeout)
	}
	if sf.drain < 0 {
		add("--shutdown-timeout (LOCKREVIEW_SHUTDOWN_TIMEOUT) must not be negative, got %s", sf.drain)
	}
	if _, _, err := net.SplitHostPort(sf.listen); err != nil {
		add("--listen (LOCKREVIEW_LISTEN): %q is not an address like :8080", sf.listen)
	}

	metrics := webhook.NewMetrics()
	rv := &review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	if !sf.offline {
		if err := onlineReviewer(ctx, rv, &sf.registry, stderr); err != nil {
			add("registry: %v", err)
		} else if c, ok := rv.Registry.(*registry.Client); ok {
			metrics.WatchRegistry(c.Stats)
		}
	}
	return webhook.Config{
		AppID:         appID,
		WebhookSecret: secret,
		Apps:          apps,
		Engine:        rv,
		Workers:       sf.workers,
		QueueSize:     sf.queueSize,
		ReviewTimeout: sf.reviewTimeout,
		DataDir:       sf.registry.dataDir,
		Logger:        log,
		Metrics:       metrics,
	}, log, problems
}

// readSecretFile reads a small secret file. Its errors name the path (not
// secret) and never the content.
func readSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %v", path, pe.Err)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return data, nil
}
