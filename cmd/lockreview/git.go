package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
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
	changed := strings.Split(string(out), "\x00")
	if err := linkedLockfiles(ctx, repo, head, changed); err != nil {
		return review.Request{}, err
	}
	var req review.Request
	for _, p := range changed {
		if !lockfile.IsLockfilePath(p) {
			continue
		}
		fp := review.FilePair{Path: p}
		if fp.Base, err = gitShow(ctx, repo, base, p); err != nil {
			return review.Request{}, err
		}
		if fp.Head, err = gitShow(ctx, repo, head, p); err != nil {
			return review.Request{}, err
		}
		if fp.Base == nil && fp.Head == nil {
			// git diff says it changed: reading neither side would pass it unseen.
			return review.Request{}, fmt.Errorf("%s changed between %s and %s but could be read at neither", p, shortRev(base), shortRev(head))
		}
		req.Files = append(req.Files, fp)
	}
	// The policy comes from the base: a change cannot loosen its own policy.
	data, err := gitShow(ctx, repo, base, policy.FileName)
	if err != nil {
		return review.Request{}, err
	}
	if data != nil {
		if req.Policy, err = policy.ParseAt(policy.FileName+" at "+shortRev(base), data); err != nil {
			return review.Request{}, err
		}
	}
	return req, nil
}

