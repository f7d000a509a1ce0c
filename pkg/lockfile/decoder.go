package lockfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// parser walks the input token by token with jsontext (duplicate-name
// checking off: the parser detects duplicates itself, with line numbers, and
// keeps going). Every object, including the ones whose content is ignored, is
// walked so that duplicates and excessive depth are seen everywhere.
type parser struct {
	file string
	// data is the whole input for Parse; nil for ParseReader, whose input
	// is in and whose object names are all copied into arena.
	data  []byte
	in    *streamInput
	base  int64 // offset of the decoder's input within the input (3 after a BOM)
	cfg   config
	dec   *jsontext.Decoder
	lines lineSource
	// frames is the stack of open objects and arrays; frames[i] is reused by
	// every container at depth i.
	frames []frame
	depth  int
	dups   []DuplicateKey
	odd    []OddPath
	strs   *[internSize]string // interned dependency names and ranges
	arena  []byte              // unescaped object names (all names when streaming), a stack: see push
	slab   []Package           // see newPackage
	deps   []Dep               // dependencies of the open entries, a stack: see takeDeps
	cut    Cut                 // lists that dropped entries at MaxRecorded

	// The comparison of `dependencies` with `packages` (sections.go).
	mm       []SectionMismatch   // found so far; Field "" marks one a duplicate key dropped
	mmLive   int                 // entries of mm not dropped
	rpath    []byte              // real install path of the entry being read
	vpath    []byte              // its path as `dependencies` nests it, for errors
	lspans   []legacySpan        // of the open dependencies objects, a stack
	lobj     int                 // dependencies objects opened
	aliasRaw map[*Package]string // the "npm:" version of built v1 alias entries
}

// lineSource answers line queries: a lineCounter over the whole input, or
// the line starts a streamInput recorded.
type lineSource interface {
	// at returns the 1-based line of the byte at off.
	at(off int64) int
	// position returns the 1-based line and column of the byte at off.
	position(off int64) (line, col int)
}

// frame is one open object or array.
type frame struct {
	array bool
	mark  int    // len(arena) when the container opened
	n     int    // array: index of the current element
	cur   keyRec // object: current name, for JSON pointers
	keys  []keyRec
	table keyTable // over keys, once keys is long
}

// keyRec is the first occurrence of a name in an object. It holds offsets,
// not slices: a pointer-free record is cheaper to append and is not scanned
// by the garbage collector.
type keyRec struct {
	at   int    // start of the unescaped name, in data or (esc) in arena
	n    int32  // length of the name; -1 for a repeat, never matched again
	esc  bool   // the name had escapes and was unescaped into arena
	off  int64  // offset of the key's opening quote in data
	hash uint64 // set once the object is indexed
}

// name returns the unescaped name of k.
func (p *parser) name(k *keyRec) []byte {
	if k.n < 0 {
		return nil
	}
	if k.esc {
		return p.arena[k.at : k.at+int(k.n)]
	}
	return p.data[k.at : k.at+int(k.n)]
}

// linearKeys is the object size up to which duplicate names are found by a
// linear scan rather than a hash table.
const linearKeys = 16

// keyTable is an open-addressing hash set over a frame's keys. It hashes
// the name bytes in place (a Go map would need a string per name) with a
// per-process random seed, so crafted names cannot force collisions.
type keyTable struct {
	slots []int32 // 0: empty; else 1 + index into keys
	n     int
}

var keySeed = maphash.MakeSeed()

// findOrInsert returns the index in keys of name (-1 if absent); when
// absent it inserts pos, whose keyRec must already hold hash h.
func (p *parser) findOrInsert(t *keyTable, keys []keyRec, name []byte, h uint64, pos int) int {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow(keys)
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			t.slots[i] = int32(pos + 1)
			t.n++
			return -1
		}
		if k := &keys[s-1]; k.hash == h && int(k.n) == len(name) && bytes.Equal(p.name(k), name) {
			return int(s - 1)
		}
	}
}

