// Package policy reads a repository's .github/lockreview.yml (always from the
// base branch: a pull request can never loosen the policy that judges it),
// supplies the defaults, applies accepted-risk entries to findings and decides
// the check's conclusion. It is pure: the caller passes the clock.
package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/lockreview/lockreview/pkg/checks"
)

// FileName is where a repository keeps its policy, read from the base branch.
const FileName = ".github/lockreview.yml"

// MaxSize bounds the policy file; a larger one is invalid.
const MaxSize = 1 << 20

// ErrInvalid is the root of every policy parse error.
var ErrInvalid = errors.New("invalid policy")

// CommentMode says when the PR comment is posted.
type CommentMode string

// Comment modes.
const (
	CommentAlways     CommentMode = "always"
	CommentOnFindings CommentMode = "on-findings"
	CommentNever      CommentMode = "never"
)

// Policy is one repository's lockreview policy.
type Policy struct {
	// Source names the file the policy was read from (ParseAt's name); ""
	// for Default.
	Source string `yaml:"-"`
	// Version of the schema; only 1 exists.
	Version int `yaml:"version"`
	// FailOn is the lowest severity that fails the check; nil means never.
	FailOn *checks.Severity `yaml:"-"`
	// FailClosed makes a review that could not complete fail instead of neutral.
	FailClosed bool        `yaml:"fail-closed"`
	Comment    CommentMode `yaml:"comment"`

	AllowedHosts   []string `yaml:"allowed-hosts"`
	InternalScopes []string `yaml:"internal-scopes"`
	InternalNames  []string `yaml:"internal-names"`
	Licenses       struct {
		Allow []string `yaml:"allow"`
		Deny  []string `yaml:"deny"`
	} `yaml:"licenses"`
	// MinReleaseAge is read by the online checks (versions younger than it).
	MinReleaseAge        time.Duration `yaml:"-"`
	BroadUpdateThreshold int           `yaml:"broad-update-threshold"`
	Checks               struct {
		// Disable lists check IDs that do not run.
		Disable []string `yaml:"disable"`
		// Severity overrides a check's severity.
		Severity map[string]checks.Severity `yaml:"severity"`
	} `yaml:"checks"`
	// Ignore lists accepted risks.
	Ignore []Ignore `yaml:"ignore"`

	// Raw fields decoded then validated.
	FailOnRaw        string `yaml:"fail-on"`
	MinReleaseAgeRaw string `yaml:"min-release-age"`
}

// Ignore accepts a risk: findings that match every field set here are
// suppressed (still reported, marked accepted) until Expires.
type Ignore struct {
	// Package is the package name the entry applies to (required).
	Package string `yaml:"package"`
	// Versions is a semver range ("<2", "4.17.21"); empty means any version.
	Versions string `yaml:"versions"`
	// Check is a check ID; empty means any check except the tamper checks
	// (checks.Check.Tamper: integrity-changed, resolved-changed, source-changed, name-mismatch, …), which only
	// an entry naming them accepts.
	Check string `yaml:"check"`
	// Reason says why the risk is accepted (required).
	Reason string `yaml:"reason"`
	// Expires is the date (YYYY-MM-DD, UTC) from which the entry stops applying.
	Expires string `yaml:"expires"`

	Line        int `yaml:"-"`
	constraints *semver.Constraints
	expires     time.Time
}

// Default returns the policy used when a repository has none.
func Default() *Policy {
	high := checks.High
	return &Policy{
		Version:              1,
		FailOn:               &high,
		Comment:              CommentAlways,
		AllowedHosts:         slices.Clone(checks.DefaultAllowedHosts),
		MinReleaseAge:        48 * time.Hour,
		BroadUpdateThreshold: checks.DefaultBroadUpdateThreshold,
	}
}

// Parse reads the repository's policy file (FileName). Fields not set keep
// their defaults. Unknown fields, wrong types, unknown check IDs and invalid
// values are errors that name the file and the line.
func Parse(data []byte) (*Policy, error) { return ParseAt(FileName, data) }

