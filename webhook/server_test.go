package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/testkit"
	"github.com/lockreview/lockreview/webhook"
	"github.com/lockreview/lockreview/webhook/githubtest"
)

// expected runs the engine on a scenario as the server should, for the
// comment and check output the server must publish.
func expected(t *testing.T, scenario string) (*review.Result, report.Check) {
	t.Helper()
	base, head := lockfiles(t, scenario)
	res, err := (&review.Reviewer{}).Run(context.Background(), review.Request{Files: []review.FilePair{{Path: "package-lock.json", Base: base, Head: head}}})
	if err != nil {
		t.Fatal(err)
	}
	return res, report.CheckOutput(res)
}

func TestOpenedCreatesCheckAndComment(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
	w := e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil))
	wantStatus(t, w, http.StatusAccepted)

	_, want := expected(t, "v2-octokit-webhooks-es5-ext-install-script")
	run := e.onlyCheck()
	if run.Name != "lockreview" || run.HeadSHA != headSHA || run.Status != "completed" {
		t.Errorf("check run = %s on %s, %s; want lockreview on %s, completed", run.Name, run.HeadSHA, run.Status, headSHA)
	}
	if run.Conclusion != want.Conclusion || run.Title != want.Title || run.Conclusion != "failure" {
		t.Errorf("check run concluded %s %q, want %s %q", run.Conclusion, run.Title, want.Conclusion, want.Title)
	}
	if len(run.Annotations) != len(want.Annotations) || len(want.Annotations) == 0 {
		t.Errorf("%d annotations, want %d", len(run.Annotations), len(want.Annotations))
	}
	for _, a := range run.Annotations {
		if a.Path != "package-lock.json" || a.StartLine <= 0 {
			t.Errorf("annotation %+v: want a line of package-lock.json", a)
		}
	}
	cs := e.comments()
	if len(cs) != 1 {
		t.Fatalf("%d comments, want 1", len(cs))
	}
	if cs[0].User != githubtest.BotLogin || !strings.HasPrefix(cs[0].Body, report.Marker) {
		t.Errorf("comment by %s starting %.40q: want the App's, with the marker", cs[0].User, cs[0].Body)
	}
	testkit.Golden(t, "testdata/opened.golden.md", []byte(cs[0].Body))

	// The review read what it should, where it should: the lockfile at the
	// merge base and the head (raw), the policy at the base.
	var reads []string
	for _, c := range e.gh.Calls() {
		if strings.Contains(c.Path, "/contents/") {
			reads = append(reads, strings.TrimPrefix(c.Path, "/repos/Codertocat/Hello-World/contents/")+"@"+c.Query.Get("ref")[:7])
			if !strings.Contains(c.Accept, "raw") {
				t.Errorf("%s read without the raw media type (Accept %q)", c.Path, c.Accept)
			}
		}
	}
	mustContain(t, "reads", strings.Join(reads, " "), ".github/lockreview.yml@f95f852", "package-lock.json@f95f852", "package-lock.json@ec26c3e")
	// Writes: the check run first; then the comment and the check's
	// completion, published together.
	got := e.gh.Writes()
	if len(got) != 3 || got[0] != "POST /repos/Codertocat/Hello-World/check-runs" ||
		!slices.Contains(got, "POST /repos/Codertocat/Hello-World/issues/2/comments") ||
		!slices.Contains(got, "PATCH /repos/Codertocat/Hello-World/check-runs/"+itoa(run.ID)) {
		t.Errorf("writes = %q", got)
	}
}

func TestSynchronizeEditsTheSameComment(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)

	// A push: the head now has the license-change scenario's lockfile.
	_, head := lockfiles(t, "v3-octokit-webhooks-license-change")
	e.gh.Commit(owner, repoName, newSHA, map[string][]byte{"package-lock.json": head})
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{Number: prNum, HeadSHA: newSHA, BaseSHA: baseSHA, BaseRef: "master", Files: []githubtest.File{{Path: "package-lock.json"}}})
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/synchronize.payload.json", map[string]any{"pull_request.head.sha": newSHA})), http.StatusAccepted)

	cs := e.comments()
	if len(cs) != 1 {
		t.Fatalf("%d comments, want 1 (edited in place)", len(cs))
	}
	if cs[0].Edits != 1 || !strings.Contains(cs[0].Body, newSHA[:12]) {
		t.Errorf("comment edited %d times, body mentions new head: %v; want 1 edit naming %s", cs[0].Edits, strings.Contains(cs[0].Body, newSHA[:12]), newSHA[:12])
	}
	runs := e.gh.CheckRuns(owner, repoName)
	if len(runs) != 2 || runs[1].HeadSHA != newSHA || runs[1].Status != "completed" {
		t.Fatalf("check runs = %+v, want a second one on %s, completed", runs, newSHA)
	}
	if e.countCalls("POST", "/repos/Codertocat/Hello-World/issues/2/comments") != 1 {
		t.Errorf("comments created %d times, want 1", e.countCalls("POST", "/repos/Codertocat/Hello-World/issues/2/comments"))
	}
}

