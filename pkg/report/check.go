package report

import (
	"fmt"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/review"
)

// Check is the output of the lockreview check run, in the shape of GitHub's
// check run "output" plus its conclusion. It holds no GitHub types: the
// webhook maps it onto the API.
type Check struct {
	// Title is the one-line verdict ("2 critical, 1 high — fails policy
	// (fail-on: high)"), plain text.
	Title string
	// Summary is Markdown: problems, change counts, findings, accepted
	// findings, policy notes and remediations. At most MaxCheckTextSize bytes.
	Summary string
	// Text is Markdown: the package lists of every lockfile. At most
	// MaxCheckTextSize bytes.
	Text string
	// Conclusion is the check run conclusion: "success", "neutral" or
	// "failure".
	Conclusion string
	// Annotations point at the head lockfile line of every unsuppressed
	// finding that has one (not removals: their line is in the base), in
	// findings order. GitHub accepts at most 50 per request:
	// the caller sends them in batches.
	Annotations []Annotation
}

// Annotation is one check run annotation. Its strings are plain text,
// cleaned of control characters and cut to GitHub's limits.
type Annotation struct {
	// Path is the lockfile path in the repository.
	Path string
	// StartLine and EndLine are the 1-based line of the finding's entry.
	StartLine, EndLine int
	// Level is "failure" (critical, high), "warning" (medium) or "notice"
	// (low, info).
	Level string
	// Title says which check fired on which package ("high: install-script
	// es5-ext@0.10.61"), at most 255 bytes.
	Title string
	// Message is the finding's message and remediation.
	Message string
}

// Annotation limits of the GitHub checks API.
const (
	maxAnnotationTitle   = 255
	maxAnnotationMessage = 64 * 1024
)

// CheckOutput renders the check run for a review. Summary and Text are cut
// like Markdown's comment (lists first, findings last) to stay within
// MaxCheckTextSize each.
func CheckOutput(res *review.Result, opts ...Option) Check {
	cfg := newConfig(opts)
	v := newView(res)
	vd := v.verdict()
	out := Check{
		Title:      plain(vd.headline+" — "+vd.detail, maxAnnotationTitle),
		Conclusion: string(vd.conclusion),
	}
	summary := &mdRenderer{v: v, cfg: cfg, sections: mdCheckSummary}
	out.Summary = summary.fit(MaxCheckTextSize)
	text := &mdRenderer{v: v, cfg: cfg, sections: mdCheckText}
	out.Text = text.fit(MaxCheckTextSize)

	for i := range v.active {
		f := &v.active[i]
		line := v.headLine(f)
		if line <= 0 {
			continue
		}
		msg := f.Message
		if f.Remediation != "" {
			msg += "\n\n" + f.Remediation
		}
		pkg := f.Package
		if f.Version != "" {
			pkg += "@" + f.Version
		}
		out.Annotations = append(out.Annotations, Annotation{
			Path:      f.Lockfile,
			StartLine: line,
			EndLine:   line,
			Level:     annotationLevel(f.Severity),
			Title:     plain(fmt.Sprintf("%s: %s %s", f.Severity, f.Check, pkg), maxAnnotationTitle),
			Message:   truncate(cleanBlock(msg), maxAnnotationMessage),
		})
	}
	return out
}

func annotationLevel(s checks.Severity) string {
	switch {
	case s >= checks.High:
		return "failure"
	case s == checks.Medium:
		return "warning"
	}
	return "notice"
}
