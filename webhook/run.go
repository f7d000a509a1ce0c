package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
)

// Engine runs one review; *review.Reviewer implements it.
type Engine interface {
	Run(ctx context.Context, req review.Request) (*review.Result, error)
}

// GitHub is what a review asks of GitHub, as one installation. *Client
// implements it against the REST API. Methods are safe for concurrent use;
// errors name the operation. FileAt returns nil and no error for a file
// that does not exist at ref.
type GitHub interface {
	PullRequest(ctx context.Context, repo Repo, n int) (*PullRequest, error)
	MergeBase(ctx context.Context, repo Repo, base, head string) (string, error)
	ChangedFiles(ctx context.Context, repo Repo, n int) (files []ChangedFile, truncated bool, err error)
	FileAt(ctx context.Context, repo Repo, ref, path string) ([]byte, error)
	StartCheck(ctx context.Context, repo Repo, headSHA, externalID string) (int64, error)
	FinishCheck(ctx context.Context, repo Repo, id int64, out report.Check) error
	UpsertComment(ctx context.Context, repo Repo, n int, body string, create bool) (bool, error)
}

// Target is one pull request to review, as a delivery names it.
type Target struct {
	InstallationID int64
	Repo           Repo
	PR             int
	// HeadSHA is the head the delivery was about. The review reads the
	// pull request's current head instead: deliveries can arrive out of
	// order, and only the newest head matters.
	HeadSHA string
	// Trigger says what asked for the review ("pull_request.synchronize",
	// "issue_comment./recheck"), for logs.
	Trigger    string
	DeliveryID string
}

// key identifies the pull request across deliveries.
func (t Target) key() string {
	return fmt.Sprintf("%s#%d", strings.ToLower(t.Repo.String()), t.PR)
}

// Runner runs reviews: the one place where GitHub's data becomes a
// review.Request and a review.Result becomes a comment and a check run.
type Runner struct {
	github  func(installationID int64) GitHub
	engine  Engine
	metrics *Metrics
	now     func() time.Time
	locks   keyedLocks
	// fetches bounds the files read at once for one review.
	fetches int
}

// NewRunner returns a Runner reading GitHub through github(installation)
// and reviewing with engine. m may be nil.
func NewRunner(github func(installationID int64) GitHub, engine Engine, m *Metrics) *Runner {
	return &Runner{github: github, engine: engine, metrics: m, now: time.Now, fetches: 4}
}

// finishTimeout bounds completing a check run after the review's context
// ended (superseded, timed out, shutting down): a check is never left in
// progress because the review that started it was stopped.
const finishTimeout = 20 * time.Second

// Review reviews pull request t.PR at its current head: it creates the
// check run, reads the changed lockfiles at the merge base and the head and
// the policy at the base branch, runs the engine, upserts the comment and
// completes the check run. Reviews of one pull request are serialized.
// Whatever goes wrong after the check run exists, it is completed: neutral
// (failure under a fail-closed policy) with the reason, or cancelled when a
// newer review superseded this one.
func (r *Runner) Review(ctx context.Context, t Target) error {
	unlock := r.locks.lock(t.key())
	defer unlock()
	start := time.Now()
	gh := r.github(t.InstallationID)
	log := logger(ctx)

	pr, err := gh.PullRequest(ctx, t.Repo, t.PR)
	if err != nil {
		return err
	}
	if !pr.Open {
		log.Info("pull request is closed; not reviewed")
		return nil
	}
	switch {
	case t.HeadSHA == "":
		log = log.With(LogKeySHA, pr.HeadSHA)
	case t.HeadSHA != pr.HeadSHA:
		// The task's logger names the delivery's head; say which one the
		// review is of.
		log = log.With("reviewed_sha", pr.HeadSHA)
		log.Info("reviewing the pull request's current head, not the delivery's")
	}
	ctx = withLogger(ctx, log)

	// The check run is created at once, while the first reads go out: it
	// costs a round trip, not a wait.
	type started struct {
		id  int64
		err error
	}
	checkc := make(chan started, 1)
	go func() {
		// Not cancelled with the review: a create request cut off by a
		// newer review may still have created the run on GitHub, and a run
		// this review cannot finish would stay "in progress" forever. Once
		// created, it is completed below (as cancelled, if superseded).
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
		defer cancel()
		id, err := gh.StartCheck(sctx, t.Repo, pr.HeadSHA, t.DeliveryID)
		checkc <- started{id, err}
	}()
	out, pol, comment, reviewErr := r.run(ctx, gh, t, pr)
	check := <-checkc
	if check.err != nil {
		// No check run to complete; the review's result has nowhere to go.
		return errors.Join(check.err, reviewErr)
	}
	if reviewErr != nil {
		out, comment = stoppedCheck(ctx, pol, reviewErr), nil
	}
	if ctx.Err() != nil {
		comment = nil // superseded or stopped: the comment is the next review's
	}

	// The comment and the check run are independent: publish both at once.
	var commentErr error
	var wg sync.WaitGroup
	if comment != nil {
		wg.Go(func() {
			_, commentErr = gh.UpsertComment(ctx, t.Repo, t.PR, comment.body, comment.create)
		})
	}
	fctx := ctx
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		fctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
		defer cancel()
	}
	finishErr := gh.FinishCheck(fctx, t.Repo, check.id, out)
	wg.Wait()
	if commentErr != nil {
		// The check run still reports the review: the comment is the
		// convenience, the check the gate.
		log.Warn("comment not published", "error", commentErr)
	}
	elapsed := time.Since(start)
	r.metrics.review(out.Conclusion, elapsed.Seconds())
	log.Info("review finished", "conclusion", out.Conclusion, "title", out.Title, "duration_ms", elapsed.Milliseconds())
	if reviewErr != nil {
		return errors.Join(fmt.Errorf("review %s#%d: %w", t.Repo, t.PR, reviewErr), finishErr)
	}
	return finishErr
}