// linkedLockfiles fails when a lockfile at head is a symbolic link whose
// target changed: npm installs from the target, which is not named like a
// lockfile, so the change would pass unreviewed. Links are followed all the
// way, through linked folders too; a link that leaves the repository, is
// absolute or loops fails the review, since its target cannot be checked.
// (A changed link itself is refused by gitShow.)
func linkedLockfiles(ctx context.Context, repo, head string, changed []string) error {
	isChanged := make(map[string]bool, len(changed))
	for _, p := range changed {
		isChanged[p] = true
	}
	out, err := git(ctx, repo, "ls-tree", "-r", "-z", "--full-tree", head)
	if err != nil {
		return err
	}
	links := map[string]string{} // link path → object id
	submodules := map[string]bool{}
	var lockLinks, lockFiles, changedLinks []string
	for _, entry := range bytes.Split(out, []byte{0}) {
		meta, name, ok := bytes.Cut(entry, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 {
			continue
		}
		p := string(name)
		switch f[0] {
		case "120000":
			links[p] = f[2]
			if lockfile.IsLockfilePath(p) {
				lockLinks = append(lockLinks, p)
			} else if isChanged[p] {
				changedLinks = append(changedLinks, p)
			}
		case "160000":
			submodules[p] = true
		default:
			if lockfile.IsLockfilePath(p) {
				lockFiles = append(lockFiles, p)
			}
		}
	}
	readLink := func(id string) (string, error) {
		b, err := git(ctx, repo, "cat-file", "blob", id)
		return string(b), err
	}
	// A folder link that changed: npm in that folder now reads whatever
	// lockfile the new target holds, under a path git lists nowhere.
	for _, l := range changedLinks {
		t, _, err := resolveLinks(links, submodules, readLink, l)
		if err != nil {
			continue // not a way into the tree's lockfiles
		}
		for _, f := range lockFiles {
			if t == "" || strings.HasPrefix(f, t+"/") {
				return fmt.Errorf("%s at %s is a folder link that changed; it now leads to %s, which holds %s: npm installs from that lockfile, which lockreview does not follow through links; replace the link with the folder", l, shortRev(head), t, f)
			}
		}
	}
	for _, p := range lockLinks {
		t, via, err := resolveLinks(links, submodules, readLink, p)
		if err != nil {
			return fmt.Errorf("%s at %s is a symbolic link that cannot be followed (%v): npm installs from its target, which lockreview cannot review; replace the link with the file", p, shortRev(head), err)
		}
		if isChanged[t] {
			return fmt.Errorf("%s at %s is a symbolic link to %s, which changed: npm installs from the link's target, which lockreview does not follow; review %s with --base and --head, or replace the link with the file", p, shortRev(head), t, t)
		}
		for _, l := range via {
			if l != p && isChanged[l] { // p itself changed: gitShow refuses it
				return fmt.Errorf("%s at %s is a symbolic link to %s through %s, a link that changed: npm now installs from another file, which lockreview does not follow; replace the links with the file", p, shortRev(head), t, l)
			}
		}
	}
	return nil
}

// resolveLinks resolves p in a tree whose symbolic links are links (path →
// object id) and whose submodules (which it cannot enter) are submodules,
// as the file system does: one component at a time, a ".."
// applying to the folder reached so far (after the links before it were
// followed). It returns the path reached and every link followed on the way.
func resolveLinks(links map[string]string, submodules map[string]bool, readLink func(id string) (string, error), p string) (string, []string, error) {
	var done []string // components of the resolved, link-free prefix
	var via []string
	todo := strings.Split(p, "/")
	for hops := 0; len(todo) > 0; {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", via, errors.New("the path leads out of the repository")
			}
			done = done[:len(done)-1]
			continue
		}
		cur := strings.Join(append(done, c), "/")
		if submodules[cur] {
			// The commit a submodule points to is not in this tree.
			return "", via, fmt.Errorf("it leads into the submodule %s", cur)
		}
		id, ok := links[cur]
		if !ok {
			done = append(done, c)
			continue
		}
		if hops++; hops > 40 {
			return "", via, errors.New("too many levels of links")
		}
		via = append(via, cur)
		target, err := readLink(id)
		if err != nil {
			return "", via, err
		}
		if path.IsAbs(target) {
			return "", via, fmt.Errorf("the link %s is absolute (%q)", cur, target)
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return strings.Join(done, "/"), via, nil
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
// when it does not exist there. A path that is not a regular file there (a
// symbolic link, a submodule, a folder) is an error: npm would read something
// else than the blob holds.
func gitShow(ctx context.Context, repo, rev, p string) ([]byte, error) {
	// ls-tree tells "absent" apart from "git failed", and gives the mode and
	// object id; paths are literal (see git), never pathspec magic.
	out, err := git(ctx, repo, "ls-tree", "--full-tree", "-z", rev, "--", p)
	if err != nil {
		return nil, err
	}
	entry, _, _ := bytes.Cut(out, []byte{0})
	if len(entry) == 0 {
		return nil, nil
	}
	meta, name, ok := bytes.Cut(entry, []byte{'\t'})
	fields := strings.Fields(string(meta))
	if !ok || string(name) != p || len(fields) != 3 {
		return nil, fmt.Errorf("%s at %s: unexpected git ls-tree output %q", p, shortRev(rev), entry)
	}
	mode, kind, id := fields[0], fields[1], fields[2]
	switch {
	case mode == "120000":
		target, _ := git(ctx, repo, "cat-file", "blob", id)
		return nil, fmt.Errorf("%s at %s is a symbolic link to %q: npm reads the link's target, which lockreview does not follow; review the target file with --base and --head, or replace the link with the file", p, shortRev(rev), strings.TrimSpace(string(target)))
	case kind != "blob":
		return nil, fmt.Errorf("%s at %s is a %s, not a file", p, shortRev(rev), kind)
	}
	data, err := git(ctx, repo, "cat-file", "blob", id)
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s at %s: larger than %d MiB", p, shortRev(rev), maxInput>>20)
	}
	return data, nil
}

// shortRev abbreviates a commit id for messages.
func shortRev(rev string) string { return rev[:min(len(rev), 12)] }

// git runs a git command in dir ("" is the working directory).
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	// Paths from the repository are data: a folder named ":app" or
	// ":(glob)x" must not be read as pathspec magic.
	cmd.Env = append(os.Environ(), "GIT_LITERAL_PATHSPECS=1")
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
