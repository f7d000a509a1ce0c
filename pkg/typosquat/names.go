package typosquat

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// validName reports whether n, already lowercased, is spelled like an npm
// package name: an optional "@scope/" and then characters that npm accepts
// ("URL-safe": a-z, 0-9, "-", ".", "_", "~").
func validName(n string) bool {
	if n == "" || len(n) > maxNameLen {
		return false
	}
	scope, name := splitScope(n)
	if strings.HasPrefix(n, "@") && scope == "" {
		return false
	}
	return validPart(scope, scope != "" || strings.HasPrefix(n, "@")) && validPart(name, true)
}

func validPart(s string, required bool) bool {
	if s == "" {
		return !required
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// splitScope splits "@scope/name" into "scope" and "name"; an unscoped name has
// an empty scope.
func splitScope(n string) (scope, name string) {
	if strings.HasPrefix(n, "@") {
		if i := strings.IndexByte(n, '/'); i > 1 && i < len(n)-1 {
			return n[1:i], n[i+1:]
		}
		return "", n
	}
	return "", n
}

func isDelim(c byte) bool { return c == '-' || c == '_' || c == '.' }

// delimSkeleton removes the separators "-", "_" and ".".
func delimSkeleton(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if !isDelim(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// glyphSkeleton maps characters that render alike to one representative and
// removes separators, so that "1odash", "Iodash" and "lo-dash" share lodash's
// skeleton. The digit 1, an upper-case I and "|" stand for one (the argument,
// 'l' or 'i'); a lower-case i and l stay apart ("uri" is not "url"). The
// input may be mixed-case or contain non-ASCII look-alikes.
func glyphSkeleton(s string, one byte) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, ok := foldRune(r)
		if !ok {
			continue
		}
		switch c {
		case '-', '_', '.':
			continue
		case 'I', '1', '|':
			c = one
		case 'O', '0':
			c = 'o'
		default:
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
		}
		switch {
		case c == 'n' && len(b) > 0 && b[len(b)-1] == 'r':
			b[len(b)-1] = 'm'
		case c == 'v' && len(b) > 0 && b[len(b)-1] == 'v':
			b[len(b)-1] = 'w'
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// hasOne reports whether s holds a character that glyphSkeleton maps to its
// argument.
func hasOne(s string) bool { return strings.ContainsAny(s, "1I|") }

// foldRune maps a rune to the ASCII character it looks like. Combining marks
// fold to nothing (ok=false); runes with no look-alike fold to '?'.
func foldRune(r rune) (byte, bool) {
	if r < utf8.RuneSelf {
		return byte(r), true
	}
	if r >= 0x0300 && r <= 0x036f { // combining diacritical marks
		return 0, false
	}
	switch r {
	case 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e: // invisible: zero-width, soft hyphen
		return 0, false
	}
	if r >= 0xff01 && r <= 0xff5e { // full-width ASCII
		return byte(r - 0xff01 + 0x21), true
	}
	if c, ok := confusables[r]; ok {
		return c, true
	}
	return '?', true
}

// confusables are the non-ASCII letters most often used to imitate ASCII ones
// (a small subset of Unicode's confusables.txt).
var confusables = map[rune]byte{
	// Cyrillic
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's',
	'і': 'i', 'ј': 'j', 'һ': 'h', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ո': 'n',
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p',
	'С': 'c', 'Т': 't', 'Х': 'x', 'І': 'i', 'Ј': 'j', 'Ѕ': 's',
	// Greek
	'α': 'a', 'ο': 'o', 'ν': 'v', 'ρ': 'p', 'ι': 'i', 'κ': 'k', 'υ': 'u', 'χ': 'x',
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm',
	'Ν': 'n', 'Ο': 'o', 'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
	// Latin look-alikes
	'ı': 'i', 'ɡ': 'g', 'ɑ': 'a', 'ℓ': 'l', 'ⅼ': 'l', 'ǀ': 'l',
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'å': 'a', 'ã': 'a',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ç': 'c', 'ñ': 'n', 'ý': 'y', 'ÿ': 'y', 'ś': 's', 'ş': 's', 'ž': 'z', 'ź': 'z', 'ż': 'z',
}

// foldASCII returns s with look-alike runes replaced by the ASCII letters they
// imitate, lowercased; ok is false when some rune has no look-alike.
func foldASCII(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, keep := foldRune(r)
		if !keep {
			continue
		}
		if c == '?' && r != '?' {
			return "", false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b), true
}

// words splits a name on its separators.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
}

// sortedWords is the order-independent key of a name's words.
func sortedWords(w []string) string {
	w = slices.Clone(w)
	slices.Sort(w)
	return strings.Join(w, "-")
}

// singularSkeleton is the delimiter skeleton of a name whose words are all put
// in the singular.
func singularSkeleton(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, w := range words(s) {
		b.WriteString(singular(w))
	}
	return b.String()
}

// singular undoes the regular English plural endings of a word.
func singular(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}