// commentUpdate is what to do with the pull request's comment.
type commentUpdate struct {
	body string
	// create: post a comment when there is none (else only edit one).
	create bool
}

// run reads and reviews the pull request. It returns the check output, the
// policy once read (for fail-closed), and the comment update, if any.
func (r *Runner) run(ctx context.Context, gh GitHub, t Target, pr *PullRequest) (report.Check, *policy.Policy, *commentUpdate, error) {
	log := logger(ctx)
	// The policy comes from the base branch: a pull request can never
	// loosen the policy that judges it. It and the file list are read at
	// the same time.
	var data []byte
	var files []ChangedFile
	var truncated bool
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		data, err = gh.FileAt(gctx, t.Repo, pr.BaseSHA, policy.FileName)
		return err
	})
	g.Go(func() (err error) {
		files, truncated, err = gh.ChangedFiles(gctx, t.Repo, t.PR)
		return err
	})
	if err := g.Wait(); err != nil {
		return report.Check{}, nil, nil, err
	}
	pol := policy.Default()
	if data != nil {
		var err error
		if pol, err = policy.Parse(data); err != nil {
			log.Info("invalid policy on the base branch", "error", err)
			return invalidPolicyCheck(pr, err), nil, nil, nil
		}
	}

	pairs := lockfilePairs(files)
	if len(pairs) == 0 {
		var c *commentUpdate
		if pol.Comment != policy.CommentNever {
			// Say so in a comment left by an earlier review; never start one.
			c = &commentUpdate{body: noLockfileComment(pr.HeadSHA)}
		}
		return noLockfileCheck(truncated), pol, c, ctx.Err()
	}

	base, err := gh.MergeBase(ctx, t.Repo, pr.BaseSHA, pr.HeadSHA)
	if err != nil {
		return report.Check{}, pol, nil, err
	}
	if err := r.fetch(ctx, gh, t.Repo, base, pr.HeadSHA, pairs); err != nil {
		return report.Check{}, pol, nil, err
	}
	req := review.Request{Policy: pol, Now: r.now()}
	for _, p := range pairs {
		req.Files = append(req.Files, p.FilePair)
	}
	res, err := r.engine.Run(ctx, req)
	if err != nil {
		return report.Check{}, pol, nil, err
	}
	if truncated {
		res.Problems = append(res.Problems, fmt.Sprintf("this pull request changes more than %d files, the most GitHub lists: lockfiles past them were not reviewed", maxChangedFiles))
		res.Incomplete = true
		if !res.InputError {
			res.Conclusion = pol.Decide(res.Findings, true)
		}
	}
	if err := ctx.Err(); err != nil {
		return report.Check{}, pol, nil, err
	}
	log.Info("reviewed", "lockfiles", len(pairs), "findings", len(res.Active()), "incomplete", res.Incomplete)
	var c *commentUpdate
	if create, ok := commentWanted(pol.Comment, res); ok {
		c = &commentUpdate{
			body: report.Markdown(res, report.WithMaxSize(report.MaxCommentSize-256)) +
				fmt.Sprintf("\n<sub>Reviewed head %s against merge base %s.</sub>\n", short(pr.HeadSHA), short(base)),
			create: create,
		}
	}
	return report.CheckOutput(res), pol, c, nil
}

// commentWanted says whether the review is commented and whether a comment
// may be created (create) or only an existing one updated.
func commentWanted(mode policy.CommentMode, res *review.Result) (create, ok bool) {
	switch mode {
	case policy.CommentNever:
		return false, false
	case policy.CommentOnFindings:
		return len(res.Active()) > 0 || res.Conclusion != policy.Success, true
	}
	return true, true
}

// filePair is one lockfile to read: where at the base, where at the head.
type filePair struct {
	review.FilePair
	basePath         string
	readBase, readHd bool
}

