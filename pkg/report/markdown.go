package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/policy"
	"github.com/lockreview/lockreview/pkg/review"
)

// Marker is the hidden first line of every lockreview comment. The webhook
// finds its own comment on a pull request by it and edits that comment
// instead of adding another. Untrusted text can never produce it: "<" is
// always escaped.
const Marker = "<!-- lockreview:comment -->"

// MaxCommentSize is GitHub's limit on an issue or pull request comment body
// (65,536 characters). Markdown never returns more bytes than this, and a
// byte count is never below the character count.
const MaxCommentSize = 65536

// MaxCheckTextSize is GitHub's limit on each of a check run's output summary
// and text (65,535 characters).
const MaxCheckTextSize = 65535

// Markdown renders the pull request comment: the Marker, the verdict, any
// input problems, change counts per lockfile, the findings table (highest
// severity first), the findings accepted by policy, policy notes, what to do
// about each kind of finding, and collapsible lists of the added, updated,
// removed and re-sourced packages of each lockfile, linked to npmjs.com.
//
// The result never exceeds MaxCommentSize bytes (or WithMaxSize). When the
// full comment is larger, the package lists are cut first ("… and N more"),
// then the accepted findings, and only then the findings table ("… and N
// more findings (see the check run / JSON report)").
func Markdown(res *review.Result, opts ...Option) string {
	cfg := newConfig(opts)
	r := &mdRenderer{v: newView(res), cfg: cfg}
	r.sections = mdComment
	return r.fit(cfg.maxSize)
}

// mdSection selects the parts of the Markdown document to render, so the
// comment and the check run share one renderer.
type mdSection uint

const (
	mdMarker mdSection = 1 << iota
	mdVerdict
	mdProblems
	mdCounts
	mdFindings
	mdAccepted
	mdNotes
	mdRemedies
	mdLists
	mdSBOM
	mdFooter

	mdComment      = mdMarker | mdVerdict | mdProblems | mdCounts | mdFindings | mdAccepted | mdNotes | mdRemedies | mdLists | mdSBOM | mdFooter
	mdCheckSummary = mdProblems | mdCounts | mdFindings | mdAccepted | mdNotes | mdRemedies
	mdCheckText    = mdLists | mdSBOM
)

// unlimited is a limit that cuts nothing.
const unlimited = -1

// mdLimits says how much of each list to render; unlimited renders all.
type mdLimits struct {
	// findings and accepted cap the rows of the two findings tables.
	findings, accepted int
	// list caps each package list (one kind in one lockfile); listsOff drops
	// the package lists altogether.
	list     int
	listsOff bool
}

type mdRenderer struct {
	v        *view
	cfg      config
	sections mdSection
}

// fit renders the document within max bytes, cutting lists in priority
// order. Each cut is the largest that fits, found by bisection: output size
// grows with every row rendered.
func (r *mdRenderer) fit(limit int) string {
	// Every rendered row (a finding, a listed package) takes more than
	// minRow bytes, so no more than limit/minRow of them can fit: rendering
	// more would only cost memory (a hostile 80,000-entry lockfile took
	// 1.6 GB). A document that fits unlimited has fewer rows than that, so
	// the cap never changes what fits.
	const minRow = 8
	most := limit/minRow + 1
	l := mdLimits{findings: unlimited, accepted: unlimited, list: unlimited}
	rows := len(r.v.active) + len(r.v.accepted)
	longest := 0
	for _, f := range r.v.res.Files {
		if f.Changes != nil {
			rows += len(f.Changes.List)
			for _, k := range kindOrder {
				longest = max(longest, f.Changes.Count(k))
			}
		}
	}
	if rows < most {
		if out := r.render(l); len(out) <= limit {
			return out
		}
	}
	fits := func(l mdLimits) bool { return len(r.render(l)) <= limit }
	l.findings, l.accepted = min(len(r.v.active), most), min(len(r.v.accepted), most)

	if n, ok := largest(min(longest, most), func(n int) bool { l.list = n; return fits(l) }); ok {
		l.list = n
		return r.render(l)
	}
	l.list, l.listsOff = 0, true
	if fits(l) {
		return r.render(l)
	}
	if n, ok := largest(min(len(r.v.accepted), most), func(n int) bool { l.accepted = n; return fits(l) }); ok {
		l.accepted = n
		return r.render(l)
	}
	l.accepted = 0
	if n, ok := largest(min(len(r.v.active), most), func(n int) bool { l.findings = n; return fits(l) }); ok {
		l.findings = n
		return r.render(l)
	}
	l.findings = 0
	// Only the fixed parts are left and they are still too large (thousands
	// of lockfiles or problems): cut the text itself.
	return hardCut(r.render(l), limit)
}

