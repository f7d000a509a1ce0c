// Package report renders a review.Result for people and machines: the pull
// request comment (Markdown), the check run (CheckOutput), a terminal summary
// (Text), a versioned JSON document (JSON) and SARIF 2.1.0 for code scanning
// (SARIF).
//
// Everything a lockfile says is attacker-controlled: package names, versions,
// URLs and the messages that quote them. The renderers escape it for their
// format (Markdown and HTML in the comment, control and bidirectional
// characters in the terminal), bound its length, and keep the comment and
// the check run within GitHub's size limits by cutting package lists before
// findings.
//
// The renderers are pure: no I/O besides the io.Writer they are given, no
// clock, and the same Result always renders to the same bytes.
package report

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/review"
)

// ToolName is the tool name written into JSON and SARIF reports.
const ToolName = "lockreview"

// ToolURI is the project's home page, written into SARIF reports.
const ToolURI = "https://github.com/lockreview/lockreview"

// Option configures Markdown, Text or CheckOutput. Options a renderer does
// not use are ignored. JSON and SARIF take none: their output depends on the
// Result alone, so they fit a plain func(io.Writer, *review.Result) error.
type Option func(*config)

type config struct {
	color   bool
	version string
	maxSize int
}

// WithColor makes Text use ANSI colours for severities and the verdict.
// Colours are off by default; pass WithColor(true) only for a terminal.
func WithColor(on bool) Option { return func(c *config) { c.color = on } }

// WithMaxSize sets the largest size in bytes Markdown may produce, for
// surfaces with other limits than a pull request comment. n <= 0 or above
// MaxCommentSize means MaxCommentSize.
func WithMaxSize(n int) Option { return func(c *config) { c.maxSize = n } }

func newConfig(opts []Option) config {
	c := config{version: buildVersion()}
	for _, o := range opts {
		o(&c)
	}
	if c.maxSize <= 0 || c.maxSize > MaxCommentSize {
		c.maxSize = MaxCommentSize
	}
	return c
}

// buildVersion is the tool version every format reports: the main module's
// version from the build information, or "devel" for builds without one (a
// working tree, and tests).
var buildVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
})

// kindOrder is the order changes are counted and listed in.
var kindOrder = []diff.Kind{diff.Added, diff.Updated, diff.Removed, diff.SourceChanged, diff.IntegrityChanged}

// kindLabel is how a change kind reads in counts ("3 re-resolved"). The
// source-changed kind is a version that stayed and now resolves from another
// URL; "re-resolved" keeps it apart from the source-changed check, which is
// about updates that move to another source.
func kindLabel(k diff.Kind) string {
	switch k {
	case diff.SourceChanged:
		return "re-resolved"
	case diff.IntegrityChanged:
		return "integrity changed"
	}
	return k.String()
}

// severities lists severities highest first.
var severities = []checks.Severity{checks.Critical, checks.High, checks.Medium, checks.Low, checks.Info}

// view is what every renderer derives from a Result: the findings split into
// active and accepted, ordered, and counted. It never holds a nil Result.
type view struct {
	res      *review.Result
	active   []checks.Finding
	accepted []checks.Finding
	// bySeverity counts the active findings.
	bySeverity map[checks.Severity]int
	// removed holds lockfile, name and version of every removal: a finding
	// about one points at a line of the base lockfile, not the head.
	removed map[[3]string]bool
}

func newView(res *review.Result) *view {
	if res == nil {
		res = &review.Result{}
	}
	all := append([]checks.Finding(nil), res.Findings...)
	checks.Sort(all)
	v := &view{res: res, bySeverity: map[checks.Severity]int{}, removed: map[[3]string]bool{}}
	for _, f := range res.Files {
		if f.Changes == nil {
			continue
		}
		for _, c := range f.Changes.List {
			if c.Kind == diff.Removed {
				v.removed[[3]string{f.Path, c.Name, c.From}] = true
			}
		}
	}
	for _, f := range all {
		if f.Suppressed {
			v.accepted = append(v.accepted, f)
			continue
		}
		v.active = append(v.active, f)
		v.bySeverity[f.Severity]++
	}
	return v
}

// onBase reports whether f's line is in the base lockfile (f is about a
// removed package), so it must not annotate the head file.
func (v *view) onBase(f *checks.Finding) bool {
	return f.From == "" && v.removed[[3]string{f.Lockfile, f.Package, f.Version}]
}

// headLine returns the line of f in the head lockfile, 0 when unknown or in
// the base.
func (v *view) headLine(f *checks.Finding) int {
	if v.onBase(f) {
		return 0
	}
	return f.Line
}

// where renders a finding's location: "package-lock.json:123", or
// "package-lock.json:123 (base)" for a line of the base lockfile.
func (v *view) where(f *checks.Finding) string {
	s := location(f.Lockfile, f.Line)
	if f.Line > 0 && v.onBase(f) {
		s += " (base)"
	}
	return s
}

