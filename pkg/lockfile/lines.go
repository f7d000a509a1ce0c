package lockfile

import (
	"bytes"
	"unicode/utf8"
)

// lineBlock is the granularity of the lazily built index that answers line
// queries for offsets behind the forward cursor (first occurrences of
// duplicate keys, error positions).
const lineBlock = 4096

// lineCounter maps byte offsets to 1-based line numbers. Parse asks for the
// lines of keys in input order, so the common case advances a cursor and
// counts only the bytes in between: the whole file is counted once.
type lineCounter struct {
	data []byte
	off  int // cursor: line is the line of data[off]
	line int
	// blocks[i] is the line of data[i*lineBlock]; built on first backward query.
	blocks []int
}

func newLineCounter(data []byte) *lineCounter {
	return &lineCounter{data: data, line: 1}
}

// at returns the line of data[off].
func (c *lineCounter) at(off int64) int {
	o := int(off)
	if o < 0 {
		o = 0
	}
	if o > len(c.data) {
		o = len(c.data)
	}
	if o >= c.off {
		c.line += bytes.Count(c.data[c.off:o], newline)
		c.off = o
		return c.line
	}
	if c.blocks == nil {
		c.blocks = make([]int, 0, len(c.data)/lineBlock+1)
		line := 1
		for i := 0; i < len(c.data); i += lineBlock {
			c.blocks = append(c.blocks, line)
			line += bytes.Count(c.data[i:min(i+lineBlock, len(c.data))], newline)
		}
		if len(c.blocks) == 0 {
			c.blocks = append(c.blocks, 1)
		}
	}
	b := o / lineBlock
	return c.blocks[b] + bytes.Count(c.data[b*lineBlock:o], newline)
}

// position returns the 1-based line and column (in runes) of data[off].
func (c *lineCounter) position(off int64) (line, col int) {
	o := int(min(max(off, 0), int64(len(c.data))))
	line = c.at(int64(o))
	start := bytes.LastIndexByte(c.data[:o], '\n') + 1
	return line, utf8.RuneCount(c.data[start:o]) + 1
}

var newline = []byte{'\n'}
