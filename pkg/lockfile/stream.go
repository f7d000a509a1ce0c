package lockfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// ParseReader is Parse reading from r instead of a byte slice: the input is
// decoded as it is read and never held whole, so a review keeps only the
// parsed model in memory (about the size of the input) instead of the input
// and the model. The result, the limits and the errors are Parse's, with two
// differences:
//   - an input larger than the size limit fails when the limit is crossed;
//   - when r is not an io.ReaderAt, the Column of a *SyntaxError counts
//     bytes, not runes (an *os.File or *bytes.Reader gives rune columns);
//   - the invalid character a *SyntaxError quotes may be cut to its first
//     byte when it straddles the decoder's buffer.
//
// An error reading r is returned wrapped with the file name; it does not
// wrap ErrInvalid.
func ParseReader(file string, r io.Reader, opts ...Option) (*Lockfile, error) {
	cfg := newConfig(opts)
	in := &streamInput{r: r, max: cfg.maxSize}
	in.ra, _ = r.(io.ReaderAt)
	p := &parser{file: file, cfg: cfg, in: in, lines: in}
	// npm strips a UTF-8 byte order mark; look at the first three bytes.
	br := bufio.NewReaderSize(in, 32<<10)
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, p.wrap(err)
	}
	if bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
		p.base = 3
	}
	p.init(br)
	l, err := p.parse()
	if err != nil {
		return nil, p.wrap(err)
	}
	return l, nil
}

// streamInput feeds the decoder and remembers where each line starts, so
// that entries get their line numbers without the input being kept.
type streamInput struct {
	r   io.Reader
	ra  io.ReaderAt // r, when it can re-read a line for a column; else nil
	max int64
	n   int64    // bytes read so far
	nl  []uint32 // offset of every '\n' read so far (inputs are < 2 GiB)
	// nonBlank is set once a byte other than JSON whitespace was read.
	nonBlank bool
	// err is the first error the reader returned other than io.EOF, or the
	// size limit; the decoder may wrap or replace it, so wrap looks here.
	err error
	// cursor speeds up line queries in input order.
	cursor int
}

func (s *streamInput) Read(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(b)
	if n > 0 {
		chunk := b[:n]
		if int64(n) > s.max-s.n {
			s.err = &limitError{
				msg: fmt.Sprintf("exceeds the size limit of %d bytes", s.max),
				err: ErrTooLarge,
			}
			return 0, s.err
		}
		for i := 0; ; {
			j := bytes.IndexByte(chunk[i:], '\n')
			if j < 0 {
				break
			}
			s.nl = append(s.nl, uint32(s.n)+uint32(i+j))
			i += j + 1
		}
		if !s.nonBlank && !isBlank(chunk) {
			s.nonBlank = true
		}
		s.n += int64(n)
	}
	if err != nil && err != io.EOF {
		s.err = &readError{err: err}
		return n, s.err
	}
	return n, err
}

// readError is an error of the underlying reader.
type readError struct{ err error }

func (e *readError) Error() string { return "read: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// at returns the 1-based line of the byte at off, which must have been read.
func (s *streamInput) at(off int64) int {
	// Lines are asked for in input order: look from the last answer first.
	i := s.cursor
	if i > len(s.nl) || (i > 0 && int64(s.nl[i-1]) >= off) {
		i, _ = slices.BinarySearch(s.nl, uint32(max(off, 0)))
	} else {
		for i < len(s.nl) && int64(s.nl[i]) < off {
			i++
		}
	}
	s.cursor = i
	return i + 1
}

// position returns the line and column of off. The column counts runes when
// the input can be re-read (io.ReaderAt), else bytes.
func (s *streamInput) position(off int64) (line, col int) {
	off = min(max(off, 0), s.n)
	line = s.at(off)
	start := int64(0)
	if line > 1 {
		start = int64(s.nl[line-2]) + 1
	}
	if s.ra == nil {
		return line, int(off-start) + 1
	}
	// Count the runes of the line up to off as utf8.RuneCount would (an
	// invalid byte is one), carrying a rune cut by the buffer's end.
	buf := make([]byte, 32<<10)
	runes, carry := 0, 0
	for pos := start; pos < off; {
		n, err := s.ra.ReadAt(buf[carry:min(int64(len(buf)), int64(carry)+off-pos)], pos)
		pos += int64(n)
		chunk := buf[:carry+n]
		for len(chunk) > 0 && (utf8.FullRune(chunk) || pos == off) {
			_, size := utf8.DecodeRune(chunk)
			chunk = chunk[size:]
			runes++
		}
		carry = copy(buf, chunk)
		if n == 0 || (err != nil && pos < off) {
			return line, int(off-start) + 1
		}
	}
	return line, runes + 1
}
