package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/typosquat"
)

const diffUsage = `Usage:
  lockreview diff --base OLD.json --head NEW.json [flags]
  lockreview diff --git BASE..HEAD [flags]

Compares npm lockfiles (package-lock.json, npm-shrinkwrap.json) and reports
supply-chain risks. With --git, every lockfile changed between the two refs of
the repository in the current directory is read with 'git show' (nothing is
checked out) and the policy is read from BASE's .github/lockreview.yml.
BASE..HEAD compares the two commits; BASE...HEAD compares HEAD with its merge
base, as a pull request does; a single ref means REF..HEAD.

Online by default: the changed versions' registry metadata, provenance and
signatures are checked against --registry (only packages resolved from it are
looked up; no URL from the lockfile is ever fetched). --offline skips that.

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it (or
an incomplete online review under a fail-closed policy), 2 usage or input error.

Flags:
`

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, diffUsage); fs.PrintDefaults() }
	basePath := fs.String("base", "", "the lockfile before the change (omit for a new lockfile)")
	headPath := fs.String("head", "", "the lockfile after the change (omit for a deleted lockfile)")
	gitRange := fs.String("git", "", "compare the lockfiles changed between two git refs: BASE..HEAD, BASE...HEAD or BASE")
	format := fs.String("format", "text", "output format: text, markdown, json or sarif")
	failOn := fs.String("fail-on", "", "lowest severity that makes the exit status 1: critical, high, medium, low, info or none (default: the policy's, high)")
	deltaPathFlag := fs.String("sbom-delta", "", "write the CycloneDX SBOM delta document of the head to this file (one file per lockfile when there are several)")
	policyPath := fs.String("policy", "", "policy file (default: none with --base/--head; BASE's .github/lockreview.yml with --git)")
	offline := fs.Bool("offline", false, "use no network: skip the online checks (registry metadata, provenance, signatures)")
	var rf registryFlags
	rf.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lockreview diff: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	render, ok := renderers[*format]
	if !ok {
		fmt.Fprintf(stderr, "lockreview diff: unknown --format %q (want text, markdown, json or sarif)\n", *format)
		return exitUsage
	}

	// Build the typosquat index (tens of ms) on the other core while the
	// lockfiles are read and parsed.
	go typosquat.Default()

	var req review.Request
	var err error
	switch {
	case *gitRange != "" && (*basePath != "" || *headPath != ""):
		err = errors.New("--git cannot be combined with --base or --head")
	case *gitRange != "":
		req, err = gitRequest(ctx, *gitRange)
	case *basePath == "" && *headPath == "":
		err = errors.New("give --base and --head, or --git BASE..HEAD")
	default:
		req, err = fileRequest(*basePath, *headPath)
	}
	if err == nil && *policyPath != "" {
		req.Policy, err = readPolicy(*policyPath)
	}
	if err == nil && *failOn != "" {
		req.Policy, err = overrideFailOn(req.Policy, *failOn)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lockreview diff: %v\n", err)
		return exitUsage
	}

	rv := review.Reviewer{Typosquat: review.TyposquatIndex(typosquat.Default())}
	// The text and SARIF reports show no SBOM delta: skip building it.
	rv.SkipSBOM = (*format == "text" || *format == "sarif") && *deltaPathFlag == ""
	rv.KeepBOM = *deltaPathFlag != ""
	if !*offline {
		if err := onlineReviewer(ctx, &rv, &rf, stderr); err != nil {
			fmt.Fprintf(stderr, "lockreview diff: %v\n", err)
			return exitUsage
		}
	}
	res, err := rv.Run(ctx, req)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview diff: %v\n", err)
		return exitUsage
	}
	if err := render(stdout, res); err != nil {
		fmt.Fprintf(stderr, "lockreview diff: write report: %v\n", err)
		return exitUsage
	}
	if *deltaPathFlag != "" {
		if err := writeDeltaDocuments(*deltaPathFlag, res); err != nil {
			fmt.Fprintf(stderr, "lockreview diff: %v\n", err)
			return exitUsage
		}
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "lockreview diff: %s\n", p)
	}
	switch {
	case res.InputError:
		return exitUsage
	case res.Conclusion == policy.Failure:
		return exitFindings
	}
	return exitOK
}

var renderers = map[string]func(io.Writer, *review.Result) error{
	"text":  func(w io.Writer, r *review.Result) error { return report.Text(w, r) },
	"json":  report.JSON,
	"sarif": report.SARIF,
	"markdown": func(w io.Writer, r *review.Result) error {
		_, err := io.WriteString(w, report.Markdown(r))
		return err
	},
}

// fileRequest checks the two lockfiles and has the review stream them: a
// lockfile is parsed as it is read, never held whole. The reported path is
// the head's (or the base's, for a deleted lockfile) as given.
func fileRequest(basePath, headPath string) (review.Request, error) {
	fp := review.FilePair{Path: headPath}
	if headPath == "" {
		fp.Path = basePath
	}
	paths := map[string]string{}
	for side, path := range map[string]string{"base": basePath, "head": headPath} {
		if path == "" {
			continue
		}
		if err := checkFile(path); err != nil {
			return review.Request{}, err
		}
		paths[side] = path
	}
	fp.Open = func(side string) (io.ReadCloser, error) {
		path, ok := paths[side]
		if !ok {
			return nil, nil
		}
		return os.Open(path)
	}
	return review.Request{Files: []review.FilePair{fp}}, nil
}

// checkFile fails early, with the path, on a file that does not exist, is
// a directory or is over the size limit. It only stats the file: opening a
// pipe (process substitution, /dev/stdin) would use it up.
func checkFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s: is a directory", path)
	}
	if fi.Size() > maxInput {
		return fmt.Errorf("%s: larger than %d MiB", path, maxInput>>20)
	}
	return nil
}

// maxInput matches lockfile's default cap; a larger file is refused before it
// is read whole.
const maxInput = 256 << 20

func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxInput>>20)
	}
	// os.ReadFile sizes its buffer from the file: one allocation, no
	// regrowth (a pipe or a growing file is still read to its end).
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxInput>>20)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

func readPolicy(path string) (*policy.Policy, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return policy.ParseAt(path, data)
}

func overrideFailOn(p *policy.Policy, name string) (*policy.Policy, error) {
	if p == nil {
		p = policy.Default()
	}
	fo, err := policy.ParseFailOn(name)
	if err != nil {
		return nil, fmt.Errorf("--fail-on: %w", err)
	}
	p.FailOn = fo
	return p, nil
}