// A server restarted (no cached comment id) finds its comment by the marker
// and the App attribution, and leaves a look-alike by a person alone.
func TestCommentFoundAfterRestart(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []githubtest.Option
	}{
		{"attributed", nil},
		{"bot-login-only", []githubtest.Option{githubtest.WithoutAppAttribution()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, withGitHub(tc.opts...))
			e.setupPR("v3-octokit-webhooks-license-change")
			e.gh.AddComment(owner, repoName, prNum, "mallory", "User", report.Marker+"\nquoted", 0)
			mine := e.gh.AddComment(owner, repoName, prNum, githubtest.BotLogin, "Bot", report.Marker+"\nold review", githubtest.AppID)
			wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/reopened.payload.json", nil)), http.StatusAccepted)
			cs := e.comments()
			if len(cs) != 2 {
				t.Fatalf("%d comments, want 2 (none created)", len(cs))
			}
			for _, c := range cs {
				switch {
				case c.ID == mine && (c.Edits != 1 || strings.Contains(c.Body, "old review")):
					t.Errorf("the App's comment was not updated: %+v", c)
				case c.ID != mine && c.Edits != 0:
					t.Errorf("someone else's comment was edited: %+v", c)
				}
			}
		})
	}
}

func TestRecheck(t *testing.T) {
	comment := func(user, body string) []byte {
		return payload(t, "issue_comment/created.on-pull-request.go-playground.json", map[string]any{
			"installation":         map[string]any{"id": 1},
			"repository.name":      repoName,
			"repository.full_name": owner + "/" + repoName,
			"repository.owner":     map[string]any{"login": owner},
			"issue.number":         prNum,
			"comment.body":         body,
			"comment.user.login":   user,
		})
	}
	for _, tc := range []struct {
		name, user, role, body string
		want                   bool
	}{
		{"writer", "alice", "write", "/recheck", true},
		{"maintainer-mixed-case-leading-spaces", "alice", "maintain", "   /ReCheck  \nplease", true},
		{"admin", "alice", "admin", "/recheck", true},
		{"read-only", "bob", "read", "/recheck", false},
		{"triage", "bob", "triage", "/recheck", false},
		{"not-a-collaborator", "eve", "", "/recheck", false},
		{"not-first-line", "alice", "write", "please\n/recheck", false},
		{"bot", "dependabot[bot]", "write", "/recheck", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.setupPR("v3-octokit-webhooks-license-change")
			if tc.role != "" {
				e.gh.SetPermission(owner, repoName, tc.user, tc.role)
			}
			wantStatus(t, e.deliver("issue_comment", comment(tc.user, tc.body)), http.StatusAccepted)
			runs := e.gh.CheckRuns(owner, repoName)
			reactions := e.gh.Reactions(owner, repoName)
			if !tc.want {
				if len(runs) != 0 || len(reactions) != 0 || len(e.gh.Writes()) != 0 {
					t.Errorf("a /recheck that must be ignored wrote: %q", e.gh.Writes())
				}
				return
			}
			if len(runs) != 1 || runs[0].Status != "completed" {
				t.Errorf("check runs = %+v, want one completed", runs)
			}
			if len(reactions) != 1 || reactions[0].Content != "eyes" || reactions[0].CommentID != 546616131 {
				t.Errorf("reactions = %+v, want eyes on comment 546616131", reactions)
			}
		})
	}
}

// A comment that is not on a pull request (octokit's issue_comment example
// is on an issue) is ignored without a call to GitHub.
func TestIssueCommentOnIssueIgnored(t *testing.T) {
	e := newEnv(t)
	w := e.deliver("issue_comment", payload(t, "issue_comment/created.with-installation.payload.json", map[string]any{"comment.body": "/recheck"}))
	wantStatus(t, w, http.StatusAccepted)
	if len(e.gh.Calls()) != 0 {
		t.Errorf("calls = %v, want none", e.gh.Calls())
	}
}