// lockfilePairs picks the lockfiles out of a pull request's changed files,
// sorted by path. An added file has no base side, a removed one no head
// side; a renamed one is read at its old path in the base.
func lockfilePairs(files []ChangedFile) []*filePair {
	var out []*filePair
	for _, f := range files {
		switch {
		case lockfile.IsLockfilePath(f.Path):
			p := &filePair{FilePair: review.FilePair{Path: f.Path}, basePath: f.Path, readBase: f.Status != "added", readHd: f.Status != "removed"}
			if f.PreviousPath != "" {
				p.basePath = f.PreviousPath
				p.readBase = lockfile.IsLockfilePath(f.PreviousPath) // a file renamed to a lockfile is new as one
			}
			out = append(out, p)
		case f.PreviousPath != "" && lockfile.IsLockfilePath(f.PreviousPath):
			// Renamed away from a lockfile name: the lockfile is removed.
			out = append(out, &filePair{FilePair: review.FilePair{Path: f.PreviousPath}, basePath: f.PreviousPath, readBase: true})
		}
	}
	slices.SortFunc(out, func(a, b *filePair) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// fetch reads both sides of every pair, a few files at a time.
func (r *Runner) fetch(ctx context.Context, gh GitHub, repo Repo, base, head string, pairs []*filePair) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.fetches)
	for _, p := range pairs {
		if p.readBase {
			g.Go(func() (err error) {
				p.Base, err = gh.FileAt(gctx, repo, base, p.basePath)
				return err
			})
		}
		if p.readHd {
			g.Go(func() (err error) {
				p.Head, err = gh.FileAt(gctx, repo, head, p.Path)
				return err
			})
		}
	}
	return g.Wait()
}

// stoppedCheck is the check output of a review that could not complete.
func stoppedCheck(ctx context.Context, pol *policy.Policy, err error) report.Check {
	cause := context.Cause(ctx)
	if errors.Is(cause, ErrSuperseded) {
		return report.Check{
			Title:      "Superseded by a newer review",
			Summary:    "A newer delivery for this pull request started another review, which replaces this one.",
			Conclusion: "cancelled",
		}
	}
	reason := err.Error()
	switch {
	case errors.Is(cause, ErrShutdown):
		reason = ErrShutdown.Error()
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(cause, context.DeadlineExceeded):
		reason = "the review took longer than its time limit"
	}
	conclusion, verdict := string(policy.Neutral), "This is not a pass."
	if pol != nil && pol.FailClosed {
		conclusion, verdict = string(policy.Failure), "The policy is fail-closed, so this fails the check."
	}
	return report.Check{
		Title:      "Review could not complete",
		Summary:    "lockreview could not complete the review:\n\n" + codeBlock(reason) + "\n" + verdict + " Comment `/recheck` on the pull request to run it again.",
		Conclusion: conclusion,
	}
}

func invalidPolicyCheck(pr *PullRequest, err error) report.Check {
	return report.Check{
		Title: "Invalid " + policy.FileName,
		Summary: fmt.Sprintf("The policy file `%s` on the base branch (`%s` at %s) is invalid, so no review can be judged by it:\n\n%s\nFix it on the base branch, then comment `/recheck`.",
			policy.FileName, strings.ReplaceAll(pr.BaseRef, "`", ""), short(pr.BaseSHA), codeBlock(err.Error())),
		Conclusion: string(policy.Failure),
	}
}

func noLockfileCheck(truncated bool) report.Check {
	c := report.Check{
		Title:      "No lockfile changes",
		Summary:    "This pull request changes no `package-lock.json` or `npm-shrinkwrap.json`.",
		Conclusion: string(policy.Success),
	}
	if truncated {
		c.Title = "Review incomplete"
		c.Summary = fmt.Sprintf("This pull request changes more than %d files, the most GitHub lists, and none of those listed is a lockfile: lockfiles past them could not be reviewed.", maxChangedFiles)
		c.Conclusion = string(policy.Neutral)
	}
	return c
}

func noLockfileComment(head string) string {
	return report.Marker + "\n✅ **lockreview: no lockfile changes** — this pull request no longer changes `package-lock.json` or `npm-shrinkwrap.json` (as of " + short(head) + ").\n"
}

// codeBlock fences s, which may quote untrusted text, so it renders as is.
func codeBlock(s string) string {
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + s + "\n" + fence + "\n"
}

// keyedLocks is a mutex per key, created on demand and freed when unused.
type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	refs int
}

func (k *keyedLocks) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyedLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

// targetLogger adds a target's attributes to l.
func targetLogger(l *slog.Logger, t Target) *slog.Logger {
	return l.With(LogKeyInstallationID, t.InstallationID, LogKeyRepoOwner, t.Repo.Owner, LogKeyRepoName, t.Repo.Name, LogKeyPRNum, t.PR)
}
