package lockfile

import (
	"errors"
	"fmt"
)

// ErrInvalid is the root of every error Parse returns for bad input:
// errors.Is(err, ErrInvalid) tells "this lockfile cannot be read" apart from
// programmer errors.
var ErrInvalid = errors.New("invalid lockfile")

var (
	// ErrMalformed: the input is not JSON, or not shaped like a lockfile (a
	// field we read has the wrong type, the top level is not an object, ...).
	ErrMalformed = fmt.Errorf("malformed lockfile: %w", ErrInvalid)
	// ErrUnsupportedVersion: lockfileVersion is not 1, 2 or 3.
	ErrUnsupportedVersion = fmt.Errorf("unsupported lockfile version: %w", ErrInvalid)
	// ErrTooLarge: the input is larger than the configured maximum size.
	ErrTooLarge = fmt.Errorf("lockfile too large: %w", ErrInvalid)
	// ErrTooDeep: JSON nesting or v1 dependency nesting exceeds the maximum depth.
	ErrTooDeep = fmt.Errorf("lockfile nested too deeply: %w", ErrInvalid)
)

// SyntaxError reports input that is not valid JSON (including invalid UTF-8
// and truncated input). It unwraps to ErrMalformed.
type SyntaxError struct {
	// File is the name given to Parse.
	File string
	// Line and Column are 1-based; Column counts runes (characters) from
	// the start of the line.
	Line, Column int
	// Offset is the 0-based byte offset of the error in the input.
	Offset int64
	// Msg describes the problem.
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s: invalid JSON at line %d, column %d (offset %d): %s", e.File, e.Line, e.Column, e.Offset, e.Msg)
}

// Unwrap returns ErrMalformed.
func (e *SyntaxError) Unwrap() error { return ErrMalformed }

// FieldError reports valid JSON that is not a valid lockfile: a field that
// Parse reads has the wrong type or value. It unwraps to ErrMalformed.
type FieldError struct {
	// File is the name given to Parse.
	File string
	// Field names the offending value, e.g. `packages["node_modules/x"].version`.
	Field string
	// Line is the 1-based line of the field's key (0 when unknown).
	Line int
	// Msg describes the problem ("expected a string, got number").
	Msg string
}

func (e *FieldError) Error() string {
	s := e.File + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Msg
	if e.Line > 0 {
		s += fmt.Sprintf(" at line %d", e.Line)
	}
	return s
}

// Unwrap returns ErrMalformed.
func (e *FieldError) Unwrap() error { return ErrMalformed }

// limitError carries a full message and unwraps to one sentinel, so that
// messages read "package-lock.json: lockfileVersion 7 is not supported"
// rather than ending in the sentinel's text.
type limitError struct {
	msg string
	err error
}

func (e *limitError) Error() string { return e.msg }
func (e *limitError) Unwrap() error { return e.err }