// largest returns the largest n in [0, hi] for which fits(n) holds, assuming
// fits is monotone (true up to some n, false after); ok is false when even 0
// does not fit.
func largest(hi int, fits func(int) bool) (int, bool) {
	if !fits(0) {
		return 0, false
	}
	lo := 0 // fits(lo) holds
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, true
}

// hardCut cuts s to max bytes on a rune boundary and says so.
func hardCut(s string, limit int) string {
	const notice = "\n\n… (cut to fit GitHub's size limit; see the check run / JSON report)\n"
	if len(s) <= limit {
		return s
	}
	cut := limit - len(notice)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:max(cut, 0)] + notice
}

func (r *mdRenderer) has(s mdSection) bool { return r.sections&s != 0 }

func (r *mdRenderer) render(l mdLimits) string {
	var b strings.Builder
	v := r.v
	if r.has(mdMarker) {
		b.WriteString(Marker + "\n")
	}
	if r.has(mdVerdict) {
		b.WriteString(r.verdictLine() + "\n\n")
	}
	if r.has(mdProblems) {
		r.problems(&b)
	}
	if r.has(mdCounts) {
		r.counts(&b)
	}
	if r.has(mdFindings) && len(v.active) > 0 {
		b.WriteString("### Findings\n\n")
		r.findingsTable(&b, v.active, l.findings, false)
		b.WriteString("\n")
	}
	if r.has(mdAccepted) && len(v.accepted) > 0 {
		fmt.Fprintf(&b, "### Accepted by policy (%d)\n\n", len(v.accepted))
		b.WriteString("These findings match an `ignore` entry of the policy and do not affect the result.\n\n")
		r.findingsTable(&b, v.accepted, l.accepted, true)
		b.WriteString("\n")
	}
	if r.has(mdNotes) && len(v.res.Notes) > 0 {
		r.notes(&b)
	}
	if r.has(mdRemedies) {
		r.remedies(&b, l)
	}
	if r.has(mdLists) {
		r.lists(&b, l)
	}
	if r.has(mdSBOM) {
		r.sbomDeltas(&b, l)
	}
	if r.has(mdFooter) {
		fmt.Fprintf(&b, "<sub>lockreview %s · reviews npm lockfile changes for supply-chain risks</sub>\n", md(r.cfg.version, limitVersion))
	}
	return b.String()
}

// verdictLine is the comment's headline:
// "❌ **lockreview: 2 critical, 1 high** — fails policy (fail-on: high)".
func (r *mdRenderer) verdictLine() string {
	vd := r.v.verdict()
	icon := "❔"
	switch vd.conclusion {
	case policy.Failure:
		icon = "❌"
	case policy.Neutral:
		icon = "⚠️"
	case policy.Success:
		icon = "✅"
	}
	return fmt.Sprintf("%s **lockreview: %s** — %s", icon, vd.headline, vd.detail)
}

