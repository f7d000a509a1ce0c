package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/review"
)

// Text writes a compact terminal summary: one aligned line per finding
//
//	HIGH  install-script  es5-ext 0.10.53 → 0.10.61  package-lock.json:1234  message
//
// then the accepted findings with their reasons, policy notes, problems, the
// change counts of each lockfile and the verdict. Untrusted text is cleaned
// of control characters, so a lockfile cannot send escape sequences to the
// terminal. Colours only with WithColor(true).
func Text(w io.Writer, res *review.Result, opts ...Option) error {
	cfg := newConfig(opts)
	v := newView(res)
	bw := bufio.NewWriter(w)
	t := textWriter{w: bw, color: cfg.color}

	t.findings(v, v.active, false)
	if len(v.accepted) > 0 {
		t.line("")
		t.line(fmt.Sprintf("accepted by policy (%d):", len(v.accepted)))
		t.findings(v, v.accepted, true)
	}
	if len(v.res.Notes) > 0 || len(v.res.Problems) > 0 {
		t.line("")
	}
	for _, n := range v.res.Notes {
		where := policy.FileName
		if n.File != "" {
			where = n.File
		}
		if n.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, n.Line)
		}
		t.line(t.paint(ansiYellow, "note: ") + plain(where, limitPath) + ": " + plain(n.Message, limitMessage))
	}
	for _, p := range v.res.Problems {
		t.line(t.paint(ansiRed, "error: ") + strings.ReplaceAll(truncate(cleanBlock(p), limitProblem), "\n", "\n  "))
	}
	if len(v.active)+len(v.accepted) > 0 || len(v.res.Notes) > 0 || len(v.res.Problems) > 0 {
		t.line("")
	}
	for _, f := range v.res.Files {
		if f.Changes == nil {
			t.line(plain(f.Path, limitPath) + ": not reviewed")
			continue
		}
		var parts []string
		for _, k := range kindOrder {
			parts = append(parts, fmt.Sprintf("%d %s", f.Changes.Count(k), kindLabel(k)))
		}
		t.line(plain(f.Path, limitPath) + ": " + strings.Join(parts, ", "))
	}

	vd := v.verdict()
	label, code := "NO CONCLUSION", ansiYellow
	switch vd.conclusion {
	case policy.Failure:
		label, code = "FAIL", ansiRed
	case policy.Neutral:
		label, code = "INCOMPLETE", ansiYellow
	case policy.Success:
		label, code = "PASS", ansiGreen
	}
	t.line(t.paint(code, label) + " lockreview: " + vd.headline + " — " + vd.detail)
	if t.err != nil {
		return fmt.Errorf("write text report: %w", t.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// ANSI SGR colour codes.
const (
	ansiReset   = "\x1b[0m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[35m"
	ansiDim     = "\x1b[2m"
)

var severityColor = map[checks.Severity]string{
	checks.Critical: ansiMagenta,
	checks.High:     ansiRed,
	checks.Medium:   ansiYellow,
	checks.Low:      ansiBlue,
	checks.Info:     ansiDim,
}

type textWriter struct {
	w     io.Writer
	color bool
	err   error
}

func (t *textWriter) line(s string) {
	if t.err == nil {
		_, t.err = io.WriteString(t.w, s+"\n")
	}
}

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

// findings writes one line per finding with the columns aligned. Padding is
// computed on the plain text, so colours do not shift the columns.
func (t *textWriter) findings(v *view, fs []checks.Finding, accepted bool) {
	rows := make([][5]string, len(fs))
	var width [4]int
	for i := range fs {
		f := &fs[i]
		pkg := plain(f.Package, limitName)
		if vt := versionText(f); vt != "" {
			pkg += " " + plain(vt, 2*limitVersion)
		}
		msg := plain(f.Message, limitMessage)
		if accepted {
			msg += " (accepted: " + plain(f.SuppressedBy, limitReason) + ")"
		}
		rows[i] = [5]string{
			strings.ToUpper(f.Severity.String()),
			plain(f.Check, 60),
			pkg,
			plain(v.where(f), limitPath+20),
			msg,
		}
		for c := range width {
			width[c] = max(width[c], utf8.RuneCountInString(rows[i][c]))
		}
	}
	indent := ""
	if accepted {
		indent = "  "
	}
	for i, row := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for c := range width {
			cell := row[c] + strings.Repeat(" ", width[c]-utf8.RuneCountInString(row[c]))
			if c == 0 {
				cell = t.paint(severityColor[fs[i].Severity], cell)
			}
			b.WriteString(cell + "  ")
		}
		b.WriteString(row[4])
		t.line(b.String())
	}
}
