package webhook

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// recentSet remembers strings for a while: at most max of them, each for at
// most ttl. It is a ring in insertion order plus an index, so adding,
// looking up and forgetting are O(1) and memory is bounded whatever the
// delivery rate. Safe for concurrent use.
type recentSet struct {
	mu   sync.Mutex
	ttl  time.Duration
	now  func() time.Time
	ring []recentEntry
	head int // index of the oldest entry
	n    int // entries in the ring
	at   map[string]time.Time

	// log, when set, persists additions and removals (see openRecentLog).
	log      *os.File
	logPath  string
	logLines int
}

type recentEntry struct {
	key string
	at  time.Time
}

func newRecentSet(max int, ttl time.Duration) *recentSet {
	if max < 1 {
		panic("webhook: recentSet needs a positive size")
	}
	return &recentSet{ttl: ttl, now: time.Now, ring: make([]recentEntry, max), at: make(map[string]time.Time, max)}
}

// Add records key and reports whether it was new (not seen within the TTL).
func (s *recentSet) Add(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if _, ok := s.at[key]; ok {
		return false
	}
	s.insert(key, now)
	s.persist(now, key)
	return true
}

// Contains reports whether key was added within the TTL.
func (s *recentSet) Contains(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.at[key]
	return ok && s.now().Sub(at) < s.ttl
}

// Remove forgets key, so a later Add of it is new again.
func (s *recentSet) Remove(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.at[key]; !ok {
		return
	}
	delete(s.at, key)
	s.persist(s.now(), "-"+key)
}

// Len returns the number of keys remembered.
func (s *recentSet) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}

func (s *recentSet) insert(key string, at time.Time) {
	if s.n == len(s.ring) {
		s.evictOldest()
	}
	s.ring[(s.head+s.n)%len(s.ring)] = recentEntry{key, at}
	s.n++
	s.at[key] = at
}

func (s *recentSet) evictOldest() {
	e := s.ring[s.head]
	// A removed and re-added key has a newer time in the index: keep it.
	if at, ok := s.at[e.key]; ok && at.Equal(e.at) {
		delete(s.at, e.key)
	}
	s.ring[s.head] = recentEntry{}
	s.head = (s.head + 1) % len(s.ring)
	s.n--
}

func (s *recentSet) expire(now time.Time) {
	for s.n > 0 && now.Sub(s.ring[s.head].at) >= s.ttl {
		s.evictOldest()
	}
}

// The persistence log is one line per event: "<unix seconds> <key>" for an
// addition, "<unix seconds> -<key>" for a removal. Keys never contain spaces
// or newlines (validDeliveryID). It is replayed at start-up and rewritten
// when it grows to twice the set's size.
const recentLogName = "deliveries.log"

// openRecentLog loads what dir's log remembers (still within the TTL) and
// keeps the log open for appending. The caller closes the set with Close.
func (s *recentSet) openRecentLog(dir string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	s.logPath = filepath.Join(dir, recentLogName)
	f, err := os.Open(s.logPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("delivery log: %w", err)
	default:
		now := s.now()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			secs, key, ok := strings.Cut(sc.Text(), " ")
			n, err := strconv.ParseInt(secs, 10, 64)
			if !ok || err != nil || key == "" {
				continue // a torn last line after a crash
			}
			at := time.Unix(n, 0)
			if removed, ok := strings.CutPrefix(key, "-"); ok {
				delete(s.at, removed)
				continue
			}
			if now.Sub(at) >= s.ttl {
				continue
			}
			if _, dup := s.at[key]; !dup {
				s.insert(key, at)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return fmt.Errorf("delivery log: %w", err)
		}
	}
	return s.rewrite()
}

// rewrite replaces the log with the set's current content. s.mu is held.
func (s *recentSet) rewrite() error {
	if s.log != nil {
		s.log.Close()
		s.log = nil
	}
	tmp := s.logPath + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("delivery log: %w", err)
	}
	w := bufio.NewWriter(f)
	lines := 0
	for i := 0; i < s.n; i++ {
		e := s.ring[(s.head+i)%len(s.ring)]
		if at, ok := s.at[e.key]; ok && at.Equal(e.at) {
			fmt.Fprintf(w, "%d %s\n", e.at.Unix(), e.key)
			lines++
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("delivery log: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("delivery log: %w", err)
	}
	if err := os.Rename(tmp, s.logPath); err != nil {
		return fmt.Errorf("delivery log: %w", err)
	}
	s.log, err = os.OpenFile(s.logPath, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("delivery log: %w", err)
	}
	s.logLines = lines
	return nil
}

// persist appends one line; s.mu is held. Persistence is best effort: a
// failed write loses only redelivery protection across a restart, so it
// turns the log off rather than failing deliveries.
func (s *recentSet) persist(now time.Time, line string) {
	if s.log == nil {
		return
	}
	if _, err := fmt.Fprintf(s.log, "%d %s\n", now.Unix(), line); err != nil {
		s.log.Close()
		s.log = nil
		return
	}
	s.logLines++
	if s.logLines > 2*len(s.ring) {
		if err := s.rewrite(); err != nil {
			s.log = nil
		}
	}
}

// Close closes the persistence log, if any.
func (s *recentSet) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return nil
	}
	err := s.log.Close()
	s.log = nil
	return err
}
