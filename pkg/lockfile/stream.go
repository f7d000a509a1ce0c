package lockfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// ParseReader is Parse reading from r instead of a byte slice: the input is
// decoded as it is read and never held whole, so a review keeps only the
// parsed model in memory (about the size of the input) instead of the input
// and the model. The result, the limits and the errors are Parse's, except
// that:
//   - an input larger than the size limit fails when the limit is crossed;
//   - when r cannot re-read its input (a pipe, any reader but a regular
//     *os.File, *bytes.Reader or *strings.Reader), the Column of a
//     *SyntaxError counts bytes, not runes, and line numbers cost 4 bytes of
//     memory a line; otherwise they cost next to nothing;
//   - the invalid character a *SyntaxError quotes may be cut to its first
//     byte when it straddles the decoder's buffer.
//
// An error reading r is returned wrapped with the file name; it does not
// wrap ErrInvalid.
func ParseReader(file string, r io.Reader, opts ...Option) (*Lockfile, error) {
	cfg := newConfig(opts)
	in := &streamInput{r: r, max: cfg.maxSize}
	if ra, base, ok := reReadable(r); ok {
		in.lines = &seekLines{ra: ra, base: base, line: 1, blocks: []uint32{1}}
	} else {
		in.lines = &newlineList{}
	}
	p := &parser{file: file, cfg: cfg, in: in, lines: in.lines}
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

// reReadable returns r as an io.ReaderAt and the offset in it of r's next
// byte, when r can re-read what it delivered: a regular file, a
// bytes.Reader or a strings.Reader.
func reReadable(r io.Reader) (io.ReaderAt, int64, bool) {
	switch r := r.(type) {
	case *os.File:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return nil, 0, false
		}
		pos, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, 0, false
		}
		return r, pos, true
	case *bytes.Reader:
		return r, r.Size() - int64(r.Len()), true
	case *strings.Reader:
		return r, r.Size() - int64(r.Len()), true
	}
	return nil, 0, false
}

// streamInput feeds the decoder, enforces the size limit and shows every
// byte read to a line tracker, so that entries get their line numbers
// without the input being kept.
type streamInput struct {
	r     io.Reader
	max   int64
	n     int64 // bytes read so far
	lines streamLines
	// nonBlank is set once a byte other than JSON whitespace was read.
	nonBlank bool
	// err is the first error the reader returned other than io.EOF, or the
	// size limit; the decoder may wrap or replace it, so wrap looks here.
	err error
}

