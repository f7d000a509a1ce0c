package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/lockreview/lockreview/pkg/report"
)

// CheckName is the check run's name. Branch protection requires checks by
// name, so it never changes.
const CheckName = "lockreview"

// maxChangedFiles is the most files GitHub lists for a pull request.
const maxChangedFiles = 3000

// maxAnnotationsPerRequest is the checks API's limit per create or update.
const maxAnnotationsPerRequest = 50

// maxAnnotations bounds the annotations of one check run (the findings are
// all in the summary anyway): 10 requests.
const maxAnnotations = 500

// Repo names a repository.
type Repo struct {
	Owner, Name string
}

func (r Repo) String() string { return r.Owner + "/" + r.Name }

// PullRequest is what a review needs to know of a pull request.
type PullRequest struct {
	Number  int
	Open    bool
	HeadSHA string
	// BaseSHA is the base branch's tip: where the policy is read.
	BaseSHA string
	BaseRef string
}

// ChangedFile is one file of a pull request's diff.
type ChangedFile struct {
	Path string
	// PreviousPath is the path at the base of a renamed file.
	PreviousPath string
	// Status is GitHub's: added, removed, modified, renamed, copied,
	// changed, unchanged.
	Status string
}

// Client is the GitHub API as one installation of the App sees it. Every
// method is safe for concurrent use, takes the request's ctx, and returns
// errors that name the operation (never a token).
type Client struct {
	gh           *github.Client
	apps         *Apps
	installation int64
}

// PullRequest returns pull request n.
//
// GitHub API docs: https://docs.github.com/rest/pulls/pulls#get-a-pull-request
func (c *Client) PullRequest(ctx context.Context, repo Repo, n int) (*PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, repo.Owner, repo.Name, n)
	if err != nil {
		return nil, fmt.Errorf("get pull request %s#%d: %w", repo, n, err)
	}
	return &PullRequest{
		Number:  n,
		Open:    pr.GetState() == "open",
		HeadSHA: pr.GetHead().GetSHA(),
		BaseSHA: pr.GetBase().GetSHA(),
		BaseRef: pr.GetBase().GetRef(),
	}, nil
}

// MergeBase returns the merge base of base and head: the commit the pull
// request's diff is computed from. Reading the base lockfile there (not at
// the base branch's tip) keeps changes made on the base branch since the
// pull request was opened out of its review.
//
// GitHub API docs: https://docs.github.com/rest/commits/commits#compare-two-commits
func (c *Client) MergeBase(ctx context.Context, repo Repo, base, head string) (string, error) {
	cmp, _, err := c.gh.Repositories.CompareCommits(ctx, repo.Owner, repo.Name, base, head, &github.ListOptions{PerPage: 1})
	if err != nil {
		return "", fmt.Errorf("compare %s...%s: %w", short(base), short(head), err)
	}
	sha := cmp.GetMergeBaseCommit().GetSHA()
	if sha == "" {
		return "", fmt.Errorf("compare %s...%s: no merge base", short(base), short(head))
	}
	return sha, nil
}

// ChangedFiles lists the files pull request n changes. truncated is set when
// GitHub's limit of 3,000 files was reached: files past it are not known.
//
// GitHub API docs: https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
func (c *Client) ChangedFiles(ctx context.Context, repo Repo, n int) (files []ChangedFile, truncated bool, err error) {
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.gh.PullRequests.ListFiles(ctx, repo.Owner, repo.Name, n, opts)
		if err != nil {
			return nil, false, fmt.Errorf("list files of %s#%d: %w", repo, n, err)
		}
		for _, f := range page {
			files = append(files, ChangedFile{Path: f.GetFilename(), PreviousPath: f.GetPreviousFilename(), Status: f.GetStatus()})
		}
		if resp.NextPage == 0 || len(files) >= maxChangedFiles {
			return files, len(files) >= maxChangedFiles, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		opts.Page = resp.NextPage
	}
}

// FileAt returns the file at path in commit ref, or nil (and no error) when
// it does not exist there. It asks for the raw media type, which serves
// files up to 100 MB in one request: the default JSON answer carries no
// content above 1 MB.
//
// GitHub API docs: https://docs.github.com/rest/repos/contents#get-repository-content
func (c *Client) FileAt(ctx context.Context, repo Repo, ref, path string) ([]byte, error) {
	u := fmt.Sprintf("repos/%s/%s/contents/%s?ref=%s", url.PathEscape(repo.Owner), url.PathEscape(repo.Name), escapePath(path), url.QueryEscape(ref))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, short(ref), err)
	}
	req.Header.Set("Accept", "application/vnd.github.raw")
	resp, err := c.gh.BareDo(ctx, req)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("read %s at %s: %w", path, short(ref), err)
	}
	defer resp.Body.Close()
	max := c.apps.maxFile
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, short(ref), err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("read %s at %s: larger than %d MiB", path, short(ref), max>>20)
	}
	if data == nil {
		data = []byte{} // exists, empty: not the same as absent
	}
	return data, nil
}

