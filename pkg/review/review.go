// Package review runs one review: from the bytes of each changed lockfile at
// base and head, through parsing, comparison and the checks, to a Result that
// the renderers in pkg/report turn into a comment, a check run, JSON or SARIF.
// It knows nothing of GitHub; the CLI and the webhook both call it.
package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/sbom"
)

// FilePair is one lockfile at the base and the head of a change. A nil side
// means the file does not exist there (added or deleted).
type FilePair struct {
	Path       string
	Base, Head []byte
	// Open, when set, is used instead of Base and Head: it opens one side
	// ("base" or "head") as a stream, which the review parses as it reads
	// and closes, so the input is never held whole. It returns a nil reader
	// and no error for a side where the file does not exist.
	Open func(side string) (io.ReadCloser, error)
}

// Request is one review's input.
type Request struct {
	Files []FilePair
	// Policy judges the review; nil means policy.Default().
	Policy *policy.Policy
	// Now is the review's clock (for ignore-entry expiry); zero means time.Now().
	Now time.Time
}

// FileResult is what the review found in one lockfile.
type FileResult struct {
	Path string
	// Changes is nil when the file could not be parsed.
	Changes *diff.Changes
	// Err says why the file could not be reviewed; it names the file and side.
	Err error
	// BOM is the head's CycloneDX SBOM, kept only with Reviewer.KeepBOM
	// (nil when the lockfile was deleted or could not be parsed); SBOM is
	// the delta from the base's.
	BOM  *cdx.BOM
	SBOM *sbom.BOMDelta
}

// Result is one review's outcome.
type Result struct {
	Files []FileResult
	// Findings of all files, policy applied, highest severity first.
	Findings []checks.Finding
	// Notes are things the policy says about itself (expired ignore entries).
	Notes      []policy.Note
	Conclusion policy.Conclusion
	// Incomplete is set when part of the review could not be done; Problems
	// says what. An incomplete review is never a success.
	Incomplete bool
	Problems   []string
	// InputError is set when a lockfile could not be parsed (the review
	// fails); Problems names the file and position.
	InputError bool
	// Online is set when registry metadata was consulted.
	Online bool
	// Policy is the policy the review was judged by.
	Policy *policy.Policy
}

// Reviewer runs reviews. The zero value runs an offline review with no
// typosquat index. A Reviewer is safe for concurrent use.
type Reviewer struct {
	// Typosquat is the popular-name index for the typosquat check; nil
	// disables that check.
	Typosquat checks.TyposquatIndex
	// ParseOptions are passed to lockfile.Parse (size and depth limits).
	ParseOptions []lockfile.Option
	// Registry, when set, makes the review online: registry metadata of the
	// changed versions feeds the online checks. nil is an offline review.
	Registry Registry
	// Verifier verifies attestations and registry signatures; nil skips
	// provenance and signature checks.
	Verifier ProvenanceVerifier
	// Concurrency bounds parallel registry lookups (DefaultConcurrency).
	Concurrency int
	// SkipSBOM leaves FileResult.BOM and SBOM nil, for callers that render
	// no SBOM delta (it is about a third of an offline review's time).
	SkipSBOM bool
	// KeepBOM keeps each head's whole BOM in FileResult.BOM (to write a
	// delta document). Without it only the delta outlives the review: the
	// BOM of a large lockfile holds several MB.
	KeepBOM bool
}

func (r *Reviewer) now() time.Time { return time.Now() }

