package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// Delivery is one verified webhook delivery.
type Delivery struct {
	// ID is X-GitHub-Delivery, Event is X-GitHub-Event.
	ID, Event string
	// Payload is the JSON body (already taken out of a form body).
	Payload []byte
	// Logger carries the delivery id and event type.
	Logger *slog.Logger
}

// EventHandler turns one kind of delivery into Tasks. It is the shape of
// go-githubapp's EventHandler split in two: Route runs while GitHub waits
// for the answer, so it only decodes and decides (no network I/O), and the
// Tasks it returns do the work on a worker. Deciding up front is what lets
// the queue coalesce deliveries per pull request before any work starts.
type EventHandler interface {
	// Handles returns the event types (X-GitHub-Event values) handled.
	Handles() []string
	// Route returns the tasks d asks for; none means nothing to do. An
	// error means the payload is malformed (answered 400). Safe for
	// concurrent use.
	Route(d Delivery) ([]Task, error)
}

// Gate is what the event handlers ask of GitHub before a review, as one
// installation; *Client implements it.
type Gate interface {
	// Permission returns user's role on repo: admin, maintain, write,
	// triage, read or none.
	Permission(ctx context.Context, repo Repo, user string) (string, error)
	// React adds a reaction to an issue comment.
	React(ctx context.Context, repo Repo, commentID int64, content string) error
	// PullRequestsForCommit returns the open pull requests whose head is sha.
	PullRequestsForCommit(ctx context.Context, repo Repo, sha string) ([]int, error)
}

// reviews is what the handlers share: how to run a review and where to
// queue follow-up work.
type reviews struct {
	runner *Runner
	sched  Scheduler
	gate   func(installationID int64) Gate
	appID  int64
}

// task wraps a review of t for the queue.
func (rv *reviews) task(d Delivery, t Target, automatic bool) Task {
	t.DeliveryID = d.ID
	l := targetLogger(d.Logger, t).With("trigger", t.Trigger)
	if t.HeadSHA != "" {
		l = l.With(LogKeySHA, t.HeadSHA)
	}
	return Task{
		Key:       t.key(),
		HeadSHA:   t.HeadSHA,
		Automatic: automatic,
		Logger:    l,
		Run:       func(ctx context.Context) error { return rv.runner.Review(ctx, t) },
	}
}

// The payload types hold only the fields routing reads. go-github's event
// types would decode everything, and fail a whole delivery on one field in
// an unexpected shape (octokit's check_run example has timestamps like
// "2018-04-25 20:42:10"): a field lockreview does not read must not decide
// whether a delivery is taken.
type (
	repoJSON struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Owner struct {
			Login string `json:"login"`
		} `json:"owner"`
	}
	installationJSON struct {
		ID int64 `json:"id"`
	}
	shaJSON struct {
		SHA string `json:"sha"`
	}
	// pullRequestRef is an entry of a check run's or suite's pull_requests.
	pullRequestRef struct {
		Number int     `json:"number"`
		Head   shaJSON `json:"head"`
		Base   struct {
			Repo struct {
				ID int64 `json:"id"`
			} `json:"repo"`
		} `json:"base"`
	}
	pullRequestEvent struct {
		Action      string `json:"action"`
		Number      int    `json:"number"`
		PullRequest struct {
			Number int     `json:"number"`
			Head   shaJSON `json:"head"`
		} `json:"pull_request"`
		Repository   repoJSON         `json:"repository"`
		Installation installationJSON `json:"installation"`
	}
	issueCommentEvent struct {
		Action string `json:"action"`
		Issue  struct {
			Number      int             `json:"number"`
			PullRequest json.RawMessage `json:"pull_request"`
		} `json:"issue"`
		Comment struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
			User struct {
				Login string `json:"login"`
				Type  string `json:"type"`
			} `json:"user"`
		} `json:"comment"`
		Repository   repoJSON         `json:"repository"`
		Installation installationJSON `json:"installation"`
	}
	checkRunEvent struct {
		Action   string `json:"action"`
		CheckRun struct {
			Name    string `json:"name"`
			HeadSHA string `json:"head_sha"`
			App     struct {
				ID int64 `json:"id"`
			} `json:"app"`
			PullRequests []pullRequestRef `json:"pull_requests"`
			CheckSuite   struct {
				PullRequests []pullRequestRef `json:"pull_requests"`
			} `json:"check_suite"`
		} `json:"check_run"`
		Repository   repoJSON         `json:"repository"`
		Installation installationJSON `json:"installation"`
	}
	checkSuiteEvent struct {
		Action     string `json:"action"`
		CheckSuite struct {
			HeadSHA      string           `json:"head_sha"`
			PullRequests []pullRequestRef `json:"pull_requests"`
		} `json:"check_suite"`
		Repository   repoJSON         `json:"repository"`
		Installation installationJSON `json:"installation"`
	}
)