func (t *keyTable) grow(keys []keyRec) {
	size := max(64, 2*len(t.slots))
	old := t.slots
	t.slots = make([]int32, size)
	mask := uint64(size - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := keys[s-1].hash & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// reset empties the table, keeping its memory unless it grew large.
func (t *keyTable) reset() {
	if t.n == 0 {
		return
	}
	if len(t.slots) > 1<<14 {
		t.slots = nil
	} else {
		clear(t.slots)
	}
	t.n = 0
}

func newParser(file string, data []byte, cfg config) *parser {
	p := &parser{file: file, data: data, cfg: cfg, lines: newLineCounter(data)}
	in := data
	if bytes.HasPrefix(in, []byte("\xef\xbb\xbf")) {
		in = in[3:]
		p.base = 3
	}
	// A *bytes.Buffer is decoded in place, without copying the input; the
	// decoder never writes to it.
	p.init(bytes.NewBuffer(in))
	return p
}

// init sets up the decoder over the input (after any byte order mark).
func (p *parser) init(r io.Reader) {
	p.dec = jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true))
	p.frames = make([]frame, 0, 8)
}

// wrap turns decoder errors into *SyntaxError; our own errors pass through.
func (p *parser) wrap(err error) error {
	var (
		se *SyntaxError
		fe *FieldError
		le *limitError
	)
	if p.in != nil && p.in.err != nil {
		// The reader failed or crossed the size limit; the decoder's
		// error may not carry ours.
		var re *readError
		if errors.As(p.in.err, &re) {
			return fmt.Errorf("%s: %w", p.file, re)
		}
		if errors.As(p.in.err, &le) {
			return &limitError{msg: p.file + ": " + le.msg, err: le.err}
		}
	}
	if errors.As(err, &se) || errors.As(err, &fe) || errors.As(err, &le) {
		return err
	}
	off := p.base + p.dec.InputOffset()
	msg := err.Error()
	var je *jsontext.SyntacticError
	if errors.As(err, &je) {
		off = p.base + je.ByteOffset
		if je.Err != nil {
			msg = je.Err.Error()
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(p.data))
		if p.in != nil {
			off = p.in.n
		}
		msg = "unexpected end of input"
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	line, col := p.lines.position(off)
	return &SyntaxError{File: p.file, Line: line, Column: col, Offset: off, Msg: msg}
}

// offset is the absolute offset just after the last token read.
func (p *parser) offset() int64 { return p.base + p.dec.InputOffset() }

func (p *parser) tooDeep(what string) error {
	line := p.lines.at(p.offset())
	return &limitError{
		msg: fmt.Sprintf("%s: %s nesting exceeds %d levels at line %d", p.file, what, p.cfg.maxDepth, line),
		err: ErrTooDeep,
	}
}

// push opens a frame for the '{' or '[' that was just read.
func (p *parser) push(array bool) error {
	if p.depth >= p.cfg.maxDepth {
		return p.tooDeep("JSON")
	}
	if p.depth == len(p.frames) {
		p.frames = append(p.frames, frame{})
	}
	f := &p.frames[p.depth]
	f.array, f.n, f.cur = array, 0, keyRec{n: -1}
	f.mark = len(p.arena)
	if !array {
		f.keys = f.keys[:0]
		f.table.reset()
	}
	p.depth++
	return nil
}

// beginObject reads a '{' that the caller has peeked.
func (p *parser) beginObject() error {
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	return p.push(false)
}

// beginArray reads a '[' that the caller has peeked.
func (p *parser) beginArray() error {
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	return p.push(true)
}

// end reads the '}' or ']' closing the innermost container.
func (p *parser) end() error {
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	// The names of a closed container are never read again: pop them.
	p.arena = p.arena[:p.frames[p.depth-1].mark]
	p.depth--
	return nil
}

// more reports whether the innermost container has another member; it is
// also true when the next token is invalid, so that the following read
// reports the error.
func (p *parser) more() bool {
	k := p.dec.PeekKind()
	return k != '}' && k != ']'
}

// next advances the array index of the innermost frame.
func (p *parser) next() { p.frames[p.depth-1].n++ }

// key reads an object member name, records duplicates, and returns the
// unescaped name (valid until the next read), its offset and, when the name
// was seen before in this object, the position of its first occurrence in
// the object's name list (else -1). pos is the position of this name.
func (p *parser) key() (name []byte, off int64, first, pos int, err error) {
	v, err := p.dec.ReadValue()
	if err != nil {
		return nil, 0, -1, -1, err
	}
	off = p.offset() - int64(len(v))
	name = v[1 : len(v)-1]
	rec := keyRec{at: int(off) + 1, n: int32(len(name)), off: off}
	if escaped := bytes.IndexByte(name, '\\') >= 0; escaped || p.data == nil {
		start := len(p.arena)
		if !escaped {
			p.arena = append(p.arena, name...)
		} else if p.arena, err = jsontext.AppendUnquote(p.arena, v); err != nil {
			return nil, 0, -1, -1, err
		}
		name = p.arena[start:len(p.arena):len(p.arena)]
		rec.at, rec.n, rec.esc = start, int32(len(name)), true
	}
	f := &p.frames[p.depth-1]
	f.cur = rec
	pos = len(f.keys)
	first = -1
	if f.table.n == 0 && pos < linearKeys {
		for i := range f.keys {
			if k := &f.keys[i]; int(k.n) == len(name) && bytes.Equal(p.name(k), name) {
				first = i
				break
			}
		}
		if first < 0 {
			f.keys = append(f.keys, rec)
			return name, off, -1, pos, nil
		}
	} else {
		if f.table.n == 0 {
			// The object just outgrew the linear scan: index what it has.
			for i := range f.keys {
				if k := &f.keys[i]; k.n >= 0 {
					k.hash = maphash.Bytes(keySeed, p.name(k))
					p.findOrInsert(&f.table, f.keys, p.name(k), k.hash, i)
				}
			}
		}
		rec.hash = maphash.Bytes(keySeed, name)
		f.keys = append(f.keys, rec)
		if first = p.findOrInsert(&f.table, f.keys, name, rec.hash, pos); first < 0 {
			return name, off, -1, pos, nil
		}
		f.keys = f.keys[:pos]
	}
	p.duplicate(name, f.keys[first].off, off)
	// Keep the list aligned with the members so callers can index side
	// tables by pos; the repeat is never matched again.
	f.keys = append(f.keys, keyRec{n: -1, off: off})
	return name, off, first, pos, nil
}

// maxDuplicates bounds Lockfile.Duplicates: a hostile file of a few
// hundred megabytes could otherwise name millions of duplicates and make the
// report larger than the input. Parsing (last value wins) is unaffected.
const maxDuplicates = MaxRecorded

// MaxRecorded bounds Lockfile.Duplicates, OddPaths and SectionMismatches:
// a list this long may have left later ones out, and a reviewer must treat
// it as incomplete.
const MaxRecorded = 1000

// Cut names the lists of a Lockfile that reached MaxRecorded and dropped
// later entries.
type Cut uint8

// The lists Lockfile.Cut can name.
const (
	CutDuplicates Cut = 1 << iota
	CutOddPaths
	CutSectionMismatches
)

func (p *parser) duplicate(name []byte, firstOff, secondOff int64) {
	if len(p.dups) >= maxDuplicates {
		p.cut |= CutDuplicates
		return
	}
	second := p.lines.at(secondOff)
	firstLine := p.lines.at(firstOff)
	p.dups = append(p.dups, DuplicateKey{
		Object:     p.pointer(p.depth - 1),
		Key:        string(name),
		FirstLine:  firstLine,
		SecondLine: second,
	})
}

// pointer returns the JSON pointer (RFC 6901) of the container at depth d.
func (p *parser) pointer(d int) string {
	var b strings.Builder
	for i := 0; i < d; i++ {
		f := &p.frames[i]
		b.WriteByte('/')
		if f.array {
			b.WriteString(strconv.Itoa(f.n))
			continue
		}
		for _, c := range p.name(&f.cur) {
			switch c {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// skip walks over one value, still checking names and depth.
func (p *parser) skip() error {
	switch p.dec.PeekKind() {
	case '{':
		if err := p.beginObject(); err != nil {
			return err
		}
		for p.more() {
			if _, _, _, _, err := p.key(); err != nil {
				return err
			}
			if err := p.skip(); err != nil {
				return err
			}
		}
		return p.end()
	case '[':
		if err := p.beginArray(); err != nil {
			return err
		}
		for p.more() {
			if err := p.skip(); err != nil {
				return err
			}
			p.next()
		}
		return p.end()
	default:
		_, err := p.dec.ReadValue()
		return err
	}
}
