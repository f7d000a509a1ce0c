package typosquat

import (
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
// its name into one uint64, and the entries are kept sorted: 8 bytes an entry,
// one allocation, and a plain integer sort to build.
type deletes struct {
	depth   int
	maxLen  int // the longest indexed name; longer queries cannot be within depth
	entries []uint64
	// bucket[b] is the index of the first entry whose top bucketBits bits are
	// >= b, so a lookup searches only its bucket (a few entries).
	bucket []uint32
}

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
	// A counting sort on the top bucketBits bits yields the bucket index for
	// free; each bucket holds a handful of entries, sorted in place. This is
	// several times faster than sorting the whole slice, and the index is
	// built at every process start.
	d.bucket = make([]uint32, 1<<bucketBits+1)
	for _, e := range raw {
		d.bucket[e>>(64-bucketBits)+1]++
	}
	for b := 1; b <= 1<<bucketBits; b++ {
		d.bucket[b] += d.bucket[b-1]
	}
	sorted := make([]uint64, len(raw))
	next := make([]uint32, 1<<bucketBits)
	copy(next, d.bucket[:1<<bucketBits])
	for _, e := range raw {
		b := e >> (64 - bucketBits)
		sorted[next[b]] = e
		next[b]++
	}
	// Sort and deduplicate each bucket, compacting as we go.
	w := 0
	for b := 0; b < 1<<bucketBits; b++ {
		lo, hi := d.bucket[b], d.bucket[b+1]
		part := sorted[lo:hi]
		slices.Sort(part)
		d.bucket[b] = uint32(w)
		for i, e := range part {
			if i > 0 && e == part[i-1] {
				continue
			}
			sorted[w] = e
			w++
		}
	}
	d.bucket[1<<bucketBits] = uint32(w)
	d.entries = slices.Clip(sorted[:w])
	return d
}

// candidates returns the ids of indexed names that share a deletion variant
// with q, without duplicates.
func (d *deletes) candidates(q string) []int32 {
	if len(d.entries) == 0 || len(q) > d.maxLen+d.depth {
		return nil
	}
	var out []int32
	eachVariant(q, d.depth, func(h uint64) {
		h &^= idMask
		top := h >> (64 - bucketBits)
		lo, hi := int(d.bucket[top]), int(d.bucket[top+1])
		i := lo + sort.Search(hi-lo, func(i int) bool { return d.entries[lo+i] >= h })
		for ; i < hi && d.entries[i]&^idMask == h; i++ {
			id := int32(d.entries[i] & idMask)
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	})
	return out
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