func decode(d Delivery, v any) error {
	if err := json.Unmarshal(d.Payload, v); err != nil {
		return fmt.Errorf("decode %s payload: %w", d.Event, err)
	}
	return nil
}

// repoOf reads owner and name from a delivery's repository.
func repoOf(r repoJSON) (Repo, bool) {
	repo := Repo{Owner: r.Owner.Login, Name: r.Name}
	return repo, repo.Owner != "" && repo.Name != ""
}

// PullRequestHandler reviews a pull request when it is opened, pushed to
// (synchronize), reopened or marked ready for review.
type PullRequestHandler struct{ rv *reviews }

// Handles implements EventHandler.
func (h *PullRequestHandler) Handles() []string { return []string{"pull_request"} }

// Route implements EventHandler.
func (h *PullRequestHandler) Route(d Delivery) ([]Task, error) {
	var ev pullRequestEvent
	if err := decode(d, &ev); err != nil {
		return nil, err
	}
	automatic := false
	switch ev.Action {
	case "opened", "synchronize":
		automatic = true // check_suite requested may announce the same push
	case "reopened", "ready_for_review":
	default:
		return nil, nil
	}
	repo, ok := repoOf(ev.Repository)
	n := ev.Number
	if n == 0 {
		n = ev.PullRequest.Number
	}
	if !ok || n <= 0 || ev.Installation.ID == 0 {
		d.Logger.Info("pull_request delivery without repository, number or installation; ignored")
		return nil, nil
	}
	return []Task{h.rv.task(d, Target{
		InstallationID: ev.Installation.ID,
		Repo:           repo,
		PR:             n,
		HeadSHA:        ev.PullRequest.Head.SHA,
		Trigger:        "pull_request." + ev.Action,
	}, automatic)}, nil
}

// IssueCommentHandler reviews a pull request again when someone with write
// access comments /recheck on it.
type IssueCommentHandler struct{ rv *reviews }

// Handles implements EventHandler.
func (h *IssueCommentHandler) Handles() []string { return []string{"issue_comment"} }

// IsRecheck reports whether a comment asks for a new review: its first line
// is "/recheck", in any case, with any surrounding spaces.
func IsRecheck(body string) bool {
	first, _, _ := strings.Cut(body, "\n")
	return strings.EqualFold(strings.TrimSpace(first), "/recheck")
}

// canRecheck lists the roles that may ask for a review. Triage and read
// cannot: a review costs API quota, and a comment is cheap to write.
var canRecheck = map[string]bool{"admin": true, "maintain": true, "write": true}

// Route implements EventHandler. What it can decide from the payload (a
// created comment, on a pull request, by a person, saying /recheck) it
// decides here; the permission is asked of GitHub on a worker, because
// author_association says nothing reliable about write access.
func (h *IssueCommentHandler) Route(d Delivery) ([]Task, error) {
	var ev issueCommentEvent
	if err := decode(d, &ev); err != nil {
		return nil, err
	}
	user := ev.Comment.User
	onPR := len(ev.Issue.PullRequest) > 0 && string(ev.Issue.PullRequest) != "null"
	if ev.Action != "created" || !onPR ||
		user.Type == "Bot" || strings.HasSuffix(user.Login, "[bot]") || user.Login == "" ||
		!IsRecheck(ev.Comment.Body) {
		return nil, nil
	}
	repo, ok := repoOf(ev.Repository)
	inst := ev.Installation.ID
	if !ok || inst == 0 || ev.Issue.Number <= 0 {
		return nil, nil
	}
	t := Target{InstallationID: inst, Repo: repo, PR: ev.Issue.Number, Trigger: "issue_comment./recheck"}
	login, commentID := user.Login, ev.Comment.ID
	l := targetLogger(d.Logger, t).With("github_user", login)
	return []Task{{
		Logger: l,
		Run: func(ctx context.Context) error {
			gate := h.rv.gate(inst)
			perm, err := gate.Permission(ctx, repo, login)
			if err != nil {
				return err
			}
			if !canRecheck[perm] {
				// No reaction, no reply: a comment anyone can write gets
				// no attention from the App.
				l.Info("/recheck ignored: commenter cannot write to the repository", "permission", perm)
				return nil
			}
			if err := gate.React(ctx, repo, commentID, "eyes"); err != nil {
				l.Warn("reaction not added", "error", err)
			}
			return h.rv.sched.Submit(h.rv.task(d, t, false))
		},
	}}, nil
}

// CheckRunHandler reviews again when someone re-runs the lockreview check.
type CheckRunHandler struct{ rv *reviews }

// Handles implements EventHandler.
func (h *CheckRunHandler) Handles() []string { return []string{"check_run"} }