func TestSignature(t *testing.T) {
	body := payload(t, "pull_request/opened.payload.json", nil)
	for _, tc := range []struct {
		name string
		set  func(h http.Header)
	}{
		{"missing", func(h http.Header) { h.Del("X-Hub-Signature-256") }},
		{"wrong-secret", func(h http.Header) { h.Set("X-Hub-Signature-256", githubtest.Sign(body, []byte("guess"))) }},
		{"sha1-only", func(h http.Header) {
			h.Del("X-Hub-Signature-256")
			h.Set("X-Hub-Signature", "sha1="+strings.Repeat("0", 40))
		}},
		{"sha1-prefix", func(h http.Header) { h.Set("X-Hub-Signature-256", "sha1="+strings.Repeat("0", 40)) }},
		{"not-hex", func(h http.Header) { h.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("z", 64)) }},
		{"truncated", func(h http.Header) { h.Set("X-Hub-Signature-256", githubtest.Sign(body, secret)[:40]) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.setupPR("v3-octokit-webhooks-license-change")
			r := githubtest.SignedRequest("pull_request", "11111111-1111-1111-1111-111111111111", body, secret)
			tc.set(r.Header)
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, r)
			wantStatus(t, w, http.StatusUnauthorized)
			if n := e.engine.runs.Load(); n != 0 || len(e.gh.Calls()) != 0 {
				t.Errorf("rejected delivery ran %d reviews, %d GitHub calls", n, len(e.gh.Calls()))
			}
			// The id of a rejected delivery is not remembered: the genuine
			// delivery with that id is still taken.
			wantStatus(t, e.deliverID("pull_request", "11111111-1111-1111-1111-111111111111", body), http.StatusAccepted)
			if n := e.engine.runs.Load(); n != 1 {
				t.Errorf("genuine delivery ran %d reviews, want 1", n)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	e := newEnv(t)
	big := make([]byte, webhook.MaxPayloadSize+1)
	for _, chunked := range []bool{false, true} {
		r := githubtest.SignedRequest("pull_request", "22222222-2222-2222-2222-222222222222", big, secret)
		if chunked {
			r.ContentLength = -1 // no Content-Length: only reading finds out
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		wantStatus(t, w, http.StatusRequestEntityTooLarge)
	}
	// Exactly at the cap is read (and then rejected for its signature only
	// because the body is not JSON).
	if e.engine.runs.Load() != 0 {
		t.Error("oversized delivery ran a review")
	}
}

func TestRedeliveryRunsOnce(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	body := payload(t, "pull_request/synchronize.payload.json", nil)
	const id = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
	wantStatus(t, e.deliverID("pull_request", id, body), http.StatusAccepted)
	wantStatus(t, e.deliverID("pull_request", id, body), http.StatusOK)
	if n := e.engine.runs.Load(); n != 1 {
		t.Errorf("%d reviews, want 1", n)
	}
	if runs := e.gh.CheckRuns(owner, repoName); len(runs) != 1 {
		t.Errorf("%d check runs, want 1", len(runs))
	}
}

func TestMalformedHeadLockfile(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	e.gh.Commit(owner, repoName, headSHA, map[string][]byte{"package-lock.json": []byte("{\n  \"name\": \"x\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n  ,\n")})
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	run := e.onlyCheck()
	if run.Conclusion != "failure" {
		t.Errorf("conclusion = %s, want failure", run.Conclusion)
	}
	mustContain(t, "check summary", run.Summary, "package-lock.json at head", "line 6")
	if cs := e.comments(); len(cs) != 1 || !strings.Contains(cs[0].Body, "package-lock.json at head") {
		t.Errorf("comment does not name the broken file: %+v", cs)
	}
}

func TestPolicyFromBase(t *testing.T) {
	t.Run("head-cannot-loosen", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
		// The pull request adds a policy that would wave everything through.
		e.gh.Commit(owner, repoName, headSHA, map[string][]byte{".github/lockreview.yml": []byte("version: 1\nfail-on: none\ncomment: never\n")})
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		if run := e.onlyCheck(); run.Conclusion != "failure" {
			t.Errorf("conclusion = %s, want failure: the head's policy must not apply", run.Conclusion)
		}
		if len(e.comments()) != 1 {
			t.Error("the head's comment: never was applied")
		}
	})
	t.Run("base-applies", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
		e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{".github/lockreview.yml": []byte("version: 1\nfail-on: critical\ncomment: never\n")})
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		if run := e.onlyCheck(); run.Conclusion != "success" {
			t.Errorf("conclusion = %s, want success under fail-on: critical", run.Conclusion)
		}
		if cs := e.comments(); len(cs) != 0 {
			t.Errorf("comment: never, yet %d comments", len(cs))
		}
	})
	t.Run("invalid-base-policy", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v2-octokit-webhooks-es5-ext-install-script")
		e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{".github/lockreview.yml": []byte("version: 1\n\nfail-on: severe\n")})
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		run := e.onlyCheck()
		if run.Conclusion != "failure" || run.Title != "Invalid .github/lockreview.yml" {
			t.Errorf("check = %s %q, want failure, Invalid .github/lockreview.yml", run.Conclusion, run.Title)
		}
		mustContain(t, "summary", run.Summary, "line 3", "fail-on")
	})
}