// ParseAt is Parse for a policy read from elsewhere; name is what errors
// call the file ("policy.yml", ".github/lockreview.yml at 1a2b3c4").
func ParseAt(name string, data []byte) (*Policy, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the %d byte limit", ErrInvalid, name, len(data), MaxSize)
	}
	p := Default()
	p.FailOn = nil
	p.Source = name
	// The node tree gives lines for validation messages; the strict decode
	// (unknown fields are errors) fills the struct. yaml.Node.Decode ignores
	// KnownFields, hence two passes over a file of at most MaxSize.
	var root yaml.Node
	docs := yaml.NewDecoder(bytes.NewReader(data))
	if err := docs.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			high := checks.High
			p.FailOn = &high
			return p, nil // an empty file is the default policy
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, yamlError(err))
	}
	// Only the first document would be read: a second one ("---" then
	// "fail-on: critical") would be silently ignored.
	var next yaml.Node
	if err := docs.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, yamlError(err))
		}
		// A bare trailing "---" is an empty document: nothing is lost.
		empty := len(next.Content) == 0 || len(next.Content) == 1 && next.Content[0].Kind == yaml.ScalarNode && next.Content[0].Value == ""
		if !empty {
			return nil, fmt.Errorf("%w: %s: line %d: a second YAML document; the policy is one document", ErrInvalid, name, next.Line)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, yamlError(err))
	}
	if err := p.validate(&root); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
	}
	return p, nil
}

// ParseFailOn reads a fail-on value: a severity, or "none" (also "never")
// for a review that never fails on findings (nil).
func ParseFailOn(v string) (*checks.Severity, error) {
	switch strings.ToLower(v) {
	case "none", "never":
		return nil, nil
	}
	s, err := checks.ParseSeverity(v)
	if err != nil {
		return nil, fmt.Errorf("unknown value %q (want none, info, low, medium, high or critical)", v)
	}
	return &s, nil
}

// unknownField matches yaml.v3's message for a field the policy does not
// have, which names a Go type instead of the policy key.
var unknownField = regexp.MustCompile(`field (\S+) not found in type .*`)

// yamlError rewords yaml.v3's errors for policy authors: "line 3: unknown
// field "disabel"" instead of Go type names, one problem per line.
func yamlError(err error) string {
	// Keys and values quoted from the file reach a terminal: drop control
	// and format characters (an escape sequence in an unknown key).
	msg := strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return r
		}
		return -1
	}, strings.TrimPrefix(err.Error(), "yaml: "))
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		l = unknownField.ReplaceAllString(l, `unknown field "$1"`)
		l = strings.ReplaceAll(l, "!!str", "a string")
		l = strings.ReplaceAll(l, "!!int", "a number")
		l = strings.ReplaceAll(l, "!!map", "a mapping")
		l = strings.ReplaceAll(l, "!!seq", "a list")
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}