// escapePath escapes each segment of a repository path for a URL.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// StartCheck creates the lockreview check run on headSHA, in progress.
//
// GitHub API docs: https://docs.github.com/rest/checks/runs#create-a-check-run
func (c *Client) StartCheck(ctx context.Context, repo Repo, headSHA, externalID string) (int64, error) {
	run, _, err := c.gh.Checks.CreateCheckRun(ctx, repo.Owner, repo.Name, github.CreateCheckRunOptions{
		Name:       CheckName,
		HeadSHA:    headSHA,
		Status:     github.String("in_progress"),
		StartedAt:  &github.Timestamp{Time: time.Now()},
		ExternalID: nonEmpty(externalID),
		Output: &github.CheckRunOutput{
			Title:   github.String("Reviewing lockfile changes"),
			Summary: github.String("lockreview is reading the lockfiles this pull request changes."),
		},
	})
	if err != nil {
		return 0, fmt.Errorf("create check run on %s: %w", short(headSHA), err)
	}
	return run.GetID(), nil
}

// FinishCheck completes check run id with out: its conclusion, title,
// summary, text and annotations, sent 50 per request as the API requires
// (each update appends its annotations; the last one completes the run).
//
// GitHub API docs: https://docs.github.com/rest/checks/runs#update-a-check-run
func (c *Client) FinishCheck(ctx context.Context, repo Repo, id int64, out report.Check) error {
	anns := out.Annotations
	if len(anns) > maxAnnotations {
		anns = anns[:maxAnnotations]
	}
	for {
		batch := anns[:min(len(anns), maxAnnotationsPerRequest)]
		anns = anns[len(batch):]
		opts := github.UpdateCheckRunOptions{
			Name: CheckName,
			Output: &github.CheckRunOutput{
				Title:       github.String(out.Title),
				Summary:     github.String(out.Summary),
				Text:        nonEmpty(out.Text),
				Annotations: toAnnotations(batch),
			},
		}
		last := len(anns) == 0
		if last {
			opts.Status = github.String("completed")
			opts.Conclusion = github.String(out.Conclusion)
			opts.CompletedAt = &github.Timestamp{Time: time.Now()}
		}
		if _, _, err := c.gh.Checks.UpdateCheckRun(ctx, repo.Owner, repo.Name, id, opts); err != nil {
			return fmt.Errorf("update check run %d: %w", id, err)
		}
		if last {
			return nil
		}
	}
}

func toAnnotations(in []report.Annotation) []*github.CheckRunAnnotation {
	if len(in) == 0 {
		return nil
	}
	out := make([]*github.CheckRunAnnotation, len(in))
	for i, a := range in {
		out[i] = &github.CheckRunAnnotation{
			Path:            github.String(a.Path),
			StartLine:       github.Int(a.StartLine),
			EndLine:         github.Int(a.EndLine),
			AnnotationLevel: github.String(a.Level),
			Title:           github.String(a.Title),
			Message:         github.String(a.Message),
		}
	}
	return out
}