func TestCommentModes(t *testing.T) {
	policyFile := func(mode string) []byte { return []byte("version: 1\ncomment: " + mode + "\n") }
	for _, tc := range []struct {
		name, scenario, mode string
		existing             bool
		wantComments         int
		wantEdited           bool
	}{
		{"on-findings-with-findings", "v2-octokit-webhooks-es5-ext-install-script", "on-findings", false, 1, false},
		{"on-findings-clean", "v3-workspaces-npm-cli-dependabot-babel-traverse", "on-findings", false, 0, false},
		{"on-findings-clean-updates-existing", "v3-workspaces-npm-cli-dependabot-babel-traverse", "on-findings", true, 1, true},
		{"never", "v2-octokit-webhooks-es5-ext-install-script", "never", false, 0, false},
		{"never-leaves-existing", "v2-octokit-webhooks-es5-ext-install-script", "never", true, 1, false},
		{"always-clean", "v3-workspaces-npm-cli-dependabot-babel-traverse", "always", false, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.setupPR(tc.scenario)
			e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{".github/lockreview.yml": policyFile(tc.mode)})
			if tc.existing {
				e.gh.AddComment(owner, repoName, prNum, githubtest.BotLogin, "Bot", report.Marker+"\nold", githubtest.AppID)
			}
			wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
			cs := e.comments()
			if len(cs) != tc.wantComments {
				t.Fatalf("%d comments, want %d", len(cs), tc.wantComments)
			}
			if tc.existing && (cs[0].Edits > 0) != tc.wantEdited {
				t.Errorf("existing comment edited %d times, want edited: %v", cs[0].Edits, tc.wantEdited)
			}
			if run := e.onlyCheck(); run.Status != "completed" {
				t.Errorf("check %s", run.Status)
			}
		})
	}
}

func TestNoLockfileChanged(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{
		Number: prNum, HeadSHA: headSHA, BaseSHA: baseSHA, BaseRef: "master",
		Files: []githubtest.File{{Path: "README.md"}, {Path: "node_modules/x/package-lock.json"}, {Path: "docs/package.json"}},
	})
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	run := e.onlyCheck()
	if run.Conclusion != "success" || run.Title != "No lockfile changes" {
		t.Errorf("check = %s %q, want success, No lockfile changes", run.Conclusion, run.Title)
	}
	if len(e.comments()) != 0 {
		t.Error("a comment was created for a pull request without lockfile changes")
	}
	if e.engine.runs.Load() != 0 {
		t.Error("the engine ran without lockfiles")
	}

	// With a comment from an earlier push, that comment says so.
	id := e.gh.AddComment(owner, repoName, prNum, githubtest.BotLogin, "Bot", report.Marker+"\n❌ old findings", githubtest.AppID)
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/synchronize.payload.json", nil)), http.StatusAccepted)
	cs := e.comments()
	if len(cs) != 1 || cs[0].ID != id || !strings.Contains(cs[0].Body, "no lockfile changes") {
		t.Errorf("comments = %+v, want the old one updated to say no lockfile changes", cs)
	}
}

