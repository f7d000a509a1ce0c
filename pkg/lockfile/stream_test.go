package lockfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// sameParse checks that ParseReader gives what Parse gives on data, through
// a re-readable reader and through one that delivers a byte at a time.
func sameParse(t *testing.T, name string, data []byte, opts ...lockfile.Option) {
	t.Helper()
	want, wantErr := lockfile.Parse(name, data, opts...)
	readers := []struct {
		what string
		r    io.Reader
	}{
		{"bytes.Reader", bytes.NewReader(data)},
		{"one byte at a time", trickle(data)},
		{"strings.Reader after a prefix", readAfter(t, strings.NewReader("skipped\n"+string(data)), len("skipped\n"))},
	}
	for _, rd := range readers {
		got, err := lockfile.ParseReader(name, rd.r, opts...)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: ParseReader error %v, Parse error %v", rd.what, err, wantErr)
		}
		if err != nil {
			if got != nil {
				t.Fatalf("%s: ParseReader returned a Lockfile and an error", rd.what)
			}
			compareErrors(t, rd.what, err, wantErr, rd.what != "one byte at a time")
			continue
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(lockfile.Lockfile{}), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s: ParseReader differs from Parse (-Parse +ParseReader):\n%s", rd.what, diff)
		}
	}
}

// trickle returns a reader of data that cannot re-read it and delivers a
// byte at a time (small inputs) or 7 bytes at a time (large ones, which a
// byte at a time would make slow under the race detector).
func trickle(data []byte) io.Reader {
	if len(data) <= 64<<10 {
		return iotest.OneByteReader(bytes.NewReader(data))
	}
	return &chunks{data: data, n: 7}
}

type chunks struct {
	data []byte
	n    int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[n:]
	return n, nil
}

// readAfter consumes n bytes of r, so that r's position is not its start.
func readAfter(t *testing.T, r *strings.Reader, n int) io.Reader {
	t.Helper()
	if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
		t.Fatal(err)
	}
	return r
}

func compareErrors(t *testing.T, what string, got, want error, exact bool) {
	t.Helper()
	for _, sentinel := range []error{lockfile.ErrInvalid, lockfile.ErrMalformed, lockfile.ErrTooLarge, lockfile.ErrTooDeep, lockfile.ErrUnsupportedVersion} {
		if errors.Is(got, sentinel) != errors.Is(want, sentinel) {
			t.Fatalf("%s: errors.Is(%v, %v) differs from Parse's %v", what, got, sentinel, want)
		}
	}
	var gs, ws *lockfile.SyntaxError
	if errors.As(want, &ws) {
		if !errors.As(got, &gs) {
			t.Fatalf("%s: error %v, Parse gave a SyntaxError %v", what, got, want)
		}
		if gs.Line != ws.Line || gs.Offset != ws.Offset || gs.File != ws.File {
			t.Fatalf("%s: SyntaxError %+v, Parse %+v", what, gs, ws)
		}
		if exact && gs.Column != ws.Column {
			t.Fatalf("%s: SyntaxError %+v, Parse %+v", what, gs, ws)
		}
		// The decoder may see only part of an invalid character when it
		// ends its buffer, so the text a message quotes may differ (and a
		// byte-at-a-time reader shows it even less).
		if exact && quoted.ReplaceAllString(gs.Msg, "…") != quoted.ReplaceAllString(ws.Msg, "…") {
			t.Fatalf("%s: SyntaxError %+v, Parse %+v", what, gs, ws)
		}
		return
	}
	if errors.Is(want, lockfile.ErrTooLarge) {
		return // Parse knows the size up front; the messages differ
	}
	if got.Error() != want.Error() {
		t.Fatalf("%s: error %q, Parse %q", what, got, want)
	}
}

// quoted matches the text an error message quotes: 'x', "x", or `x` (an
// escape sequence, which a buffer's end can cut as well).
var quoted = regexp.MustCompile("'(\\\\.|[^'])*'|\"(\\\\.|[^\"])*\"|`[^`]*`")

func TestParseReaderMatchesParse(t *testing.T) {
	files, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := filepath.Glob("testdata/fuzz/FuzzParse/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if fi, err := os.Stat(file); err != nil || fi.IsDir() || strings.HasSuffix(file, ".md") {
			continue
		}
		data := readFixture(t, filepath.Base(file))
		t.Run(filepath.Base(file), func(t *testing.T) { sameParse(t, "x.json", data) })
	}
	// The fuzz corpus holds every shape of broken input the fuzzer found
	// interesting: truncations, bad UTF-8, duplicates, depth.
	for _, file := range corpus {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in, ok := fuzzInput(data)
		if !ok {
			continue
		}
		sameParse(t, "fuzz.json", in, lockfile.WithMaxDepth(64))
	}
	for name, in := range map[string]string{
		"empty":           "",
		"blank":           " \n\t ",
		"bom only":        "\xef\xbb\xbf",
		"bom and object":  "\xef\xbb\xbf{\"lockfileVersion\": 3, \"packages\": {}}",
		"two bytes":       "{}",
		"truncated":       "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": {\"version\": \"1",
		"trailing data":   "{\"lockfileVersion\": 3, \"packages\": {}} x",
		"bad utf-8 later": "{\"lockfileVersion\": 3,\n \"packages\": {\"node_modules/\xe9\": {}}}",
		"duplicate":       "{\"lockfileVersion\": 3,\n \"packages\": {\"node_modules/a\": {},\n\"node_modules/a\": {}}}",
		"escaped names":   "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/\\u0061\": {\"version\": \"1\"}, \"node_modules/a\": {\"\\u0076ersion\": \"2\"}}}",
		"non-ascii line":  "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/é\": {\"version\": 1}}}",
	} {
		t.Run(name, func(t *testing.T) { sameParse(t, "x.json", []byte(in)) })
	}
}

