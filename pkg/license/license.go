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
	return ok(e.id)
}

// In returns a predicate that reports whether an id is in list, ignoring case
// and treating "X+" (this version or later) as X.
func In(list []string) func(id string) bool {
	set := make(map[string]bool, len(list))
	for _, s := range list {
		set[strings.ToLower(strings.TrimSuffix(s, "+"))] = true
	}
	return func(id string) bool { return set[strings.ToLower(strings.TrimSuffix(id, "+"))] }
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
			return strings.ToUpper(e.id + " WITH " + e.with)
		}
		return strings.ToUpper(e.id)
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