// Route implements EventHandler.
func (h *CheckRunHandler) Route(d Delivery) ([]Task, error) {
	var ev checkRunEvent
	if err := decode(d, &ev); err != nil {
		return nil, err
	}
	run := ev.CheckRun
	if ev.Action != "rerequested" || run.Name != CheckName {
		return nil, nil
	}
	if id := run.App.ID; id != 0 && h.rv.appID != 0 && id != h.rv.appID {
		return nil, nil // another App's check of the same name
	}
	prs := append(run.PullRequests, run.CheckSuite.PullRequests...)
	return h.rv.forCommit(d, ev.Repository, ev.Installation.ID, run.HeadSHA, prs, "check_run.rerequested", false), nil
}

// CheckSuiteHandler reviews the pull requests of a commit when GitHub asks
// for the App's check suite (a push: requested) or someone re-runs it
// (rerequested).
type CheckSuiteHandler struct{ rv *reviews }

// Handles implements EventHandler.
func (h *CheckSuiteHandler) Handles() []string { return []string{"check_suite"} }

// Route implements EventHandler.
func (h *CheckSuiteHandler) Route(d Delivery) ([]Task, error) {
	var ev checkSuiteEvent
	if err := decode(d, &ev); err != nil {
		return nil, err
	}
	automatic := false
	switch ev.Action {
	case "requested":
		automatic = true // pull_request synchronize announces the same push
	case "rerequested":
	default:
		return nil, nil
	}
	return h.rv.forCommit(d, ev.Repository, ev.Installation.ID, ev.CheckSuite.HeadSHA, ev.CheckSuite.PullRequests, "check_suite."+ev.Action, automatic), nil
}

// forCommit returns review tasks for the pull requests of a head commit.
// GitHub lists them in the payload only for branches of the same
// repository; for a fork's pull request the list is empty, and a task asks
// GitHub which open pull requests have that head.
func (rv *reviews) forCommit(d Delivery, r repoJSON, inst int64, sha string, prs []pullRequestRef, trigger string, automatic bool) []Task {
	repo, ok := repoOf(r)
	if !ok || inst == 0 || sha == "" {
		return nil
	}
	var tasks []Task
	seen := map[int]bool{}
	for _, pr := range prs {
		n := pr.Number
		// A pull request listed here may belong to another repository
		// (a fork's own pull requests): review only this repository's.
		if n <= 0 || seen[n] || pr.Base.Repo.ID != 0 && r.ID != 0 && pr.Base.Repo.ID != r.ID {
			continue
		}
		seen[n] = true
		tasks = append(tasks, rv.task(d, Target{InstallationID: inst, Repo: repo, PR: n, HeadSHA: sha, Trigger: trigger}, automatic))
	}
	if len(tasks) > 0 {
		return tasks
	}
	l := d.Logger.With(LogKeyInstallationID, inst, LogKeyRepoOwner, repo.Owner, LogKeyRepoName, repo.Name, LogKeySHA, sha)
	return []Task{{
		Logger: l,
		Run: func(ctx context.Context) error {
			ns, err := rv.gate(inst).PullRequestsForCommit(ctx, repo, sha)
			if err != nil {
				return err
			}
			if len(ns) == 0 {
				l.Debug("no open pull request has this head")
			}
			var errs []error
			for _, n := range ns {
				if err := rv.sched.Submit(rv.task(d, Target{InstallationID: inst, Repo: repo, PR: n, HeadSHA: sha, Trigger: trigger}, automatic)); err != nil {
					errs = append(errs, err)
				}
			}
			if len(errs) > 0 {
				return fmt.Errorf("queue reviews of %s: %w", short(sha), errs[0])
			}
			return nil
		},
	}}
}

// InstallationHandler logs installation changes and forgets the client of
// an installation that is removed or suspended.
type InstallationHandler struct {
	forget func(id int64)
}

// Handles implements EventHandler.
func (h *InstallationHandler) Handles() []string {
	return []string{"installation", "installation_repositories"}
}

// Route implements EventHandler. It queues nothing.
func (h *InstallationHandler) Route(d Delivery) ([]Task, error) {
	var ev struct {
		Action       string `json:"action"`
		Installation struct {
			ID      int64 `json:"id"`
			Account struct {
				Login string `json:"login"`
			} `json:"account"`
		} `json:"installation"`
		Added []struct {
			FullName string `json:"full_name"`
		} `json:"repositories_added"`
		Removed []struct {
			FullName string `json:"full_name"`
		} `json:"repositories_removed"`
		Repos []struct {
			FullName string `json:"full_name"`
		} `json:"repositories"`
	}
	if err := decode(d, &ev); err != nil {
		return nil, err
	}
	d.Logger.Info("installation "+ev.Action,
		LogKeyInstallationID, ev.Installation.ID, "account", ev.Installation.Account.Login,
		"repositories", len(ev.Repos), "repositories_added", len(ev.Added), "repositories_removed", len(ev.Removed))
	switch ev.Action {
	case "deleted", "suspend":
		if h.forget != nil {
			h.forget(ev.Installation.ID)
		}
	}
	return nil, nil
}
