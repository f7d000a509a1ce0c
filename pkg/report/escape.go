package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Byte limits for untrusted fields. npm caps names at 214 characters; a
// lockfile may say anything, so every field is cut before it can crowd the
// findings out of a size-limited comment.
const (
	limitName        = 300
	limitVersion     = 120
	limitPath        = 300
	limitMessage     = 1500
	limitRemediation = 800
	limitReason      = 500
	limitProblem     = 2000
)

// clean makes untrusted text safe to show on one line: line breaks and tabs
// become spaces, and control and invisible formatting characters (including
// the bidirectional overrides of "Trojan Source" and zero-width characters
// that hide a homoglyph) become a visible [U+XXXX]. Invalid UTF-8 becomes
// U+FFFD. Terminal escape sequences cannot survive it.
func clean(s string) string {
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

// cleanBlock is clean for multi-line text (quoted errors): line breaks stay.
func cleanBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = clean(l)
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s to at most n bytes on a rune boundary, ending in "…" when
// it cut.
func truncate(s string, n int) string {
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

// md escapes untrusted text for inline Markdown (a table cell, a list item or
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
func md(s string, limit int) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		var piece string
		switch r {
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

// npmURL links a package version on npmjs.com. Scoped names keep their
// leading "@" and their "/" ("/package/@babel/core/v/7.0.0"); every other
// byte outside the unreserved set is percent-encoded, so the URL cannot leave
// the Markdown link or the npmjs.com path ("." and ".." segments are encoded
// too).
func npmURL(name, version string) string {
	u := "https://www.npmjs.com/package/" + pathEscape(truncate(name, limitName))
	if version != "" {
		u += "/v/" + pathEscape(truncate(version, limitVersion))
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

// mdPackageLink renders a linked "name@version" for the comment. The "@"
// between name and version follows a letter or digit in every real package
// name, where GitHub sees no mention; after anything else it gets the same
// zero-width space as any other "@".
func mdPackageLink(name, version string) string {
	text := md(name, limitName)
	if version != "" {
		sep := "@&#8203;"
		if name != "" && isAlnum(name[len(name)-1]) {
			sep = "@"
		}
		text += sep + md(version, limitVersion)
	}
	return "[" + text + "](" + npmURL(name, version) + ")"
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// plain makes untrusted text safe for plain-text surfaces (the terminal,
// check-run annotations) and cuts it to limit bytes.
func plain(s string, limit int) string { return truncate(clean(s), limit) }