func (p *Policy) validate(root *yaml.Node) error {
	var errs []error
	if p.Version != 1 {
		errs = append(errs, fmt.Errorf("line %d: version: want 1, got %d", line(root, "version"), p.Version))
	}
	if p.FailOnRaw == "" {
		high := checks.High
		p.FailOn = &high
	} else if fo, err := ParseFailOn(p.FailOnRaw); err != nil {
		errs = append(errs, fmt.Errorf("line %d: fail-on: %w", line(root, "fail-on"), err))
	} else {
		p.FailOn = fo
	}
	switch p.Comment {
	case CommentAlways, CommentOnFindings, CommentNever:
	case "":
		p.Comment = CommentAlways
	default:
		errs = append(errs, fmt.Errorf("line %d: comment: want always, on-findings or never, got %q", line(root, "comment"), p.Comment))
	}
	if p.MinReleaseAgeRaw != "" {
		d, err := parseAge(p.MinReleaseAgeRaw)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: min-release-age: %w", line(root, "min-release-age"), err))
		}
		p.MinReleaseAge = d
	}
	if p.BroadUpdateThreshold < 0 {
		errs = append(errs, fmt.Errorf("line %d: broad-update-threshold: must not be negative", line(root, "broad-update-threshold")))
	}
	for _, s := range p.InternalScopes {
		if !strings.HasPrefix(s, "@") || strings.Contains(s, "/") {
			errs = append(errs, fmt.Errorf("line %d: internal-scopes: %q is not a scope like \"@acme\"", line(root, "internal-scopes"), s))
		}
	}
	for _, id := range append(slices.Clone(p.Licenses.Allow), p.Licenses.Deny...) {
		if strings.ContainsAny(id, " ()") {
			errs = append(errs, fmt.Errorf("line %d: licenses: %q is not a single SPDX id", line(root, "licenses"), id))
		}
	}
	known := checks.IDs()
	for _, id := range p.Checks.Disable {
		if !slices.Contains(known, id) {
			errs = append(errs, fmt.Errorf("line %d: checks.disable: unknown check %q", valueLine(root, id, "checks", "disable"), id))
		}
	}
	for id := range p.Checks.Severity {
		if !slices.Contains(known, id) {
			errs = append(errs, fmt.Errorf("line %d: checks.severity: unknown check %q", valueLine(root, id, "checks", "severity"), id))
		}
	}
	ignoreLines := seqLines(root, "ignore")
	for i := range p.Ignore {
		ig := &p.Ignore[i]
		if i < len(ignoreLines) {
			ig.Line = ignoreLines[i]
		}
		if err := ig.compile(known); err != nil {
			errs = append(errs, fmt.Errorf("line %d: ignore[%d]: %w", ig.Line, i, err))
		}
	}
	return errors.Join(errs...)
}

func (ig *Ignore) compile(known []string) error {
	if ig.Package == "" {
		return errors.New("package is required")
	}
	if strings.TrimSpace(ig.Reason) == "" {
		return errors.New("reason is required: say why the risk is accepted")
	}
	if ig.Check != "" && !slices.Contains(known, ig.Check) {
		return fmt.Errorf("unknown check %q", ig.Check)
	}
	if ig.Versions != "" {
		c, err := semver.NewConstraint(ig.Versions)
		if err != nil {
			return fmt.Errorf("versions %q: %v", ig.Versions, err)
		}
		ig.constraints = c
	}
	if ig.Expires != "" {
		t, err := time.Parse(time.DateOnly, ig.Expires)
		if err != nil {
			return fmt.Errorf("expires %q: want a date like 2026-12-31", ig.Expires)
		}
		ig.expires = t
	}
	return nil
}

// parseAge reads durations like "48h", "90m", "2d" or "1w".
func parseAge(s string) (time.Duration, error) {
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	}
	if unit != 0 {
		var n int
		if _, err := fmt.Sscanf(s[:len(s)-1], "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != s[:len(s)-1] {
			return 0, fmt.Errorf("%q is not a duration like 48h or 2d", s)
		}
		return time.Duration(n) * unit, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration like 48h or 2d", s)
	}
	return d, nil
}

// line returns the line of a top-level key, or 1.
func line(root *yaml.Node, key string) int {
	if m := mapping(root); m != nil {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i].Line
			}
		}
	}
	return 1
}

// valueLine returns the line of the item or key value under the nested keys
// path (a list item or a mapping key equal to value), else the line of the
// deepest key found, else 1.
func valueLine(root *yaml.Node, value string, path ...string) int {
	n, at := mapping(root), 1
	for _, key := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return at
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				at, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			return at
		}
		n = next
	}
	for _, c := range n.Content {
		if c.Value == value {
			return c.Line
		}
	}
	return at
}

func seqLines(root *yaml.Node, key string) []int {
	m := mapping(root)
	if m == nil {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, n := range m.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}

func mapping(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil
	}
	return root
}