// Run reviews every lockfile of the request. Unparseable input is recorded in
// the Result (and fails it); registry failures mark it incomplete. Run
// returns an error only for a request it cannot even start. ctx bounds the
// registry lookups.
func (r *Reviewer) Run(ctx context.Context, req Request) (*Result, error) {
	pol := req.Policy
	if pol == nil {
		pol = policy.Default()
	}
	now := req.Now
	if now.IsZero() {
		now = r.now()
	}
	res := &Result{Policy: pol, Online: r.Registry != nil}
	cfg := pol.CheckConfig()
	cfg.Typosquat = r.Typosquat
	inputError := false

	// The SBOMs are built in the background while the checks (and the
	// registry lookups) run; they are collected at the end.
	var sboms sync.WaitGroup
	type sbomResult struct {
		bom   *cdx.BOM
		delta *sbom.BOMDelta
		err   error
	}
	sbomOut := make([]sbomResult, len(req.Files))
	for _, fp := range req.Files {
		if fp.Path == "" {
			return nil, errors.New("review request: a file pair has no path")
		}
		fr := FileResult{Path: fp.Path}
		// The two sides parse in parallel: parsing is most of an offline
		// review's time.
		var base *lockfile.Lockfile
		var errBase error
		done := make(chan struct{})
		go func() {
			defer close(done)
			// A panic here could not be recovered by the caller's worker:
			// turn it into this file's error instead of crashing the server.
			defer func() {
				if p := recover(); p != nil {
					base, errBase = nil, fmt.Errorf("%s at base: internal error: %v", fp.Path, p)
				}
			}()
			base, errBase = r.parse(fp, "base", fp.Base)
		}()
		head, errHead := r.parse(fp, "head", fp.Head)
		<-done
		if err := errors.Join(errHead, errBase); err != nil {
			fr.Err = err
			inputError = true
			res.Problems = append(res.Problems, err.Error())
		} else {
			// Build both path indexes now: the checks and the SBOM
			// goroutine below both look paths up, and a Lockfile builds
			// its index lazily, unsynchronized.
			for _, l := range []*lockfile.Lockfile{base, head} {
				if l != nil {
					l.Workspaces()
				}
			}
			fr.Changes = diff.Compare(base, head)
		}
		res.Files = append(res.Files, fr)
		if fr.Err == nil && !r.SkipSBOM {
			out := &sbomOut[len(res.Files)-1]
			sboms.Add(1)
			go func() {
				defer sboms.Done()
				out.bom, out.delta, out.err = buildSBOM(base, head)
				if !r.KeepBOM {
					out.bom = nil
				}
			}()
		}
	}

	incomplete := inputError
	for _, fr := range res.Files {
		if fr.Changes == nil {
			continue
		}
		// Metadata is per lockfile: two lockfiles may pin the same
		// name@version to different bytes, and provenance and signatures are
		// checked against each one's integrity. The registry client's cache
		// makes the second lookup of a version free.
		var meta checks.Metadata
		if r.Registry != nil {
			var missing int
			meta, missing = r.metadata(ctx, wanted(fr.Changes, r.Registry))
			if missing > 0 {
				incomplete = true
				res.Problems = append(res.Problems, fr.Path+": "+problemText(meta))
			}
		}
		res.Findings = append(res.Findings, checks.Run(&checks.Input{
			Lockfile: fr.Path,
			Changes:  fr.Changes,
			Config:   cfg,
			Meta:     meta,
			Now:      now,
		}, pol.Enabled)...)
	}
	checks.Sort(res.Findings)

	sboms.Wait()
	for i := range res.Files {
		fr, out := &res.Files[i], sbomOut[i]
		if out.err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: SBOM: %v", fr.Path, out.err))
		}
		fr.BOM, fr.SBOM = out.bom, out.delta
	}

	res.Notes = pol.Apply(res.Findings, now)
	res.Incomplete = incomplete
	res.InputError = inputError
	res.Conclusion = pol.Decide(res.Findings, res.Incomplete)
	if inputError {
		// A lockfile that cannot be read is never waved through: npm may read
		// it differently than we could, so the review fails.
		res.Conclusion = policy.Failure
	}
	return res, nil
}

// buildSBOM builds both sides' BOMs in parallel and their delta; a nil side
// (an added or deleted lockfile) has no BOM. A panic becomes an error.
func buildSBOM(base, head *lockfile.Lockfile) (headBOM *cdx.BOM, delta *sbom.BOMDelta, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	var baseBOM *cdx.BOM
	var errBase error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				errBase = fmt.Errorf("internal error: %v", p)
			}
		}()
		if base != nil {
			baseBOM, errBase = sbom.BOM(base)
		}
	}()
	if head != nil {
		headBOM, err = sbom.BOM(head)
	}
	<-done
	if err = errors.Join(err, errBase); err != nil {
		return nil, nil, err
	}
	return headBOM, sbom.Delta(baseBOM, headBOM), nil
}

func (r *Reviewer) parse(fp FilePair, side string, data []byte) (*lockfile.Lockfile, error) {
	// The name given to Parse is what every error names: "package-lock.json at head".
	name := fp.Path + " at " + side
	if fp.Open != nil {
		rc, err := fp.Open(side)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if rc == nil {
			return nil, nil
		}
		defer rc.Close()
		return lockfile.ParseReader(name, rc, r.ParseOptions...)
	}
	if data == nil {
		return nil, nil
	}
	return lockfile.Parse(name, data, r.ParseOptions...)
}

// Counts returns how many changes of each kind the result holds, over all files.
func (res *Result) Counts() map[diff.Kind]int {
	out := map[diff.Kind]int{}
	for _, f := range res.Files {
		if f.Changes == nil {
			continue
		}
		for i := range f.Changes.List {
			out[f.Changes.List[i].Kind]++
		}
	}
	return out
}

// Active returns the findings not suppressed by policy.
func (res *Result) Active() []checks.Finding {
	var out []checks.Finding
	for _, f := range res.Findings {
		if !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}
