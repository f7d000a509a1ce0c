// Package markdown makes untrusted text (package names, versions, messages
// taken from a lockfile or a registry) safe to show in GitHub Markdown, in a
// terminal and in check-run annotations: it escapes what would format, link,
// notify or inject, makes invisible characters visible, and cuts to a byte
// budget. It is pure and shared by every renderer (pkg/report, pkg/sbom).
package markdown

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Byte limits for a package name and a version in rendered text. npm caps
// names at 214 characters; a lockfile may say anything.
const (
	LimitName    = 300
	LimitVersion = 120
)

// Clean makes untrusted text safe to show on one line: line breaks and tabs
// become spaces, and control and invisible formatting characters (including
// the bidirectional overrides of "Trojan Source" and zero-width characters
// that hide a homoglyph) become a visible [U+XXXX]. Invalid UTF-8 becomes
// U+FFFD. Terminal escape sequences cannot survive it.
func Clean(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || needsClean(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case needsClean(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsClean(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// CleanBlock is Clean for multi-line text (quoted errors): line breaks stay.
func CleanBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

// Truncate cuts s to at most n bytes on a rune boundary, ending in "…" when
// it cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut < 0 {
		cut = 0
	}
	return s[:cut] + ellipsis
}

// Inline escapes untrusted text for inline Markdown (a table cell, a list item or
// link text) and cuts the escaped result to at most limit bytes.
//
// The rules, all from GitHub Flavored Markdown as GitHub renders it:
//   - "|" would end a table cell; line breaks would end the table.
//   - "<", ">" and "&" would open HTML or an entity: they become entities.
//   - ASCII punctuation that starts emphasis, code, links, images,
//     strikethrough or math ("*_`[]()!~$\{}") is backslash-escaped.
//   - "@name" would notify a user or team and "#123" would link (and
//     cross-reference) an issue: a zero-width space after "@" and "#" keeps
//     the text readable but inert, as Renovate does.
//   - "https://…" and "www.…" would become links (GitHub's autolinks): a
//     zero-width space after the ":" or the first "w" keeps a URL taken from
//     a lockfile from being one click away.
func Inline(s string, limit int) string {
	s = Clean(s)
	var b strings.Builder
	for i, r := range s {
		var piece string
		switch r {
		case ':':
			piece = ":"
			if strings.HasPrefix(s[i+1:], "//") {
				piece = ":&#8203;"
			}
		case 'w', 'W':
			piece = string(r)
			if len(s) >= i+4 && strings.EqualFold(s[i:i+4], "www.") && (i == 0 || !isAlnum(s[i-1])) {
				piece += "&#8203;"
			}
		case '&':
			piece = "&amp;"
		case '<':
			piece = "&lt;"
		case '>':
			piece = "&gt;"
		case '@':
			piece = "@&#8203;"
		case '#':
			piece = "#&#8203;"
		case '\\', '`', '*', '_', '[', ']', '(', ')', '!', '~', '|', '$', '{', '}':
			piece = `\` + string(r)
		default:
			piece = string(r)
		}
		if b.Len()+len(piece) > limit-len("…") {
			b.WriteString("…")
			break
		}
		b.WriteString(piece)
	}
	return b.String()
}

// NPMURL links a package version on npmjs.com. Scoped names keep their
// leading "@" and their "/" ("/package/@babel/core/v/7.0.0"); every other
// byte outside the unreserved set is percent-encoded, so the URL cannot leave
// the Markdown link or the npmjs.com path ("." and ".." segments are encoded
// too).
func NPMURL(name, version string) string {
	u := "https://www.npmjs.com/package/" + pathEscape(Truncate(name, LimitName))
	if version != "" {
		u += "/v/" + pathEscape(Truncate(version, LimitVersion))
	}
	return u
}

func pathEscape(s string) string {
	segs := strings.Split(s, "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." {
			segs[i] = strings.ReplaceAll(seg, ".", "%2E")
			continue
		}
		var b strings.Builder
		for j := 0; j < len(seg); j++ {
			c := seg[j]
			switch {
			case isAlnum(c) || strings.IndexByte("-._~", c) >= 0:
				b.WriteByte(c)
			case c == '@' && i == 0 && j == 0: // a scope: "@babel/core"
				b.WriteByte(c)
			default:
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		segs[i] = b.String()
	}
	return strings.Join(segs, "/")
}

// Package renders "name@version" as inline Markdown. The "@" between name and
// version follows a letter or digit in every real package name, where GitHub
// sees no mention; after anything else it gets the same zero-width space as
// any other "@".
func Package(name, version string) string {
	text := Inline(name, LimitName)
	if version != "" {
		sep := "@&#8203;"
		if name != "" && isAlnum(name[len(name)-1]) {
			sep = "@"
		}
		text += sep + Inline(version, LimitVersion)
	}
	return text
}

// PackageLink renders Package linked to the version's page on npmjs.com,
// or "—" for a finding about the lockfile as a whole (no package).
func PackageLink(name, version string) string {
	if name == "" {
		return "—"
	}
	return "[" + Package(name, version) + "](" + NPMURL(name, version) + ")"
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Plain makes untrusted text safe for plain-text surfaces (the terminal,
// check-run annotations) and cuts it to limit bytes.
func Plain(s string, limit int) string { return Truncate(Clean(s), limit) }
