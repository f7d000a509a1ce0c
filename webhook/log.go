package webhook

import (
	"context"
	"log/slog"
)

// Log keys. The github_* names are those of palantir/go-githubapp, so
// dashboards built for it read these logs too.
const (
	LogKeyDeliveryID     = "github_delivery_id"
	LogKeyEventType      = "github_event_type"
	LogKeyInstallationID = "github_installation_id"
	LogKeyRepoOwner      = "github_repository_owner"
	LogKeyRepoName       = "github_repository_name"
	LogKeyPRNum          = "github_pr_num"
	LogKeySHA            = "github_sha"
	LogKeyLockfilePath   = "lockfile_path"
)

type loggerKey struct{}

// withLogger returns ctx carrying l.
func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// logger returns the logger ctx carries, or slog.Default().
func logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
