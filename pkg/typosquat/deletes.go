package typosquat

import (
	"encoding/binary"
	"errors"
	"slices"
	"sort"
)

// deletes is a symmetric-delete index: it holds a hash of every string that
// can be made from an indexed name by deleting up to depth characters. Two
// strings within Damerau-Levenshtein (optimal string alignment) distance depth
// share at least one such deletion variant, so a query only needs to hash its
// own variants and look them up; candidates are then verified exactly, which
// also discards hash collisions.
//
// Each entry packs the top 40 bits of the variant's hash with the 24-bit id of
// its name into one uint64, and the entries are kept sorted. Entries and
// bucket offsets are stored as little-endian bytes, so the index over the
// embedded list can be used straight from the binary (index.bin) without being
// built or copied at start-up.
type deletes struct {
	depth  int
	maxLen int // the longest indexed name; longer queries cannot be within depth
	// entries holds the sorted entries, 8 bytes each.
	entries []byte
	// bucket holds 1<<bucketBits+1 offsets, 4 bytes each: bucket[b] is the
	// index of the first entry whose top bucketBits bits are >= b, so a
	// lookup searches only its bucket (a few entries).
	bucket []byte
}

func (d *deletes) len() int            { return len(d.entries) / 8 }
func (d *deletes) entry(i int) uint64  { return binary.LittleEndian.Uint64(d.entries[8*i:]) }
func (d *deletes) offset(b uint64) int { return int(binary.LittleEndian.Uint32(d.bucket[4*b:])) }

const bucketBits = 16

const (
	idBits = 24
	idMask = 1<<idBits - 1
)

func newDeletes(names []string, ids []int32, depth int) deletes {
	d := deletes{depth: depth}
	n := 0
	for _, id := range ids {
		l := len(names[id])
		n += 1 + l
		if depth >= 2 {
			n += l * (l - 1) / 2
		}
		d.maxLen = max(d.maxLen, l)
	}
	raw := make([]uint64, 0, n)
	for _, id := range ids {
		eachVariant(names[id], depth, func(h uint64) {
			raw = append(raw, h&^idMask|uint64(id)&idMask)
		})
	}
	return d.fill(raw)
}

// fill sorts raw entries into d. A counting sort on the top bucketBits bits
// yields the bucket index for free; each bucket holds a handful of entries,
// sorted in place: several times faster than sorting the whole slice.
func (d deletes) fill(raw []uint64) deletes {
	bucket := make([]uint32, 1<<bucketBits+1)
	for _, e := range raw {
		bucket[e>>(64-bucketBits)+1]++
	}
	for b := 1; b <= 1<<bucketBits; b++ {
		bucket[b] += bucket[b-1]
	}
	sorted := make([]uint64, len(raw))
	next := make([]uint32, 1<<bucketBits)
	copy(next, bucket[:1<<bucketBits])
	for _, e := range raw {
		b := e >> (64 - bucketBits)
		sorted[next[b]] = e
		next[b]++
	}
	// Sort and deduplicate each bucket, compacting as we go.
	w := 0
	for b := 0; b < 1<<bucketBits; b++ {
		lo, hi := bucket[b], bucket[b+1]
		part := sorted[lo:hi]
		slices.Sort(part)
		bucket[b] = uint32(w)
		for i, e := range part {
			if i > 0 && e == part[i-1] {
				continue
			}
			sorted[w] = e
			w++
		}
	}
	bucket[1<<bucketBits] = uint32(w)
	d.entries = make([]byte, 8*w)
	for i, e := range sorted[:w] {
		binary.LittleEndian.PutUint64(d.entries[8*i:], e)
	}
	d.bucket = make([]byte, 4*len(bucket))
	for i, o := range bucket {
		binary.LittleEndian.PutUint32(d.bucket[4*i:], o)
	}
	return d
}

