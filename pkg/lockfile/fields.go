package lockfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

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

// deps reads an object of strings (a dependencies-like map) into the
// current entry's declared dependencies of type t, which start at
// p.deps[from]. When allowBool is set, boolean values are kept as
// "true"/"false" (v1 requires). A repeated field replaces the earlier one,
// and a repeated name keeps its last range, as in JSON.parse.
func (p *parser) depMap(w field, allowBool bool, t DepType, from int) error {
	if k := p.dec.PeekKind(); k != '{' {
		return p.typeError(w, "an object", k, 0)
	}
	if slices.ContainsFunc(p.deps[from:], func(d Dep) bool { return d.Type == t }) {
		kept := slices.DeleteFunc(p.deps[from:], func(d Dep) bool { return d.Type == t })
		p.deps = p.deps[:from+len(kept)]
	}
	if err := p.beginObject(); err != nil {
		return err
	}
	start := len(p.deps)
	var slot []int32 // member position -> index in p.deps, once a name repeats
	for p.more() {
		name, off, first, pos, err := p.key()
		if err != nil {
			return err
		}
		key := p.intern(name)
		var val string
		switch k := p.dec.PeekKind(); {
		case k == '"':
			b, err := p.strBytes(w, 0)
			if err != nil {
				return err
			}
			val = p.intern(b)
		case allowBool && (k == 't' || k == 'f'):
			if _, err := p.dec.ReadToken(); err != nil {
				return err
			}
			val = strconv.FormatBool(k == 't')
		default:
			want := "a string"
			if allowBool {
				want = "a string or boolean"
			}
			w2 := w
			w2.name += "[" + strconv.Quote(key) + "]"
			return p.typeError(w2, want, k, p.lines.at(off))
		}
		if first >= 0 {
			if slot == nil {
				// Until now every member appended one dependency.
				slot = make([]int32, pos, pos+8)
				for i := range slot {
					slot[i] = int32(start + i)
				}
			}
			p.deps[slot[first]].Spec = val
			slot = append(slot, slot[first])
			continue
		}
		if slot != nil {
			slot = append(slot, int32(len(p.deps)))
		}
		p.deps = append(p.deps, Dep{Name: key, Spec: val, Type: t})
	}
	return p.end()
}

// takeDeps returns the current entry's dependencies (p.deps[from:]) sorted,
// in a slice of their own, and pops them.
func (p *parser) takeDeps(from int) Deps {
	list := p.deps[from:]
	if len(list) == 0 {
		return nil
	}
	if !slices.IsSortedFunc(list, compareDeps) {
		slices.SortStableFunc(list, compareDeps)
	}
	out := make(Deps, len(list))
	copy(out, list)
	clear(list)
	p.deps = p.deps[:from]
	return out
}

// binNames reads `bin`: an object of command name → file, as npm writes it,
// or a string (then the command is the package's name, filled in by the
// caller: str is true). The names come back sorted, each once.
func (p *parser) binNames(w field) (names []string, str bool, err error) {
	switch k := p.dec.PeekKind(); k {
	case '"':
		_, err := p.strBytes(w, 0)
		return nil, true, err
	case '{':
		if err := p.beginObject(); err != nil {
			return nil, false, err
		}
		for p.more() {
			name, off, _, _, err := p.key()
			if err != nil {
				return nil, false, err
			}
			key := p.intern(name)
			w2 := w
			w2.name += "[" + strconv.Quote(key) + "]"
			target, err := p.strBytes(w2, 0)
			if err != nil {
				return nil, false, p.withLine(err, off)
			}
			// npm drops a command whose target is empty once normalized
			// ("", "/", ".."), and keeps any other.
			if cmd := BinName(key); cmd != "" && path.Join("/", strings.ReplaceAll(string(target), "\\", "/")) != "/" {
				names = append(names, cmd)
			}
		}
		if err := p.end(); err != nil {
			return nil, false, err
		}
		slices.Sort(names)
		return slices.Compact(names), false, nil
	default:
		return nil, false, p.typeError(w, "an object or a string", k, 0)
	}
}

// scriptNames reads a `scripts` value: the names of an object's members,
// sorted; any other value is skipped (npm runs nothing from it) and reads
// as an empty, non-nil list so that the field's presence is kept.
func (p *parser) scriptNames() ([]string, error) {
	if p.dec.PeekKind() != '{' {
		return []string{}, p.skip()
	}
	if err := p.beginObject(); err != nil {
		return nil, err
	}
	names := []string{}
	for p.more() {
		name, _, _, _, err := p.key()
		if err != nil {
			return nil, err
		}
		names = append(names, p.intern(name))
		if err := p.skip(); err != nil {
			return nil, err
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// isInstallScript reports whether npm runs a script of this name when it
// installs a package.
func isInstallScript(name string) bool {
	return name == "preinstall" || name == "install" || name == "postinstall"
}

// BinName is the command npm links for a `bin` key, normalized as npm does
// before linking (npm-normalize-package-bin): "\\" and ":" read as "/", and
// only the last segment counts, so "sub/node", "a:node" and "a\\node" all
// install "node". It is "" for a key npm drops ("", ".", "..").
func BinName(key string) string {
	key = strings.NewReplacer("\\", "/", ":", "/").Replace(key)
	return path.Join("/", path.Base(key))[1:]
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
