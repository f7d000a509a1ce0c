package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"strings"

	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/review"
)

// gitRequest builds a review of every lockfile changed between two refs of the
// repository in the working directory. Files are read with `git show`; the
// working tree is never checked out or modified. Every path is relative to
// the repository's top level, wherever in it lockreview runs.
func gitRequest(ctx context.Context, spec string) (review.Request, error) {
	top, err := git(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return review.Request{}, err
	}
	repo := strings.TrimSpace(string(top))
	base, head, err := gitRefs(ctx, repo, spec)
	if err != nil {
		return review.Request{}, err
	}
	out, err := git(ctx, repo, "diff", "--name-only", "--no-renames", "-z", base, head, "--")
	if err != nil {
		return review.Request{}, err
	}
	var req review.Request
	for _, p := range strings.Split(string(out), "\x00") {
		if !IsLockfile(p) {
			continue
		}
		fp := review.FilePair{Path: p}
		if fp.Base, err = gitShow(ctx, repo, base, p); err != nil {
			return review.Request{}, err
		}
		if fp.Head, err = gitShow(ctx, repo, head, p); err != nil {
			return review.Request{}, err
		}
		req.Files = append(req.Files, fp)
	}
	// The policy comes from the base: a change cannot loosen its own policy.
	data, err := gitShow(ctx, repo, base, policy.FileName)
	if err != nil {
		return review.Request{}, err
	}
	if data != nil {
		if req.Policy, err = policy.ParseAt(policy.FileName+" at "+base[:min(len(base), 12)], data); err != nil {
			return review.Request{}, err
		}
	}
	return req, nil
}

// IsLockfile reports whether a repository path is an npm lockfile lockreview
// reviews: package-lock.json or npm-shrinkwrap.json, never under node_modules.
func IsLockfile(p string) bool {
	switch path.Base(p) {
	case "package-lock.json", "npm-shrinkwrap.json":
	default:
		return false
	}
	return !strings.HasPrefix(p, "node_modules/") && !strings.Contains(p, "/node_modules/")
}

// gitRefs resolves "A..B", "A...B" (merge base of A and B, then B) or "A"
// (A..HEAD) to two commit ids.
func gitRefs(ctx context.Context, repo, spec string) (base, head string, err error) {
	a, b, threeDot := spec, "HEAD", false
	if x, y, ok := strings.Cut(spec, "..."); ok {
		a, b, threeDot = x, y, true
	} else if x, y, ok := strings.Cut(spec, ".."); ok {
		a, b = x, y
	}
	if b == "" {
		b = "HEAD"
	}
	for _, r := range []string{a, b} {
		if r == "" || strings.HasPrefix(r, "-") {
			return "", "", fmt.Errorf("--git %q: want BASE..HEAD, BASE...HEAD or BASE", spec)
		}
	}
	if base, err = revParse(ctx, repo, a); err != nil {
		return "", "", err
	}
	if head, err = revParse(ctx, repo, b); err != nil {
		return "", "", err
	}
	if threeDot {
		out, err := git(ctx, repo, "merge-base", base, head)
		if err != nil {
			return "", "", err
		}
		base = strings.TrimSpace(string(out))
	}
	return base, head, nil
}

func revParse(ctx context.Context, repo, ref string) (string, error) {
	out, err := git(ctx, repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("git ref %q is not a commit in this repository", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// gitShow returns the file at rev (p is relative to the top level), or nil
// when it does not exist there.
func gitShow(ctx context.Context, repo, rev, p string) ([]byte, error) {
	// ls-tree tells "absent" apart from "git failed".
	out, err := git(ctx, repo, "ls-tree", "--full-tree", "--name-only", rev, "--", p)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return nil, nil
	}
	data, err := git(ctx, repo, "show", rev+":"+p)
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s at %s: larger than %d MiB", p, rev, maxInput>>20)
	}
	return data, nil
}

// git runs a git command in dir ("" is the working directory).
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git %s: %s", args[0], strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}