// issueComment is the part of an issue comment the upsert reads; go-github
// v60's IssueComment lacks performed_via_github_app.
type issueComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"user"`
	App *struct {
		ID int64 `json:"id"`
	} `json:"performed_via_github_app"`
}

// UpsertComment makes the App's one comment on pull request n read body
// (which starts with report.Marker): the comment is found by its marker
// and author and edited in place; when there is none it is created if
// create is set. It reports whether a comment now holds body.
//
// The caller serializes upserts per pull request: two concurrent ones
// could each create a comment.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#list-issue-comments
// GitHub API docs: https://docs.github.com/rest/issues/comments#update-an-issue-comment
// GitHub API docs: https://docs.github.com/rest/issues/comments#create-an-issue-comment
func (c *Client) UpsertComment(ctx context.Context, repo Repo, n int, body string, create bool) (bool, error) {
	key := fmt.Sprintf("%s#%d", strings.ToLower(repo.String()), n)
	if id, ok := c.apps.comments.Get(key); ok {
		switch err := c.editComment(ctx, repo, id, body); {
		case err == nil:
			return true, nil
		case !isNotFound(err):
			return false, err
		}
		c.apps.comments.Remove(key) // deleted by someone: look again
	}
	existing, err := c.findComment(ctx, repo, n)
	if err != nil {
		return false, err
	}
	if existing != nil {
		c.apps.comments.Add(key, existing.ID)
		if existing.Body == body {
			return true, nil
		}
		return true, c.editComment(ctx, repo, existing.ID, body)
	}
	if !create {
		return false, nil
	}
	id, err := c.createComment(ctx, repo, n, body)
	if err != nil {
		// The create may have landed before the connection broke: look
		// before trying again, so there is never a second comment.
		var er *github.ErrorResponse
		if ctx.Err() != nil || errors.As(err, &er) && er.Response != nil && er.Response.StatusCode < 500 {
			return false, err // refused: it did not land
		}
		if again, ferr := c.findComment(ctx, repo, n); ferr == nil && again != nil {
			c.apps.comments.Add(key, again.ID)
			return true, c.editComment(ctx, repo, again.ID, body)
		}
		if id, err = c.createComment(ctx, repo, n, body); err != nil {
			return false, err
		}
	}
	c.apps.comments.Add(key, id)
	return true, nil
}

func (c *Client) createComment(ctx context.Context, repo Repo, n int, body string) (int64, error) {
	cm, _, err := c.gh.Issues.CreateComment(withoutRetry(ctx), repo.Owner, repo.Name, n, &github.IssueComment{Body: &body})
	if err != nil {
		return 0, fmt.Errorf("create comment on %s#%d: %w", repo, n, err)
	}
	return cm.GetID(), nil
}

func (c *Client) editComment(ctx context.Context, repo Repo, id int64, body string) error {
	_, _, err := c.gh.Issues.EditComment(ctx, repo.Owner, repo.Name, id, &github.IssueComment{Body: &body})
	if err != nil {
		return fmt.Errorf("edit comment %d: %w", id, err)
	}
	return nil
}

// findComment returns the App's marked comment on pull request n (the
// oldest, should there be several), or nil. A comment counts as the App's
// when GitHub says the App made it, or, on servers that do not say, when
// its author is the App's bot account: anyone can paste the marker.
func (c *Client) findComment(ctx context.Context, repo Repo, n int) (*issueComment, error) {
	var candidates []issueComment
	for page := 1; page != 0; {
		u := fmt.Sprintf("repos/%s/%s/issues/%d/comments?per_page=100&page=%d", url.PathEscape(repo.Owner), url.PathEscape(repo.Name), n, page)
		req, err := c.gh.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("list comments of %s#%d: %w", repo, n, err)
		}
		var cs []issueComment
		resp, err := c.gh.Do(ctx, req, &cs)
		if err != nil {
			return nil, fmt.Errorf("list comments of %s#%d: %w", repo, n, err)
		}
		for _, cm := range cs {
			if cm.User.Type != "Bot" || !strings.HasPrefix(cm.Body, report.Marker) {
				continue
			}
			if cm.App != nil && cm.App.ID == c.apps.appID {
				return &cm, nil
			}
			if cm.App == nil {
				candidates = append(candidates, cm)
			}
		}
		page = resp.NextPage
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	login, err := c.apps.login(ctx)
	if err != nil {
		return nil, err
	}
	for _, cm := range candidates {
		if strings.EqualFold(cm.User.Login, login) {
			return &cm, nil
		}
	}
	return nil, nil
}

// Permission returns user's permission on repo: "admin", "maintain",
// "write", "triage", "read" or "none".
//
// GitHub API docs: https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user
func (c *Client) Permission(ctx context.Context, repo Repo, user string) (string, error) {
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(repo.Owner), url.PathEscape(repo.Name), url.PathEscape(user))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("permission of %q on %s: %w", user, repo, err)
	}
	// permission is the legacy level (maintain reads "write", triage
	// "read"); role_name is the role itself. go-github v60 lacks it.
	var p struct {
		Permission string `json:"permission"`
		RoleName   string `json:"role_name"`
	}
	resp, err := c.gh.Do(ctx, req, &p)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return "none", nil // not a collaborator
		}
		return "", fmt.Errorf("permission of %q on %s: %w", user, repo, err)
	}
	if p.RoleName != "" {
		return p.RoleName, nil
	}
	return p.Permission, nil
}

// React adds a reaction ("eyes") to issue comment id.
//
// GitHub API docs: https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment
func (c *Client) React(ctx context.Context, repo Repo, commentID int64, content string) error {
	if _, _, err := c.gh.Reactions.CreateIssueCommentReaction(ctx, repo.Owner, repo.Name, commentID, content); err != nil {
		return fmt.Errorf("react to comment %d: %w", commentID, err)
	}
	return nil
}

// PullRequestsForCommit returns the numbers of the open pull requests of
// repo whose head is sha.
//
// GitHub API docs: https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit
func (c *Client) PullRequestsForCommit(ctx context.Context, repo Repo, sha string) ([]int, error) {
	prs, _, err := c.gh.PullRequests.ListPullRequestsWithCommit(ctx, repo.Owner, repo.Name, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, fmt.Errorf("pull requests of %s: %w", short(sha), err)
	}
	var out []int
	for _, pr := range prs {
		if pr.GetState() == "open" && pr.GetHead().GetSHA() == sha {
			out = append(out, pr.GetNumber())
		}
	}
	return out, nil
}

func isNotFound(err error) bool {
	var e *github.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == http.StatusNotFound
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// short abbreviates a commit id for messages.
func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
