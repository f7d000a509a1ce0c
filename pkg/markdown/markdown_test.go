package markdown

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMd(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "lodash 4.17.21", "lodash 4.17.21"},
		{"pipe", "a|b", `a\|b`},
		{"html", "<img src=x onerror=alert(1)>", `&lt;img src=x onerror=alert\(1\)&gt;`},
		{"entity", "&lt;", "&amp;lt;"},
		{"mention", "@octocat", "@&#8203;octocat"},
		{"team-mention", "@acme/team", "@&#8203;acme/team"},
		{"issue-ref", "see #12", "see #&#8203;12"},
		{"newline", "a\nb\r\nc", "a b  c"},
		{"code", "`x`", "\\`x\\`"},
		{"emphasis", "*a* _b_ ~~c~~", `\*a\* \_b\_ \~\~c\~\~`},
		{"link", "[x](javascript:alert(1))", `\[x\]\(javascript:alert\(1\)\)`},
		{"image", "![x](y)", `\!\[x\]\(y\)`},
		{"math", "$x$", `\$x\$`},
		{"backslash", `a\|b`, `a\\\|b`},
		{"bidi", "abc\u202etxt.exe", `abc\[U+202E\]txt.exe`},
		{"zero-width", "lo\u200bdash", `lo\[U+200B\]dash`},
		{"escape-sequence", "\x1b[31mred", `\[U+001B\]\[31mred`},
		{"invalid-utf8", "a\xffb", "a\uFFFDb"},
		// GitHub's autolinks: a URL from a lockfile must not be one click away.
		{"url", "from https://evil.example/x.tgz", "from https:&#8203;//evil.example/x.tgz"},
		{"git-url", "git+ssh://git@github.com/o/r.git", "git+ssh:&#8203;//git@&#8203;github.com/o/r.git"},
		{"www", "see www.evil.example and WWW.x.io", "see w&#8203;ww.evil.example and W&#8203;WW.x.io"},
		{"not-www", "awww.x 2:30 a:b", "awww.x 2:30 a:b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Inline(tc.in, 1000)); d != "" {
				t.Errorf("Inline(%q) diff (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

func TestMdLimit(t *testing.T) {
	for _, in := range []string{strings.Repeat("a", 5000), strings.Repeat("@", 5000), strings.Repeat("é|", 3000)} {
		got := Inline(in, 300)
		if len(got) > 300 {
			t.Errorf("Inline(%.10q…, 300) is %d bytes", in, len(got))
		}
		if !strings.HasSuffix(got, "…") {
			t.Errorf("Inline(%.10q…, 300) does not end in …", in)
		}
	}
	if got := Inline("short", 300); got != "short" {
		t.Errorf("Inline(short) = %q", got)
	}
}

func TestNpmURL(t *testing.T) {
	for _, tc := range []struct {
		name, pkg, version, want string
	}{
		{"plain", "lodash", "4.17.21", "https://www.npmjs.com/package/lodash/v/4.17.21"},
		{"scoped", "@babel/core", "7.22.8", "https://www.npmjs.com/package/@babel/core/v/7.22.8"},
		{"no-version", "lodash", "", "https://www.npmjs.com/package/lodash"},
		{"prerelease", "x", "1.0.0-rc.1+build.5", "https://www.npmjs.com/package/x/v/1.0.0-rc.1%2Bbuild.5"},
		{"dot-segments", "../../evil", "1", "https://www.npmjs.com/package/%2E%2E/%2E%2E/evil/v/1"},
		{"breakout", "a) [x](y", "1 \"2\"", "https://www.npmjs.com/package/a%29%20%5Bx%5D%28y/v/1%20%222%22"},
		{"inner-at", "a@b", "1@2", "https://www.npmjs.com/package/a%40b/v/1%402"},
		{"newline", "a\nb", "1", "https://www.npmjs.com/package/a%0Ab/v/1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, NPMURL(tc.pkg, tc.version)); d != "" {
				t.Errorf("NPMURL(%q, %q) diff (-want +got):\n%s", tc.pkg, tc.version, d)
			}
		})
	}
}

func TestMdPackageLink(t *testing.T) {
	for _, tc := range []struct {
		name, pkg, version, want string
	}{
		{"plain", "ms", "2.1.3", "[ms@2.1.3](https://www.npmjs.com/package/ms/v/2.1.3)"},
		{"scoped", "@types/node", "20.0.0", "[@&#8203;types/node@20.0.0](https://www.npmjs.com/package/@types/node/v/20.0.0)"},
		// After a non-word character the "@" could start a mention.
		{"mention-after-separator", "x-", "octocat", "[x-@&#8203;octocat](https://www.npmjs.com/package/x-/v/octocat)"},
		// A finding about the whole lockfile names no package: no link.
		{"empty-name", "", "1", "—"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, PackageLink(tc.pkg, tc.version)); d != "" {
				t.Errorf("PackageLink(%q, %q) diff (-want +got):\n%s", tc.pkg, tc.version, d)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		limit          int
	}{
		{"markdown-kept", "a|b *c*", "a|b *c*", 100},
		{"terminal-escape", "\x1b]8;;http://e\x07x", "[U+001B]]8;;http://e[U+0007]x", 100},
		{"newline", "a\nb", "a b", 100},
		{"cut", "abcdef", "ab…", 5},
		{"cut-rune", "ééé", "é…", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Plain(tc.in, tc.limit)); d != "" {
				t.Errorf("Plain(%q, %d) diff (-want +got):\n%s", tc.in, tc.limit, d)
			}
		})
	}
}
