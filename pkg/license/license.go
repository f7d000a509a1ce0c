// Package license parses SPDX license expressions ("MIT", "(MIT OR Apache-2.0)",
// "GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0+") and evaluates
// them against allow and deny lists, so that a policy is applied to what an
// expression means rather than to its spelling. It is pure and bounded.
//
// (github.com/github/go-spdx, the maintained Go evaluator, is not served by
// the module proxy here; the grammar is small enough to own.)
package license

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaxLength bounds an expression; longer ones are rejected.
const MaxLength = 1024

// ErrSyntax is the root of every parse error.
var ErrSyntax = errors.New("invalid SPDX expression")

// Expr is a parsed SPDX license expression.
type Expr struct {
	op       string // "", "AND", "OR"
	id       string // license id for a leaf (with "+" kept) ...
	with     string // ... and its exception
	children []*Expr
}

// Parse parses an SPDX expression. Operators are case-insensitive, as npm
// tolerates; ids keep their case (compare with EqualFold).
func Parse(s string) (*Expr, error) {
	if len(s) > MaxLength {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrSyntax, MaxLength)
	}
	p := &parser{toks: tokenize(s)}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrSyntax)
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("%w: unexpected %q", ErrSyntax, p.toks[p.pos])
	}
	return e, nil
}

func tokenize(s string) []string {
	var toks []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '(', ')':
			flush()
			toks = append(toks, string(r))
		case ' ', '\t', '\n', '\r':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

type parser struct {
	toks []string
	pos  int
}

const maxDepth = 64

func (p *parser) peekOp(op string) bool {
	return p.pos < len(p.toks) && strings.EqualFold(p.toks[p.pos], op)
}

func (p *parser) or(depth int) (*Expr, error) {
	return p.binary(depth, "OR", p.and)
}

func (p *parser) and(depth int) (*Expr, error) {
	return p.binary(depth, "AND", p.atom)
}

func (p *parser) binary(depth int, op string, next func(int) (*Expr, error)) (*Expr, error) {
	first, err := next(depth)
	if err != nil {
		return nil, err
	}
	if !p.peekOp(op) {
		return first, nil
	}
	e := &Expr{op: op, children: []*Expr{first}}
	for p.peekOp(op) {
		p.pos++
		c, err := next(depth)
		if err != nil {
			return nil, err
		}
		e.children = append(e.children, c)
	}
	return e, nil
}

func (p *parser) atom(depth int) (*Expr, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", ErrSyntax, maxDepth)
	}
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("%w: ends early", ErrSyntax)
	}
	t := p.toks[p.pos]
	switch {
	case t == "(":
		p.pos++
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos] != ")" {
			return nil, fmt.Errorf("%w: missing )", ErrSyntax)
		}
		p.pos++
		return e, nil
	case t == ")", strings.EqualFold(t, "AND"), strings.EqualFold(t, "OR"), strings.EqualFold(t, "WITH"):
		return nil, fmt.Errorf("%w: unexpected %q", ErrSyntax, t)
	}
	if !validID(t) {
		return nil, fmt.Errorf("%w: %q is not a license id", ErrSyntax, t)
	}
	p.pos++
	e := &Expr{id: t}
	if p.peekOp("WITH") {
		p.pos++
		if p.pos >= len(p.toks) || !validID(p.toks[p.pos]) {
			return nil, fmt.Errorf("%w: WITH needs an exception id", ErrSyntax)
		}
		e.with = p.toks[p.pos]
		p.pos++
	}
	return e, nil
}

// validID accepts SPDX idstrings (letters, digits, '.', '-'), an optional
// trailing '+', and LicenseRef-/DocumentRef- references.
func validID(s string) bool {
	s = strings.TrimSuffix(s, "+")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':') {
			return false
		}
	}
	return true
}

// IDs returns every license id the expression names (without exceptions).
func (e *Expr) IDs() []string {
	if e.op == "" {
		return []string{e.id}
	}
	var out []string
	for _, c := range e.children {
		out = append(out, c.IDs()...)
	}
	return out
}