// streamLines is a lineSource fed the input as it is read.
type streamLines interface {
	lineSource
	observe(chunk []byte)
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
		s.lines.observe(chunk)
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

// seekLines tracks lines on input that can be re-read. It counts newlines
// up to each queried offset (queries come in input order), keeping only
// the bytes read but not yet counted and the line of every lineBlock
// boundary passed; an earlier offset (a duplicate key's first occurrence,
// an error) is answered by re-reading at most one block.
type seekLines struct {
	ra   io.ReaderAt
	base int64 // offset in ra of the stream's first byte
	// buf[start:] holds the input from cursor on, read but not counted.
	buf    []byte
	start  int
	cursor int64
	line   int   // line of the byte at cursor
	bol    int64 // offset of the first byte of that line
	// blocks[i] is the line of the byte at i*lineBlock, for every boundary
	// the cursor has reached.
	blocks []uint32
}

// Bytes are kept uncounted up to seekKeep; past it the cursor moves on to
// seekLag bytes behind the input, which is more than the decoder buffers
// ahead of what it hands out, so the next query is still answered going
// forward (or, after a long stretch without queries, from a block).
const (
	seekKeep = 256 << 10
	seekLag  = 64 << 10
)

func (s *seekLines) observe(chunk []byte) {
	if pending := len(s.buf) - s.start + len(chunk); pending > seekKeep {
		s.advance(s.cursor + int64(pending-seekLag))
	}
	if len(s.buf)+len(chunk) > cap(s.buf) && s.start > 0 {
		s.buf = s.buf[:copy(s.buf, s.buf[s.start:])]
		s.start = 0
	}
	s.buf = append(s.buf, chunk...)
}

// advance moves the cursor to off, counting the lines in between.
func (s *seekLines) advance(off int64) {
	off = min(off, s.cursor+int64(len(s.buf)-s.start))
	for s.cursor < off {
		next := (s.cursor/lineBlock + 1) * lineBlock
		end := min(off, next)
		seg := s.buf[s.start : s.start+int(end-s.cursor)]
		if n := bytes.Count(seg, newline); n > 0 {
			s.line += n
			s.bol = s.cursor + int64(bytes.LastIndexByte(seg, '\n')) + 1
		}
		s.start += len(seg)
		s.cursor = end
		if end == next {
			s.blocks = append(s.blocks, uint32(s.line))
		}
	}
}

func (s *seekLines) at(off int64) int {
	if off < 0 {
		off = 0
	}
	if off >= s.cursor {
		s.advance(off)
		return s.line
	}
	b := off / lineBlock
	line := int(s.blocks[b])
	buf := make([]byte, off-b*lineBlock)
	n, _ := s.ra.ReadAt(buf, s.base+b*lineBlock)
	return line + bytes.Count(buf[:n], newline)
}

func (s *seekLines) position(off int64) (line, col int) {
	off = max(off, 0)
	line = s.at(off)
	var bol int64
	if off == s.cursor {
		bol = s.bol
	} else {
		bol = s.lineStart(off)
	}
	return line, s.runes(bol, off) + 1
}

// lineStart finds the start of the line holding off by reading backwards.
func (s *seekLines) lineStart(off int64) int64 {
	buf := make([]byte, 4096)
	for end := off; end > 0; {
		from := max(0, end-int64(len(buf)))
		n, err := s.ra.ReadAt(buf[:end-from], s.base+from)
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return from + int64(i) + 1
		}
		if err != nil && n < int(end-from) {
			return end
		}
		end = from
	}
	return 0
}

// runes counts the runes of the input in [from, to) as utf8.RuneCount would
// (an invalid byte is one), carrying a rune cut by the buffer's end. When
// the input cannot be re-read it counts bytes.
func (s *seekLines) runes(from, to int64) int {
	buf := make([]byte, 32<<10)
	runes, carry := 0, 0
	for pos := from; pos < to; {
		n, err := s.ra.ReadAt(buf[carry:min(int64(len(buf)), int64(carry)+to-pos)], s.base+pos)
		pos += int64(n)
		chunk := buf[:carry+n]
		for len(chunk) > 0 && (utf8.FullRune(chunk) || pos == to) {
			_, size := utf8.DecodeRune(chunk)
			chunk = chunk[size:]
			runes++
		}
		carry = copy(buf, chunk)
		if n == 0 || (err != nil && pos < to) {
			return int(to - from)
		}
	}
	return runes
}

// newlineList tracks lines on input that cannot be re-read (a pipe): it
// records the offset of every newline.
type newlineList struct {
	n      int64
	nl     []uint32 // inputs are < 2 GiB
	cursor int      // speeds up queries in input order
}

func (s *newlineList) observe(chunk []byte) {
	for i := 0; ; {
		j := bytes.IndexByte(chunk[i:], '\n')
		if j < 0 {
			break
		}
		s.nl = append(s.nl, uint32(s.n)+uint32(i+j))
		i += j + 1
	}
	s.n += int64(len(chunk))
}

func (s *newlineList) at(off int64) int {
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

// position returns the line of off and its column in bytes: the line's
// text is gone.
func (s *newlineList) position(off int64) (line, col int) {
	off = min(max(off, 0), s.n)
	line = s.at(off)
	start := int64(0)
	if line > 1 {
		start = int64(s.nl[line-2]) + 1
	}
	return line, int(off-start) + 1
}
