package sbom_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockreview/lockreview/pkg/sbom"
)

func manyAdded(n int) *sbom.BOMDelta {
	d := sbom.Delta(nil, nil)
	for i := range n {
		name := fmt.Sprintf("pkg-%03d", i)
		d.Added = append(d.Added, sbom.ComponentRef{PURL: sbom.PURL(name, "1.0.0"), Name: name, Version: "1.0.0"})
	}
	return d
}

func TestMarkdownTruncates(t *testing.T) {
	d := manyAdded(100)
	full := d.Markdown(0)
	if strings.Count(full, "\n- added ") != 100 || strings.Contains(full, "more") {
		t.Fatalf("unlimited Markdown does not list all 100:\n%s", full)
	}
	for _, max := range []int{60, 61, 100, 150, 300, 1000, len(full) - 1, len(full)} {
		t.Run(fmt.Sprint(max), func(t *testing.T) {
			got := d.Markdown(max)
			if len(got) > max {
				t.Errorf("Markdown(%d) is %d bytes", max, len(got))
			}
			if !utf8.ValidString(got) {
				t.Errorf("Markdown(%d) is not valid UTF-8", max)
			}
			listed := strings.Count(got, "\n- added ")
			if max == len(full) {
				if got != full {
					t.Errorf("Markdown(len(full)) != Markdown(0)")
				}
				return
			}
			if listed == 100 {
				t.Errorf("Markdown(%d) listed everything in less room than it needs", max)
			}
			if strings.HasPrefix(got, "**SBOM delta (CycloneDX):** 100 added") && strings.Contains(got, "\n") {
				if want := fmt.Sprintf("- …and %d more", 100-listed); !strings.HasSuffix(got, want) {
					t.Errorf("Markdown(%d) ends %q, want %q", max, got[strings.LastIndexByte(got, '\n')+1:], want)
				}
			}
		})
	}
}

func TestMarkdownEmpty(t *testing.T) {
	if got, want := sbom.Delta(nil, nil).Markdown(500), "**SBOM delta (CycloneDX):** no component changes."; got != want {
		t.Errorf("Markdown = %q, want %q", got, want)
	}
	var nilDelta *sbom.BOMDelta
	if got := nilDelta.Markdown(0); !strings.Contains(got, "no component changes") {
		t.Errorf("nil Markdown = %q", got)
	}
}

// TestMarkdownEscapes: names, versions and licenses come from the lockfile.
func TestMarkdownEscapes(t *testing.T) {
	d := sbom.Delta(nil, nil)
	d.Added = []sbom.ComponentRef{
		{Name: "evil|<img src=x onerror=alert(1)>", Version: "1.0.0"},
		{Name: "`code` **bold** [link](https://x)", Version: "1"},
		{Name: "ping @octocat and #1", Version: "@2"},
		{Name: "@scope/pkg", Version: "1.0.0"},
		{Name: "line\nbreak\u202etrojan", Version: "1"},
	}
	d.Changed = []sbom.ComponentChange{{Name: "x", Version: "1", Fields: sbom.Fields{
		License: &sbom.FieldChange{Before: []string{"MIT"}, After: []string{"<b>GPL</b> | @team"}}}}}
	got := d.Markdown(0)
	for _, bad := range []string{"<img", "|<", "`code`", "**bold**", "[link](", "@octocat", "#1", "<b>", "@team", "\u202e", "\nbreak"} {
		if strings.Contains(got, bad) {
			t.Errorf("Markdown contains %q unescaped:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		// "@" after a name that does not end in a letter or digit is inert too.
		`evil\|&lt;img src=x onerror=alert\(1\)&gt;@&#8203;1.0.0`,
		"\\`code\\` \\*\\*bold\\*\\* \\[link\\]\\(https:&#8203;//x\\)@&#8203;1",
		`ping @&#8203;octocat and #&#8203;1@@&#8203;2`,
		`@&#8203;scope/pkg@1.0.0`,
		`line break\[U+202E\]trojan@1`,
		`license MIT → &lt;b&gt;GPL&lt;/b&gt; \| @&#8203;team`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, got)
		}
	}
}
