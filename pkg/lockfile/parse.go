package lockfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Parse parses one package-lock.json or npm-shrinkwrap.json. file names the
// input in every error (e.g. "head/package-lock.json"). Parse never panics and
// never touches the network; it is safe to call concurrently.
//
// Every error wraps ErrInvalid, through ErrMalformed (not JSON, or a field we
// read has the wrong type), ErrUnsupportedVersion, ErrTooLarge or ErrTooDeep.
//
// What Parse accepts is what npm sees when it reads the file with JSON.parse:
//   - an object that names a key twice keeps the last value, and the
//     duplicate is recorded in Lockfile.Duplicates (a security signal, not an
//     error);
//   - a leading UTF-8 byte order mark is ignored, as npm strips it.
//
// Only the first 1,000 duplicate keys are recorded.
//
// Where it is stricter: invalid UTF-8 (including escaped lone surrogates) is
// rejected with a *SyntaxError instead of being replaced with U+FFFD, so two
// different files can never parse to the same strings.
func Parse(file string, data []byte, opts ...Option) (*Lockfile, error) {
	cfg := config{maxSize: DefaultMaxSize, maxDepth: DefaultMaxDepth}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if int64(len(data)) > cfg.maxSize {
		return nil, &limitError{
			msg: fmt.Sprintf("%s: %d bytes exceeds the size limit of %d bytes", file, len(data), cfg.maxSize),
			err: ErrTooLarge,
		}
	}
	if isBlank(data) {
		return nil, &limitError{msg: file + ": empty file", err: ErrMalformed}
	}
	p := newParser(file, data, cfg)
	l, err := p.parse()
	if err != nil {
		return nil, p.wrap(err)
	}
	return l, nil
}