// fuzzInput decodes a `go test fuzz v1` corpus file holding one []byte.
func fuzzInput(file []byte) ([]byte, bool) {
	lines := strings.SplitN(string(file), "\n", 3)
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "[]byte(") {
		return nil, false
	}
	lit := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
	s, err := strconv.Unquote(lit)
	if err != nil {
		return nil, false
	}
	return []byte(s), true
}

// TestParseReaderFarLines covers lines asked for far behind the reading
// position (a duplicate key whose first occurrence is hundreds of kilobytes
// back), errors deep in a one-line file with multi-byte characters, and the
// file and pipe readers the CLI hands over.
func TestParseReaderFarLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1.0.0\"},\n")
	// 3,000 entries of about 220 bytes: the first "node_modules/a" is
	// farther back than the bytes ParseReader keeps uncounted.
	for i := range 3000 {
		fmt.Fprintf(&b, "    \"node_modules/p%d\": {\"version\": \"1.0.%d\", \"license\": \"MIT\", \"resolved\": \"https://registry.npmjs.org/p%d/-/p%d-1.0.%d.tgz\", \"integrity\": \"sha512-%s\"},\n", i, i, i, i, i, strings.Repeat("A", 86))
	}
	b.WriteString("    \"node_modules/a\": {\"version\": \"2.0.0\"}\n  }\n}\n")
	dup := []byte(b.String())
	oneLine := []byte(`{"lockfileVersion": 3, "packages": {"node_modules/é": {"license": "ünïcode"},` + strings.Repeat(`"node_modules/ü": {},`, 5000) + `"node_modules/x": {"version": 1}}}`)
	for name, data := range map[string][]byte{"duplicate far apart": dup, "one-line error": oneLine} {
		t.Run(name, func(t *testing.T) {
			sameParse(t, "x.json", data)
			path := filepath.Join(t.TempDir(), "lock.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			want, wantErr := lockfile.Parse("x.json", data)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := lockfile.ParseReader("x.json", f)
			if wantErr != nil {
				compareErrors(t, "os.File", err, wantErr, true)
			} else if err != nil {
				t.Fatal(err)
			} else if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(lockfile.Lockfile{}), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("os.File: ParseReader differs from Parse:\n%s", diff)
			}
			// A pipe cannot be re-read: lines come from the newline list.
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = pw.Write(data); pw.Close() }()
			got, err = lockfile.ParseReader("x.json", pr)
			pr.Close()
			if wantErr != nil {
				compareErrors(t, "pipe", err, wantErr, false)
			} else if err != nil {
				t.Fatal(err)
			} else if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(lockfile.Lockfile{}), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("pipe: ParseReader differs from Parse:\n%s", diff)
			}
		})
	}
	l, err := lockfile.Parse("x.json", dup)
	if err != nil || len(l.Duplicates) != 1 || l.Duplicates[0].FirstLine != 4 || l.Duplicates[0].SecondLine != 3005 {
		t.Fatalf("Parse of the far duplicate: %v, %+v; want one duplicate at lines 4 and 3005", err, l.Duplicates)
	}
}

func TestParseReaderLimits(t *testing.T) {
	data := readFixture(t, "v3-octokit-webhooks-license-change-head.json")
	_, err := lockfile.ParseReader("big.json", bytes.NewReader(data), lockfile.WithMaxSize(1000))
	if !errors.Is(err, lockfile.ErrTooLarge) || !strings.HasPrefix(err.Error(), "big.json: ") {
		t.Errorf("ParseReader over the size limit: %v, want ErrTooLarge naming the file", err)
	}
	readErr := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(data[:500]), iotest.ErrReader(readErr))
	_, err = lockfile.ParseReader("broken.json", r)
	if !errors.Is(err, readErr) || !strings.HasPrefix(err.Error(), "broken.json: ") {
		t.Errorf("ParseReader on a failing reader: %v, want the read error naming the file", err)
	}
	if errors.Is(err, lockfile.ErrInvalid) {
		t.Errorf("a read error %v is reported as invalid input", err)
	}
}

// FuzzParseReader checks that streaming parses exactly as Parse does.
func FuzzParseReader(f *testing.F) {
	f.Add([]byte(`{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1"}}}`))
	f.Add([]byte("\xef\xbb\xbf{\"packages\": {\"node_modules/\\u0061\": {}, \"node_modules/a\": {}}}"))
	f.Add([]byte(`{"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": {"b": {}}}, "a": {}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameParse(t, "fuzz.json", data, lockfile.WithMaxDepth(64))
	})
}