// Lockfiles over 1 MB are read through the raw media type: the JSON
// contents answer has no content above 1 MB.
func TestLockfileOver1MB(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v2-large-woocommerce-blocks-dependabot")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	_, want := expected(t, "v2-large-woocommerce-blocks-dependabot")
	run := e.onlyCheck()
	if run.Conclusion != want.Conclusion || run.Title != want.Title {
		t.Errorf("check = %s %q, want %s %q", run.Conclusion, run.Title, want.Conclusion, want.Title)
	}
	if !strings.Contains(e.comments()[0].Body, "| package-lock.json | 127 | 46 |") {
		t.Errorf("comment does not count the large diff:\n%.600s", e.comments()[0].Body)
	}
}

// Many lockfiles (nested, one renamed, one added, one removed) in one pull
// request: one review of all, annotations sent 50 per request.
func TestManyLockfilesAnnotationsBatched(t *testing.T) {
	e := newEnv(t)
	base, head := lockfiles(t, "v2-octokit-webhooks-es5-ext-install-script")
	baseFiles, headFiles := map[string][]byte{}, map[string][]byte{}
	var files []githubtest.File
	for i := range 20 {
		p := "packages/p" + itoa(int64(i)) + "/package-lock.json"
		baseFiles[p], headFiles[p] = base, head
		files = append(files, githubtest.File{Path: p})
	}
	headFiles["new/npm-shrinkwrap.json"] = head
	files = append(files, githubtest.File{Path: "new/npm-shrinkwrap.json", Status: "added"})
	baseFiles["old/package-lock.json"] = base
	files = append(files, githubtest.File{Path: "old/package-lock.json", Status: "removed"})
	baseFiles["was/package-lock.json"], headFiles["moved/package-lock.json"] = base, head
	files = append(files, githubtest.File{Path: "moved/package-lock.json", PreviousPath: "was/package-lock.json", Status: "renamed"})
	e.gh.Commit(owner, repoName, baseSHA, baseFiles)
	e.gh.Commit(owner, repoName, headSHA, headFiles)
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{Number: prNum, HeadSHA: headSHA, BaseSHA: baseSHA, BaseRef: "master", Files: files})

	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	run := e.onlyCheck()
	if run.Status != "completed" || len(run.Annotations) <= 50 {
		t.Fatalf("check %s with %d annotations, want completed with more than 50", run.Status, len(run.Annotations))
	}
	if run.Updates != (len(run.Annotations)+49)/50 {
		t.Errorf("%d updates for %d annotations, want batches of 50", run.Updates, len(run.Annotations))
	}
	body := e.comments()[0].Body
	mustContain(t, "comment", body, "packages/p19/package-lock.json", "new/npm-shrinkwrap.json", "old/package-lock.json", "moved/package-lock.json")
	if e.engine.runs.Load() != 1 {
		t.Errorf("%d engine runs, want 1 for all lockfiles", e.engine.runs.Load())
	}
}

func TestGitHubErrors(t *testing.T) {
	t.Run("502-then-success", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		e.gh.Fail("GET", "/repos/Codertocat/Hello-World/pulls/2/files", http.StatusBadGateway, 1, nil)
		e.gh.Fail("PATCH", "/repos/Codertocat/Hello-World/check-runs/*", http.StatusServiceUnavailable, 1, http.Header{"Retry-After": {"0"}})
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		run := e.onlyCheck()
		if run.Status != "completed" || run.Conclusion != "success" {
			t.Errorf("check %s %s, want completed success", run.Status, run.Conclusion)
		}
		if n := e.countCalls("GET", "/repos/Codertocat/Hello-World/pulls/2/files"); n != 2 {
			t.Errorf("files listed %d times, want 2 (one retry)", n)
		}
	})
	t.Run("secondary-rate-limit", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		e.gh.Fail("POST", "/repos/Codertocat/Hello-World/check-runs", http.StatusForbidden, 1, http.Header{"Retry-After": {"1"}})
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		if run := e.onlyCheck(); run.Status != "completed" {
			t.Errorf("check %s, want completed", run.Status)
		}
	})
	for _, tc := range []struct {
		name, policy, want string
	}{
		{"persistent-502-neutral", "", "neutral"},
		{"persistent-502-fail-closed", "version: 1\nfail-closed: true\n", "failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.setupPR("v3-octokit-webhooks-license-change")
			if tc.policy != "" {
				e.gh.Commit(owner, repoName, baseSHA, map[string][]byte{".github/lockreview.yml": []byte(tc.policy)})
			}
			e.gh.Fail("GET", "/repos/Codertocat/Hello-World/contents/package-lock.json", http.StatusBadGateway, -1, nil)
			wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
			run := e.onlyCheck()
			if run.Status != "completed" || run.Conclusion != tc.want || run.Title != "Review could not complete" {
				t.Errorf("check %s %s %q, want completed %s", run.Status, run.Conclusion, run.Title, tc.want)
			}
			mustContain(t, "summary", run.Summary, "502", "/recheck")
		})
	}
	t.Run("403-not-retried", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		e.gh.Fail("GET", "/repos/Codertocat/Hello-World/compare/*", http.StatusForbidden, -1, nil)
		wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
		if n := e.countCalls("GET", "/repos/Codertocat/Hello-World/compare/"); n != 1 {
			t.Errorf("compare asked %d times, want 1: a plain 403 is final", n)
		}
		if run := e.onlyCheck(); run.Conclusion != "neutral" {
			t.Errorf("conclusion %s, want neutral", run.Conclusion)
		}
	})
}

