package sbom

import (
	"fmt"
	"strings"
)

// Markdown renders the delta as a compact section of the review comment: a
// bold summary line with the counts, then one list item per update,
// addition, change and removal (in that order), cut with "…and N more"
// so that the whole text is at most limit bytes (limit <= 0: no limit). It has
// no heading; the caller places it. Every package name, version and license
// comes from the lockfile and is escaped for GitHub Markdown.
func (d *BOMDelta) Markdown(limit int) string {
	if d == nil {
		d = &BOMDelta{}
	}
	head := d.summary()
	if limit > 0 && len(head) > limit {
		return truncate(head, limit)
	}
	lines := d.items()
	if len(lines) == 0 {
		return head
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("\n")
	// Unless everything left fits, every line kept must leave room for the
	// "and N more" line that would follow it.
	rest := 0
	for _, l := range lines {
		rest += len(l)
	}
	reserve := len(more(len(lines)))
	if limit > 0 {
		limit++ // the last line's "\n" is cut below
	}
	for i, line := range lines {
		if limit <= 0 || b.Len()+rest <= limit {
			b.WriteString(line)
			rest -= len(line)
			continue
		}
		if b.Len()+len(line)+reserve > limit {
			if m := more(len(lines) - i); b.Len()+len(m) <= limit {
				b.WriteString(m)
			}
			break
		}
		b.WriteString(line)
		rest -= len(line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func more(n int) string {
	return fmt.Sprintf("- …and %d more\n", n)
}

// summary is the first line: "**SBOM delta (CycloneDX):** 1 added, …".
func (d *BOMDelta) summary() string {
	const label = "**SBOM delta (CycloneDX):** "
	if d.Empty() {
		return label + "no component changes."
	}
	s := fmt.Sprintf("%s%d added, %d removed, %d updated, %d changed", label,
		len(d.Added), len(d.Removed), len(d.Updated), len(d.Changed))
	if n, m := len(d.EdgesAdded), len(d.EdgesRemoved); n+m > 0 {
		s += fmt.Sprintf("; direct dependency edges +%d −%d", n, m)
	}
	return s + "."
}

func (d *BOMDelta) items() []string {
	var out []string
	for _, u := range d.Updated {
		line := fmt.Sprintf("- updated %s %s → %s", md(u.Name, limitName), md(u.From, limitVersion), md(u.To, limitVersion))
		if u.Fields != nil {
			line += " (" + fieldsText(*u.Fields) + ")"
		}
		out = append(out, line+"\n")
	}
	for _, c := range d.Added {
		out = append(out, "- added "+mdPackage(c.Name, c.Version)+"\n")
	}
	for _, c := range d.Changed {
		out = append(out, "- changed "+mdPackage(c.Name, c.Version)+": "+fieldsText(c.Fields)+"\n")
	}
	for _, c := range d.Removed {
		out = append(out, "- removed "+mdPackage(c.Name, c.Version)+"\n")
	}
	return out
}

// fieldsText lists changed fields: license and scope with their values,
// hashes and distribution by name (their values do not fit a comment).
func fieldsText(f Fields) string {
	var parts []string
	if f.Hashes != nil {
		parts = append(parts, "hashes")
	}
	if f.License != nil {
		parts = append(parts, "license "+valueText(f.License.Before, limitLicense)+" → "+valueText(f.License.After, limitLicense))
	}
	if f.Distribution != nil {
		parts = append(parts, "distribution")
	}
	if f.Scope != nil {
		parts = append(parts, "scope "+valueText(f.Scope.Before, 20)+" → "+valueText(f.Scope.After, 20))
	}
	return strings.Join(parts, ", ")
}

func valueText(vs []string, limit int) string {
	if len(vs) == 0 {
		return "none"
	}
	return md(strings.Join(vs, " "), limit)
}