// String renders the expression canonically.
func (e *Expr) String() string {
	if e.op == "" {
		if e.with != "" {
			return e.id + " WITH " + e.with
		}
		return e.id
	}
	parts := make([]string, len(e.children))
	for i, c := range e.children {
		s := c.String()
		if c.op != "" {
			s = "(" + s + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, " "+e.op+" ")
}

// Satisfiable reports whether some choice among the expression's OR branches
// uses only licenses for which ok returns true: "(MIT OR GPL-3.0)" is
// satisfiable under an allow list of MIT alone; "MIT AND GPL-3.0" is not.
func (e *Expr) Satisfiable(ok func(id string) bool) bool {
	switch e.op {
	case "OR":
		for _, c := range e.children {
			if c.Satisfiable(ok) {
				return true
			}
		}
		return false
	case "AND":
		for _, c := range e.children {
			if !c.Satisfiable(ok) {
				return false
			}
		}
		return true
	}
	// A GNU "or later" id is a choice among versions: any one of them will do.
	return slices.ContainsFunc(concrete(e.id), ok)
}

// In returns a predicate that reports whether an id is in list, ignoring case.
// GNU ids are compared by the versions they stand for: the deprecated
// "GPL-3.0" is "GPL-3.0-only", and "GPL-2.0-or-later" (or "GPL-2.0+") is
// GPL-2.0-only and GPL-3.0-only, so a list naming "GPL-3.0-only" covers
// "GPL-3.0", "GPL-3.0+" and "GPL-3.0-or-later". Other ids treat "X+" (this
// version or later) as X.
func In(list []string) func(id string) bool {
	set := make(map[string]bool, len(list))
	for _, s := range list {
		for _, c := range concrete(s) {
			set[c] = true
		}
	}
	return func(id string) bool {
		return slices.ContainsFunc(concrete(id), func(c string) bool { return set[c] })
	}
}

// gnuVersions lists the versions of each GNU license family, oldest first
// (SPDX ids GPL-2.0-only, LGPL-2.1-or-later, ...).
var gnuVersions = map[string][]string{
	"gpl":  {"1.0", "2.0", "3.0"},
	"lgpl": {"2.0", "2.1", "3.0"},
	"agpl": {"1.0", "3.0"},
	"gfdl": {"1.1", "1.2", "1.3"},
}

// gnuID splits a GNU license id ("GPL-3.0", "gpl-3.0-only",
// "GPL-2.0-or-later", "GPL-2.0+") into its lower-cased family, version and
// whether later versions are allowed.
func gnuID(id string) (family, version string, later, ok bool) {
	l := strings.ToLower(id)
	later = strings.HasSuffix(l, "+")
	l = strings.TrimSuffix(l, "+")
	if b, cut := strings.CutSuffix(l, "-or-later"); cut {
		l, later = b, true
	} else {
		l = strings.TrimSuffix(l, "-only")
	}
	family, version, _ = strings.Cut(l, "-")
	return family, version, later, slices.Contains(gnuVersions[family], version)
}

// concrete returns the lower-cased ids that id stands for: each "-only"
// version of a GNU id (one, or every one from its version on for "or
// later"), or id itself without a trailing "+".
func concrete(id string) []string {
	family, version, later, ok := gnuID(id)
	if !ok {
		return []string{strings.ToLower(strings.TrimSuffix(id, "+"))}
	}
	vs := gnuVersions[family]
	if !later {
		return []string{family + "-" + version + "-only"}
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs[slices.Index(vs, version):] {
		out = append(out, family+"-"+v+"-only")
	}
	return out
}

// canonicalID renders a GNU id in its current SPDX form ("GPL-3.0" and
// "GPL-3.0-only" alike, "GPL-3.0+" as "GPL-3.0-OR-LATER"), upper-cased.
func canonicalID(id string) string {
	family, version, later, ok := gnuID(id)
	if !ok {
		return strings.ToUpper(id)
	}
	if later {
		return strings.ToUpper(family + "-" + version + "-or-later")
	}
	return strings.ToUpper(family + "-" + version + "-only")
}

// Equal reports whether two license strings mean the same expression
// (parsed and rendered canonically; unparseable strings compare as text
// without case or surrounding parentheses).
func Equal(a, b string) bool {
	return Normalize(a) == Normalize(b)
}

// Normalize returns the canonical rendering of a license string: upper case,
// with the operands of each AND and OR sorted, so that "(MIT OR Apache-2.0)"
// and "(apache-2.0 OR MIT)" normalize alike.
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	if e, err := Parse(s); err == nil {
		return e.canonical()
	}
	return strings.ToUpper(strings.Trim(s, "() "))
}

func (e *Expr) canonical() string {
	if e.op == "" {
		if e.with != "" {
			return canonicalID(e.id) + " WITH " + strings.ToUpper(e.with)
		}
		return canonicalID(e.id)
	}
	parts := make([]string, len(e.children))
	for i, c := range e.children {
		parts[i] = c.canonical()
		if c.op != "" {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, " "+e.op+" ")
}