func TestGitHubEnterpriseServer(t *testing.T) {
	var ep webhook.Endpoints
	e := newEnv(t, withGitHub(githubtest.WithPathPrefix("/api/v3")), withEndpoints(func(gh *githubtest.FakeGitHub) webhook.Endpoints {
		// As an operator writes it: the server's address, no /api/v3.
		var err error
		if ep, err = webhook.ParseGitHubURL(gh.HostURL() + "/"); err != nil {
			t.Fatal(err)
		}
		return ep
	}))
	if ep.API != e.gh.URL()+"/" || ep.Tokens != e.gh.URL() || !strings.HasSuffix(ep.Tokens, "/api/v3") {
		t.Fatalf("endpoints = %+v for %s", ep, e.gh.HostURL())
	}
	e.setupPR("v3-octokit-webhooks-license-change")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	if run := e.onlyCheck(); run.Status != "completed" || run.Conclusion != "success" {
		t.Errorf("check %s %s, want completed success", run.Status, run.Conclusion)
	}
	if len(e.comments()) != 1 {
		t.Error("no comment")
	}
	for _, c := range e.gh.Calls() {
		if c.Status == http.StatusNotFound && !strings.Contains(c.Path, "lockreview.yml") {
			t.Errorf("%s answered 404: wrong base URL", c)
		}
	}
}

func TestCheckEvents(t *testing.T) {
	t.Run("check_run-rerequested", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		// octokit's example is another App's check on another repository:
		// make it ours, on this pull request's head.
		body := payload(t, "check_run/rerequested.payload.json", map[string]any{
			"check_run.name": "lockreview", "check_run.app.id": githubtest.AppID, "check_run.head_sha": headSHA,
			"repository.name": repoName, "repository.owner": map[string]any{"login": owner},
		})
		wantStatus(t, e.deliver("check_run", body), http.StatusAccepted)
		// No pull request in the payload: the task asked GitHub.
		if e.countCalls("GET", "/repos/Codertocat/Hello-World/commits/"+headSHA+"/pulls") != 1 {
			t.Error("pull requests of the commit not looked up")
		}
		if run := e.onlyCheck(); run.Status != "completed" {
			t.Errorf("check %s", run.Status)
		}
	})
	t.Run("check_run-other-name-ignored", func(t *testing.T) {
		e := newEnv(t)
		wantStatus(t, e.deliver("check_run", payload(t, "check_run/rerequested.payload.json", nil)), http.StatusAccepted)
		if len(e.gh.Calls()) != 0 {
			t.Errorf("calls %v", e.gh.Calls())
		}
	})
	t.Run("check_suite-rerequested", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		// The payload lists pull request #2 with head ec26c3e.
		wantStatus(t, e.deliver("check_suite", payload(t, "check_suite/rerequested.payload.json", nil)), http.StatusAccepted)
		if run := e.onlyCheck(); run.Status != "completed" || run.HeadSHA != headSHA {
			t.Errorf("check %+v", run)
		}
		if e.countCalls("GET", "/repos/Codertocat/Hello-World/commits/") != 0 {
			t.Error("pull requests looked up although the payload lists them")
		}
	})
	t.Run("check_suite-requested-no-pull-request", func(t *testing.T) {
		e := newEnv(t)
		e.setupPR("v3-octokit-webhooks-license-change")
		// Head f95f852 is no pull request's head.
		wantStatus(t, e.deliver("check_suite", payload(t, "check_suite/requested.payload.json", nil)), http.StatusAccepted)
		if len(e.gh.CheckRuns(owner, repoName)) != 0 {
			t.Error("a check run was created for a commit without pull request")
		}
	})
}