// appendBinary appends d in index.bin's layout: depth (1 byte), maxLen and
// the entry count (4 bytes each, little-endian), the entries, the buckets.
func (d *deletes) appendBinary(b []byte) []byte {
	b = append(b, byte(d.depth))
	b = binary.LittleEndian.AppendUint32(b, uint32(d.maxLen))
	b = binary.LittleEndian.AppendUint32(b, uint32(d.len()))
	b = append(b, d.entries...)
	return append(b, d.bucket...)
}

// readDeletes reads one index written by appendBinary from the start of b,
// without copying, and returns the rest of b.
func readDeletes(b []byte) (deletes, []byte, error) {
	const head = 9
	bucketSize := 4 * (1<<bucketBits + 1)
	if len(b) < head {
		return deletes{}, nil, errors.New("deletes index: truncated header")
	}
	d := deletes{depth: int(b[0]), maxLen: int(binary.LittleEndian.Uint32(b[1:]))}
	n := int(binary.LittleEndian.Uint32(b[5:]))
	if len(b) < head+8*n+bucketSize {
		return deletes{}, nil, errors.New("deletes index: truncated")
	}
	d.entries = b[head : head+8*n : head+8*n]
	d.bucket = b[head+8*n : head+8*n+bucketSize : head+8*n+bucketSize]
	return d, b[head+8*n+bucketSize:], nil
}

// candidates returns the ids of indexed names that share a deletion variant
// with q, without duplicates.
func (d *deletes) candidates(q string) []int32 {
	if d.len() == 0 || len(q) > d.maxLen+d.depth {
		return nil
	}
	var out []int32
	eachVariant(q, d.depth, func(h uint64) {
		d.lookup(h, func(id int32) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		})
	})
	return out
}

// lookup calls fn with the id of every entry whose hash is h.
func (d *deletes) lookup(h uint64, fn func(id int32)) {
	h &^= idMask
	top := h >> (64 - bucketBits)
	lo, hi := d.offset(top), d.offset(top+1)
	i := lo + sort.Search(hi-lo, func(i int) bool { return d.entry(lo+i) >= h })
	for ; i < hi && d.entry(i)&^idMask == h; i++ {
		fn(int32(d.entry(i) & idMask))
	}
}

// eachVariant calls fn with the hash of s and of every string made from s by
// deleting up to depth (1 or 2) characters. Variants that are the same string
// may be reported more than once.
func eachVariant(s string, depth int, fn func(uint64)) {
	fn(hashSkip(s, -1, -1))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue // deleting either of two equal neighbours gives the same string
		}
		fn(hashSkip(s, i, -1))
		if depth < 2 {
			continue
		}
		for j := i + 1; j < len(s); j++ {
			if j > i+1 && s[j] == s[j-1] {
				continue
			}
			fn(hashSkip(s, i, j))
		}
	}
}

// hashSkip is 64-bit FNV-1a over s without the bytes at positions i and j.
func hashSkip(s string, i, j int) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for k := 0; k < len(s); k++ {
		if k == i || k == j {
			continue
		}
		h ^= uint64(s[k])
		h *= prime
	}
	return h
}

// keyed maps a key to the ids it was computed from, as a map[string][]int32
// would, stored like deletes (sorted hash|id entries) so that Default's come
// prebuilt from index.bin instead of being built at every start. get checks
// every candidate with keyOf, so a hash collision never returns a wrong id.
type keyed struct {
	d     deletes
	keyOf func(id int32) string
}

// newKeyed indexes ids[i] under keys[i]; empty keys are left out.
func newKeyed(keys []string, ids []int32, keyOf func(int32) string) keyed {
	raw := make([]uint64, 0, len(keys))
	for i, k := range keys {
		if k != "" {
			raw = append(raw, hashSkip(k, -1, -1)&^idMask|uint64(ids[i])&idMask)
		}
	}
	return keyed{d: deletes{}.fill(raw), keyOf: keyOf}
}

// get returns the ids indexed under key, in ascending order.
func (k *keyed) get(key string) []int32 {
	if key == "" {
		return nil
	}
	var out []int32
	k.d.lookup(hashSkip(key, -1, -1), func(id int32) {
		if k.keyOf(id) == key {
			out = append(out, id)
		}
	})
	return out
}