// CheckConfig returns the settings the checks read.
func (p *Policy) CheckConfig() checks.Config {
	c := checks.DefaultConfig()
	if len(p.AllowedHosts) > 0 {
		c.AllowedHosts = slices.Clone(p.AllowedHosts)
	}
	c.InternalScopes = slices.Clone(p.InternalScopes)
	c.InternalNames = slices.Clone(p.InternalNames)
	c.LicenseAllow = slices.Clone(p.Licenses.Allow)
	c.LicenseDeny = slices.Clone(p.Licenses.Deny)
	if p.BroadUpdateThreshold > 0 {
		c.BroadUpdateThreshold = p.BroadUpdateThreshold
	}
	if p.MinReleaseAge > 0 {
		c.MinReleaseAge = p.MinReleaseAge
	}
	return c
}

// Enabled reports whether check id runs under this policy.
func (p *Policy) Enabled(id string) bool { return !slices.Contains(p.Checks.Disable, id) }

// Note is something the policy says about itself in the report, such as an
// ignore entry that has expired.
type Note struct {
	// File is the policy file the note is about (Policy.Source).
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Apply adjusts severities per the policy, marks findings accepted by an
// unexpired ignore entry as suppressed, and returns notes about expired
// entries that matched a finding. now is the review's clock.
func (p *Policy) Apply(findings []checks.Finding, now time.Time) []Note {
	var notes []Note
	expiredSeen := map[int]bool{}
	for i := range findings {
		f := &findings[i]
		if s, ok := p.Checks.Severity[f.Check]; ok {
			f.Severity = s
		}
		for j := range p.Ignore {
			ig := &p.Ignore[j]
			if !ig.matches(f) {
				continue
			}
			if !ig.expires.IsZero() && !now.Before(ig.expires) {
				if !expiredSeen[j] {
					expiredSeen[j] = true
					notes = append(notes, Note{File: p.Source, Line: ig.Line, Message: fmt.Sprintf("ignore entry for %s (%s) expired on %s and no longer applies", ig.Package, ig.Reason, ig.Expires)})
				}
				continue
			}
			f.Suppressed, f.SuppressedBy = true, ig.Reason
			break
		}
	}
	checks.Sort(findings)
	return notes
}

func (ig *Ignore) matches(f *checks.Finding) bool {
	if ig.Package != f.Package || (ig.Check != "" && ig.Check != f.Check) {
		return false
	}
	if ig.Check == "" && checks.IsTamper(f.Check) {
		// Accepting a package's risks is not accepting that its entry was
		// tampered with: that takes an entry naming the check.
		return false
	}
	if f.Source != "" && f.Check != "non-registry-source" && f.Check != "insecure-source" {
		// An entry names a package, as the registry publishes it: a copy
		// from git, a tarball URL or another host is someone else's code
		// under that name ("esbuild's postinstall only selects its
		// binary" says nothing of an esbuild from evil.example). Only its
		// own source findings can be accepted.
		return false
	}
	if ig.constraints == nil {
		return true
	}
	v, err := semver.NewVersion(f.Version)
	return err == nil && ig.constraints.Check(v)
}

// Conclusion is the check run's outcome.
type Conclusion string

// Conclusions, as GitHub names them.
const (
	Success Conclusion = "success"
	Neutral Conclusion = "neutral"
	Failure Conclusion = "failure"
)

// Decide returns the conclusion for findings already passed through Apply.
// Any unsuppressed finding at or above FailOn fails. A review that could not
// complete (incomplete) is never a success: it is neutral, or a failure when
// the policy is fail-closed.
func (p *Policy) Decide(findings []checks.Finding, incomplete bool) Conclusion {
	if p.FailOn != nil {
		for _, f := range findings {
			if !f.Suppressed && f.Severity >= *p.FailOn {
				return Failure
			}
		}
	}
	if incomplete {
		if p.FailClosed {
			return Failure
		}
		return Neutral
	}
	return Success
}