func TestOtherEvents(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		event, file string
		want        int
	}{
		{"ping", "ping/payload.json", http.StatusOK},
		{"ping", "ping/with-app_id.payload.json", http.StatusOK},
		{"installation", "installation/created.payload.json", http.StatusAccepted},
		{"installation", "installation/deleted.go-playground.json", http.StatusAccepted},
		{"pull_request", "pull_request/closed.payload.json", http.StatusAccepted},
		{"star", "ping/payload.json", http.StatusAccepted},
	} {
		wantStatus(t, e.deliver(tc.event, payload(t, tc.file, nil)), tc.want)
	}
	if len(e.gh.Calls()) != 0 {
		t.Errorf("calls %v, want none", e.gh.Calls())
	}
	wantStatus(t, e.deliver("pull_request", []byte(`{"action": "opened", "number": "two"}`)), http.StatusBadRequest)
	wantStatus(t, e.deliver("pull_request", []byte(`not json`)), http.StatusBadRequest)

	r := httptest.NewRequest(http.MethodGet, "/webhook", nil)
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	wantStatus(t, w, http.StatusMethodNotAllowed)
}

// A delivery in the form encoding (a webhook created with content type
// application/x-www-form-urlencoded) is verified over the form body.
func TestFormEncodedDelivery(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	body := []byte("payload=" + urlQueryEscape(string(payload(t, "pull_request/opened.payload.json", nil))))
	r := githubtest.SignedRequest("pull_request", "33333333-3333-3333-3333-333333333333", body, secret)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	wantStatus(t, w, http.StatusAccepted)
	if e.onlyCheck().Status != "completed" {
		t.Error("not reviewed")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		wantStatus(t, w, want)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	wantStatus(t, w, http.StatusOK)
	mustContain(t, "metrics", w.Body.String(),
		`lockreview_webhook_deliveries_total{event="pull_request",outcome="accepted"} 1`,
		`lockreview_reviews_total{conclusion="success"} 1`,
		`lockreview_review_duration_seconds_count 1`,
		`lockreview_github_requests_total{code="201",method="POST"}`,
		`lockreview_webhook_ack_seconds_bucket`,
	)
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	w = httptest.NewRecorder()
	e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	wantStatus(t, w, http.StatusServiceUnavailable)
}

// Pagination: a lockfile on the third page of changed files is found, and
// the App's comment past the first hundred comments is edited, not doubled.
func TestPagination(t *testing.T) {
	e := newEnv(t)
	e.setupPR("v3-octokit-webhooks-license-change")
	var files []githubtest.File
	for i := range 250 {
		files = append(files, githubtest.File{Path: "src/f" + itoa(int64(i)) + ".js"})
	}
	files = append(files, githubtest.File{Path: "package-lock.json"})
	e.gh.SetPullRequest(owner, repoName, githubtest.PullRequest{Number: prNum, HeadSHA: headSHA, BaseSHA: baseSHA, BaseRef: "master", Files: files})
	for i := range 150 {
		e.gh.AddComment(owner, repoName, prNum, "user"+itoa(int64(i)), "User", "lgtm", 0)
	}
	mine := e.gh.AddComment(owner, repoName, prNum, githubtest.BotLogin, "Bot", report.Marker+"\nold", githubtest.AppID)
	wantStatus(t, e.deliver("pull_request", payload(t, "pull_request/opened.payload.json", nil)), http.StatusAccepted)
	if n := e.countCalls("GET", "/repos/Codertocat/Hello-World/pulls/2/files"); n != 3 {
		t.Errorf("%d pages of files read, want 3", n)
	}
	cs := e.comments()
	if len(cs) != 151 || cs[150].ID != mine || cs[150].Edits != 1 {
		t.Errorf("%d comments, last %+v: want the App's comment edited, none added", len(cs), cs[len(cs)-1].ID)
	}
	if run := e.onlyCheck(); run.Title == "No lockfile changes" {
		t.Error("the lockfile on the third page was missed")
	}
}