func isBlank(data []byte) bool {
	for _, c := range data {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// parser walks the input token by token with jsontext (duplicate-name
// checking off: the parser detects duplicates itself, with line numbers, and
// keeps going). Every object, including the ones whose content is ignored, is
// walked so that duplicates and excessive depth are seen everywhere.
type parser struct {
	file  string
	data  []byte
	base  int64 // offset of the decoder's input within data (3 after a BOM)
	cfg   config
	dec   *jsontext.Decoder
	lines lineCounter
	// frames is the stack of open objects and arrays; frames[i] is reused by
	// every container at depth i.
	frames []frame
	depth  int
	dups   []DuplicateKey
	strs   *[internSize]string // interned dependency names and ranges
	arena  []byte              // unescaped object names
}

// frame is one open object or array.
type frame struct {
	array bool
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
	p.dec = jsontext.NewDecoder(bytes.NewBuffer(in), jsontext.AllowDuplicateNames(true))
	p.frames = make([]frame, 0, 8)
	return p
}

// wrap turns decoder errors into *SyntaxError; our own errors pass through.
func (p *parser) wrap(err error) error {
	var (
		se *SyntaxError
		fe *FieldError
		le *limitError
	)
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
	if bytes.IndexByte(name, '\\') >= 0 {
		start := len(p.arena)
		if p.arena, err = jsontext.AppendUnquote(p.arena, v); err != nil {
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
const maxDuplicates = 1000

func (p *parser) duplicate(name []byte, firstOff, secondOff int64) {
	if len(p.dups) >= maxDuplicates {
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

// field names a value for error messages without building the string
// unless an error is reported.
type field struct {
	section string // "packages", "dependencies" or "" for top-level fields
	path    string // install path of the entry
	name    string // field within the entry
}

func (w field) String() string {
	var b strings.Builder
	switch w.section {
	case "":
	case "dependencies":
		// v1: dependencies["a"].dependencies["b"]
		rest := w.path
		for i := 0; rest != ""; i++ {
			rest = strings.TrimPrefix(rest, "node_modules/")
			seg := rest
			if j := strings.Index(rest, "/node_modules/"); j >= 0 {
				seg, rest = rest[:j], rest[j+1:]
			} else {
				rest = ""
			}
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString("dependencies[")
			b.WriteString(strconv.Quote(seg))
			b.WriteByte(']')
		}
		if w.path == "" {
			b.WriteString("dependencies")
		}
	default:
		b.WriteString(w.section)
		b.WriteByte('[')
		b.WriteString(strconv.Quote(w.path))
		b.WriteByte(']')
	}
	if w.name != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(w.name)
	}
	return b.String()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "invalid JSON"
}

// typeError reports that the next value (of kind k) is not what field w
// needs. An invalid token is reported as the decoder's syntax error instead.
func (p *parser) typeError(w field, want string, k jsontext.Kind, line int) error {
	// PeekKind looks at one byte: make sure the value is valid JSON before
	// saying what type it has.
	if _, err := p.dec.ReadValue(); err != nil {
		return err
	}
	return &FieldError{File: p.file, Field: w.String(), Line: line, Msg: fmt.Sprintf("expected %s, got %s", want, kindName(k))}
}

// str reads a string value.
func (p *parser) str(w field, line int) (string, error) {
	b, err := p.strBytes(w, line)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// strBytes reads a string value; the result is valid until the next read.
func (p *parser) strBytes(w field, line int) ([]byte, error) {
	if k := p.dec.PeekKind(); k != '"' {
		return nil, p.typeError(w, "a string", k, line)
	}
	v, err := p.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	s := v[1 : len(v)-1]
	if bytes.IndexByte(s, '\\') >= 0 {
		return jsontext.AppendUnquote(nil, v)
	}
	return s, nil
}

// intern returns b as a string, sharing the copy among equal values:
// dependency names and ranges repeat thousands of times in a lockfile. It is
// a direct-mapped cache, cheaper than a map: a collision only costs an
// allocation.
func (p *parser) intern(b []byte) string {
	if len(b) > 64 {
		return string(b)
	}
	if p.strs == nil {
		p.strs = new([internSize]string)
	}
	slot := &p.strs[maphash.Bytes(keySeed, b)&(internSize-1)]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}

const internSize = 4096

// boolean reads a true or false value.
func (p *parser) boolean(w field, line int) (bool, error) {
	switch k := p.dec.PeekKind(); k {
	case 't', 'f':
		_, err := p.dec.ReadToken()
		return k == 't', err
	default:
		return false, p.typeError(w, "a boolean", k, line)
	}
}

// number reads a number value.
func (p *parser) number(w field, line int) (float64, error) {
	if k := p.dec.PeekKind(); k != '0' {
		return 0, p.typeError(w, "a number", k, line)
	}
	v, err := p.dec.ReadValue()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, err
	}
	return f, nil
}

// stringMap reads an object of strings (a dependencies-like map). When
// allowBool is set, boolean values are kept as "true"/"false" (v1 requires).
// An empty object gives nil.
func (p *parser) stringMap(w field, line int, allowBool bool) (map[string]string, error) {
	if k := p.dec.PeekKind(); k != '{' {
		return nil, p.typeError(w, "an object", k, line)
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	var m map[string]string
	for p.more() {
		name, off, _, _, err := p.key()
		if err != nil {
			return nil, err
		}
		key := p.intern(name)
		var val string
		switch k := p.dec.PeekKind(); {
		case k == '"':
			b, err := p.strBytes(w, line)
			if err != nil {
				return nil, err
			}
			val = p.intern(b)
		case allowBool && (k == 't' || k == 'f'):
			if _, err := p.dec.ReadToken(); err != nil {
				return nil, err
			}
			val = strconv.FormatBool(k == 't')
		default:
			want := "a string"
			if allowBool {
				want = "a string or boolean"
			}
			w2 := w
			w2.name += "[" + strconv.Quote(key) + "]"
			return nil, p.typeError(w2, want, k, p.lines.at(off))
		}
		if m == nil {
			m = make(map[string]string, 8)
		}
		m[key] = val
	}
	return m, p.end()
}

// stringList reads os/cpu: an array of strings, or one string.
func (p *parser) stringList(w field, line int) ([]string, error) {
	switch k := p.dec.PeekKind(); k {
	case '"':
		b, err := p.strBytes(w, line)
		if err != nil {
			return nil, err
		}
		return []string{p.intern(b)}, nil
	case '[':
		if err := p.beginArray(); err != nil {
			return nil, err
		}
		var out []string
		for p.more() {
			w2 := w
			w2.name += "[" + strconv.Itoa(len(out)) + "]"
			b, err := p.strBytes(w2, line)
			if err != nil {
				return nil, err
			}
			out = append(out, p.intern(b))
			p.next()
		}
		return out, p.end()
	default:
		return nil, p.typeError(w, "an array of strings", k, line)
	}
}

// license folds the `license` field into one string: a string as is; the
// old {"type": "MIT", "url": ...} object as its type; an array of those as
// "(A OR B)". Anything else is "" (real lockfiles carry all of these).
func (p *parser) license() (string, error) {
	switch p.dec.PeekKind() {
	case '"':
		b, err := p.strBytes(field{}, 0)
		if err != nil {
			return "", err
		}
		return p.intern(b), nil
	case '{':
		return p.licenseObject()
	case '[':
		if err := p.beginArray(); err != nil {
			return "", err
		}
		var parts []string
		for p.more() {
			var s string
			var err error
			switch p.dec.PeekKind() {
			case '"':
				var b []byte
				b, err = p.strBytes(field{}, 0)
				s = string(b)
			case '{':
				s, err = p.licenseObject()
			default:
				err = p.skip()
			}
			if err != nil {
				return "", err
			}
			if s != "" {
				parts = append(parts, s)
			}
			p.next()
		}
		if err := p.end(); err != nil {
			return "", err
		}
		switch len(parts) {
		case 0:
			return "", nil
		case 1:
			return parts[0], nil
		}
		return p.intern([]byte("(" + strings.Join(parts, " OR ") + ")")), nil
	default:
		return "", p.skip()
	}
}

// licenseObject reads {"type": "MIT", ...} and returns its type.
func (p *parser) licenseObject() (string, error) {
	if err := p.beginObject(); err != nil {
		return "", err
	}
	var typ string
	for p.more() {
		name, _, _, _, err := p.key()
		if err != nil {
			return "", err
		}
		if string(name) == "type" && p.dec.PeekKind() == '"' {
			b, err := p.strBytes(field{}, 0)
			if err != nil {
				return "", err
			}
			typ = p.intern(b)
			continue
		}
		if string(name) == "type" {
			typ = "" // last value wins, even when it is unusable
		}
		if err := p.skip(); err != nil {
			return "", err
		}
	}
	return typ, p.end()
}

// parse reads the top-level object.
func (p *parser) parse() (*Lockfile, error) {
	if k := p.dec.PeekKind(); k != '{' {
		return nil, p.typeError(field{name: "top level"}, "a JSON object", k, 1)
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	var (
		version     float64
		haveVersion bool
		versionLine int
		name, ver   string
		v3          *packagesResult
		v1          []*Package
		haveV1      bool
	)
	for p.more() {
		key, off, _, _, err := p.key()
		if err != nil {
			return nil, err
		}
		switch string(key) {
		case "lockfileVersion":
			versionLine = p.lines.at(off)
			if version, err = p.number(field{name: "lockfileVersion"}, versionLine); err != nil {
				return nil, err
			}
			haveVersion = true
		case "name":
			if name, err = p.str(field{name: "name"}, p.lines.at(off)); err != nil {
				return nil, err
			}
		case "version":
			if ver, err = p.str(field{name: "version"}, p.lines.at(off)); err != nil {
				return nil, err
			}
		case "packages":
			if v3, err = p.packages(p.lines.at(off)); err != nil {
				return nil, err
			}
		case "dependencies":
			// lockfileVersion 2 repeats the tree in v1 form for old npm
			// versions; when the version is known, do not build it.
			if haveVersion && version >= 2 {
				err = p.skip()
			} else {
				v1, err = p.v1(p.lines.at(off))
				haveV1 = true
			}
			if err != nil {
				return nil, err
			}
		default:
			if err := p.skip(); err != nil {
				return nil, err
			}
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if _, err := p.dec.ReadToken(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		line, col := p.lines.position(p.offset() - 1)
		return nil, &SyntaxError{File: p.file, Line: line, Column: col, Offset: p.offset() - 1, Msg: "invalid data after the top-level value"}
	}

	l := &Lockfile{File: p.file, Name: name, RootVersion: ver, Duplicates: p.dups}
	switch {
	case haveVersion:
		if version != math.Trunc(version) || version < 1 || version > 3 {
			return nil, &limitError{
				msg: fmt.Sprintf("%s: lockfileVersion %s is not supported (line %d)", p.file, strconv.FormatFloat(version, 'g', -1, 64), versionLine),
				err: ErrUnsupportedVersion,
			}
		}
		l.Version = int(version)
	case v3 != nil && haveV1:
		l.Version = 2
	case v3 != nil:
		l.Version = 3
	case haveV1:
		l.Version = 1
	default:
		return nil, &limitError{msg: p.file + ": not a lockfile: no lockfileVersion, packages or dependencies", err: ErrMalformed}
	}
	if l.Version == 1 {
		l.Packages = v1
	} else if v3 != nil {
		l.Packages = v3.pkgs
		if r := v3.root; r != nil {
			l.Root = r
			if r.Name != "" {
				l.Name = r.Name
			}
			if r.Version != "" {
				l.RootVersion = r.Version
			}
		}
	}
	finish(l)
	return l, nil
}

// finish drops entries replaced by a duplicate key, sorts by path, keeps the
// last of equal paths (possible only in crafted v1 files), fills link
// versions and builds the path index.
func finish(l *Lockfile) {
	pkgs := slices.DeleteFunc(l.Packages, func(p *Package) bool { return p == nil })
	less := func(a, b *Package) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(pkgs, less) {
		slices.SortStableFunc(pkgs, less)
	}
	out := pkgs[:0]
	for i, p := range pkgs {
		if i+1 < len(pkgs) && pkgs[i+1].Path == p.Path {
			continue
		}
		out = append(out, p)
	}
	clear(pkgs[len(out):])
	l.Packages = out
	l.index()
	for _, p := range l.Packages {
		if p.Link && p.Version == "" {
			if t := l.byPath[p.Resolved]; t != nil && !t.Link {
				p.Version = t.Version
			}
		}
	}
}