// failOn returns the policy's fail-on threshold as text: a severity name,
// "none", or "" when the result carries no policy.
func (v *view) failOn() string {
	switch {
	case v.res.Policy == nil:
		return ""
	case v.res.Policy.FailOn == nil:
		return "none"
	}
	return v.res.Policy.FailOn.String()
}

// severityList renders counts as "2 critical, 1 high", highest first,
// counting only severities at or above min.
func (v *view) severityList(min checks.Severity) string {
	var parts []string
	for _, s := range severities {
		if s >= min && v.bySeverity[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", v.bySeverity[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// changeCount is the number of changes over all files.
func (v *view) changeCount() int {
	n := 0
	for _, c := range v.res.Counts() {
		n += c
	}
	return n
}

// failedFiles counts the lockfiles that could not be reviewed.
func (v *view) failedFiles() int {
	n := 0
	for _, f := range v.res.Files {
		if f.Err != nil {
			n++
		}
	}
	return n
}

// verdict is the one-sentence outcome every format opens or closes with.
type verdict struct {
	// conclusion is the check conclusion ("failure", "neutral", "success").
	conclusion policy.Conclusion
	// headline is what was found: "2 critical, 1 high", "review incomplete".
	headline string
	// detail is what it means: "fails policy (fail-on: high)".
	detail string
}

func (v *view) verdict() verdict {
	res := v.res
	out := verdict{conclusion: res.Conclusion}
	failOn := v.failOn()
	policyText := ""
	if failOn != "" {
		policyText = " (fail-on: " + failOn + ")"
	}
	all := v.severityList(checks.Info)
	incomplete := "review incomplete"
	if n := v.failedFiles(); n > 0 {
		incomplete = fmt.Sprintf("review incomplete: %s could not be reviewed", plural(n, "lockfile", "lockfiles"))
	}

	switch res.Conclusion {
	case policy.Failure:
		if v.failing() {
			out.headline = all
			out.detail = "fails policy" + policyText
			if res.Incomplete {
				out.detail += "; " + incomplete
			}
			return out
		}
		out.headline = incomplete
		out.detail = "fails: a review that could not complete is never a pass"
		if all != "" {
			out.detail = all + " found so far; " + out.detail
		}
	case policy.Neutral:
		out.headline = incomplete
		out.detail = "not a pass: part of the review could not be done"
		if all != "" {
			out.detail = all + " found so far; " + out.detail
		}
	case policy.Success:
		switch {
		case all == "" && len(v.accepted) == 0 && v.changeCount() == 0 && len(res.Files) > 0:
			out.headline = "no package changes"
			out.detail = "passes policy" + policyText
		case all == "":
			out.headline = "no findings"
			out.detail = "passes policy" + policyText
		case failOn != "" && failOn != "none":
			out.headline = "no findings at or above " + failOn
			out.detail = all + " below the threshold; passes policy" + policyText
		default:
			out.headline = all
			out.detail = "passes policy" + policyText
		}
		if len(v.accepted) > 0 {
			out.detail += fmt.Sprintf("; %s accepted by policy", plural(len(v.accepted), "finding", "findings"))
		}
	default:
		out.headline = "no conclusion"
		if all != "" {
			out.headline = all
		}
		out.detail = "the review did not reach a conclusion"
	}
	return out
}

// failing reports whether an active finding reaches the policy's fail-on.
func (v *view) failing() bool {
	p := v.res.Policy
	if p == nil || p.FailOn == nil {
		return false
	}
	for _, f := range v.active {
		if f.Severity >= *p.FailOn {
			return true
		}
	}
	return false
}

// plural renders "1 lockfile" or "2 lockfiles".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// versionText renders a finding's package version: "1.2.3" or "1.2.2 → 1.2.3".
func versionText(f *checks.Finding) string {
	if f.From != "" && f.From != f.Version {
		return f.From + " → " + f.Version
	}
	return f.Version
}

// location renders "package-lock.json:123", or the path alone without a line.
func location(path string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", path, line)
	}
	return path
}

// changeTags describes how a change is depended on: "direct", "direct (dev)",
// "dev".
func changeTags(c *diff.Change) []string {
	var tags []string
	switch {
	case c.Direct && (c.DirectKind == "" || c.DirectKind == "prod"):
		tags = append(tags, "direct")
	case c.Direct:
		tags = append(tags, "direct ("+c.DirectKind+")")
	}
	if c.Dev && c.DirectKind != "dev" {
		tags = append(tags, "dev")
	}
	if n := len(c.Paths()); n > 1 {
		tags = append(tags, fmt.Sprintf("%d paths", n))
	}
	return tags
}

// linkVersion is the version a change's package link points at.
func linkVersion(c *diff.Change) string {
	if c.Kind == diff.Removed {
		return c.From
	}
	return c.To
}
