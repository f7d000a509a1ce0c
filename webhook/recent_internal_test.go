package webhook

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRecentSet(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := newRecentSet(3, time.Hour)
	s.now = func() time.Time { return now }
	for _, id := range []string{"a", "b", "c"} {
		if !s.Add(id) {
			t.Fatalf("Add(%q) = false for a new id", id)
		}
	}
	if s.Add("a") {
		t.Error("Add(a) twice = true")
	}
	s.Add("d") // evicts a, the oldest
	if s.Contains("a") || !s.Contains("d") || s.Len() != 3 {
		t.Errorf("after eviction: a=%v d=%v len=%d", s.Contains("a"), s.Contains("d"), s.Len())
	}
	s.Remove("b")
	if !s.Add("b") {
		t.Error("Add after Remove = false")
	}
	now = now.Add(time.Hour)
	if !s.Add("c") {
		t.Error("Add after the TTL = false")
	}
}

func TestRecentSetPersists(t *testing.T) {
	dir := t.TempDir()
	now := time.Unix(1_700_000_000, 0)
	open := func() *recentSet {
		s := newRecentSet(4, time.Hour)
		s.now = func() time.Time { return now }
		if err := s.openRecentLog(dir); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	for i := range 20 { // several compactions
		s.Add(fmt.Sprintf("id-%d", i))
	}
	s.Remove("id-18")
	must(t, s.Close())

	s = open()
	if !s.Contains("id-19") || s.Contains("id-18") || s.Contains("id-10") {
		t.Errorf("after restart: id-19 %v (want true), id-18 %v, id-10 %v (want false)", s.Contains("id-19"), s.Contains("id-18"), s.Contains("id-10"))
	}
	if s.Add("id-19") {
		t.Error("a delivery seen before the restart was taken again")
	}
	must(t, s.Close())

	// Expired entries are not loaded; a torn last line is skipped.
	f, err := os.OpenFile(filepath.Join(dir, recentLogName), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	fmt.Fprintf(f, "%d id-torn", now.Unix())
	f.Close()
	now = now.Add(2 * time.Hour)
	s = open()
	defer s.Close()
	if s.Len() != 0 {
		t.Errorf("%d entries survived their TTL", s.Len())
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