func (r *mdRenderer) problems(b *strings.Builder) {
	res := r.v.res
	if len(res.Problems) == 0 {
		if res.Incomplete {
			b.WriteString("> [!WARNING]\n> **Review incomplete:** part of the review could not be done, so this result is not a pass.\n\n")
		}
		return
	}
	b.WriteString("> [!WARNING]\n> **Review incomplete:** ")
	b.WriteString(plural(len(res.Problems), "problem", "problems"))
	b.WriteString(" kept part of the review from being done. A lockfile lockreview cannot read is one npm may read differently, so it is never waved through.\n>\n")
	for _, p := range res.Problems {
		// The error quotes the lockfile (a key, a value): escape it like any
		// other untrusted text rather than trust a code block to contain it.
		b.WriteString("> - " + md(p, limitProblem) + "\n")
	}
	b.WriteString("\n")
}

func (r *mdRenderer) counts(b *strings.Builder) {
	files := r.v.res.Files
	if len(files) == 0 {
		b.WriteString("No lockfile changed.\n\n")
		return
	}
	b.WriteString("| Lockfile | Added | Updated | Removed | Re-resolved | Integrity changed |\n")
	b.WriteString("|:--|--:|--:|--:|--:|--:|\n")
	for _, f := range files {
		b.WriteString("| " + md(f.Path, limitPath) + " |")
		if f.Changes == nil {
			b.WriteString(" not reviewed | | | | |\n")
			continue
		}
		for _, k := range kindOrder {
			fmt.Fprintf(b, " %d |", f.Changes.Count(k))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

var severityIcon = map[checks.Severity]string{
	checks.Critical: "🔴",
	checks.High:     "🟠",
	checks.Medium:   "🟡",
	checks.Low:      "🔵",
	checks.Info:     "⚪",
}

// findingsTable renders at most limit findings (unlimited: all) as a table;
// accepted tables show the policy's reason instead of the remediation.
func (r *mdRenderer) findingsTable(b *strings.Builder, fs []checks.Finding, limit int, accepted bool) {
	n := len(fs)
	if limit != unlimited && limit < n {
		n = limit
	}
	if n > 0 {
		last := "Finding"
		if accepted {
			last = "Finding · accepted because"
		}
		b.WriteString("| Severity | Check | Package | Location | " + last + " |\n")
		b.WriteString("|:--|:--|:--|:--|:--|\n")
	}
	for i := range fs[:n] {
		f := &fs[i]
		pkg := mdPackageLink(f.Package, f.Version)
		if f.From != "" && f.From != f.Version {
			pkg += " (" + md(f.From, limitVersion) + " → " + md(f.Version, limitVersion) + ")"
		}
		msg := md(f.Message, limitMessage)
		if f.Target != "" && !strings.Contains(f.Message, f.Target) {
			msg += " (resembles " + mdPackageLink(f.Target, "") + ")"
		}
		if accepted {
			msg += " · _" + md(f.SuppressedBy, limitReason) + "_"
		}
		fmt.Fprintf(b, "| %s %s | `%s` | %s | %s | %s |\n",
			severityIcon[f.Severity], f.Severity, md(f.Check, 60), pkg, md(r.v.where(f), limitPath+20), msg)
	}
	if rest := len(fs) - n; rest > 0 {
		what := "findings"
		if accepted {
			what = "accepted findings"
		}
		fmt.Fprintf(b, "\n… and %d more %s (see the check run / JSON report)\n", rest, what)
	}
}

func (r *mdRenderer) notes(b *strings.Builder) {
	b.WriteString("### Policy notes\n\n")
	for _, n := range r.v.res.Notes {
		where := policy.FileName
		if n.File != "" {
			where = n.File
		}
		if n.Line > 0 {
			where = fmt.Sprintf("%s line %d", where, n.Line)
		}
		fmt.Fprintf(b, "- %s: %s\n", md(where, limitPath), md(n.Message, limitMessage))
	}
	b.WriteString("\n")
}

// remedies lists what to do about each check that fired, once per distinct
// remediation, in findings order.
func (r *mdRenderer) remedies(b *strings.Builder, l mdLimits) {
	type key struct{ check, remediation string }
	seen := map[key]bool{}
	var items []string
	add := func(fs []checks.Finding, limit int) {
		if limit != unlimited && limit < len(fs) {
			fs = fs[:limit]
		}
		for _, f := range fs {
			k := key{f.Check, f.Remediation}
			if f.Remediation == "" || seen[k] {
				continue
			}
			seen[k] = true
			items = append(items, fmt.Sprintf("- `%s`: %s\n", md(f.Check, 60), md(f.Remediation, limitRemediation)))
		}
	}
	add(r.v.active, l.findings)
	if len(items) == 0 {
		return
	}
	b.WriteString("<details><summary>What to do</summary>\n\n")
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteString("\n</details>\n\n")
}

// lists renders the package lists of every lockfile, one collapsible section
// per change kind.
func (r *mdRenderer) lists(b *strings.Builder, l mdLimits) {
	if l.listsOff {
		if r.v.changeCount() > 0 {
			b.WriteString("_Package lists left out to fit GitHub's comment size limit; see the JSON report._\n\n")
		}
		return
	}
	for _, f := range r.v.res.Files {
		if f.Changes == nil {
			continue
		}
		for _, k := range kindOrder {
			total := f.Changes.Count(k)
			if total == 0 {
				continue
			}
			fmt.Fprintf(b, "<details><summary>%s: %d %s</summary>\n\n", htmlText(truncate(clean(f.Path), limitPath)), total, kindLabel(k))
			shown := 0
			for i := range f.Changes.List {
				c := &f.Changes.List[i]
				if c.Kind != k {
					continue
				}
				if l.list != unlimited && shown >= l.list {
					break
				}
				shown++
				b.WriteString(listItem(c))
			}
			if rest := total - shown; rest > 0 {
				fmt.Fprintf(b, "- … and %d more\n", rest)
			}
			b.WriteString("\n</details>\n\n")
		}
	}
}

// sbomLimit bounds each lockfile's SBOM delta section once the package lists
// are being cut; sbomSummaryOnly leaves just its count line.
const (
	sbomLimit       = 4000
	sbomSummaryOnly = 400
)

// sbomDeltas renders each lockfile's CycloneDX SBOM delta, collapsed. It is
// cut along with the package lists, whose information it repeats in SBOM
// terms (purls, hashes, licenses, scopes, direct edges).
func (r *mdRenderer) sbomDeltas(b *strings.Builder, l mdLimits) {
	limit := 0
	switch {
	case l.listsOff:
		limit = sbomSummaryOnly
	case l.list != unlimited:
		limit = sbomLimit
	}
	for _, f := range r.v.res.Files {
		if f.SBOM == nil || f.SBOM.Empty() {
			continue
		}
		fmt.Fprintf(b, "<details><summary>%s: SBOM delta (CycloneDX)</summary>\n\n", htmlText(truncate(clean(f.Path), limitPath)))
		b.WriteString(f.SBOM.Markdown(limit))
		b.WriteString("\n\n</details>\n\n")
	}
}

// listItem renders one change: "- [lodash@4.17.21](…) 4.17.20 → 4.17.21 (patch) · _direct_".
func listItem(c *diff.Change) string {
	var s string
	switch c.Kind {
	case diff.Updated:
		s = "- " + mdPackageLink(c.Name, c.To) + " " + md(c.From, limitVersion) + " → " + md(c.To, limitVersion)
		if c.Update != diff.NotUpdate {
			s += " (" + c.Update.String() + ")"
		}
	default:
		s = "- " + mdPackageLink(c.Name, linkVersion(c))
	}
	if tags := changeTags(c); len(tags) > 0 {
		s += " · _" + strings.Join(tags, ", ") + "_"
	}
	return s + "\n"
}

// htmlText escapes text for an HTML element such as <summary>, where
// Markdown is not interpreted.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "@", "@&#8203;", "#", "#&#8203;").Replace(s)
}
