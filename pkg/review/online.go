package review

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
)

// DefaultConcurrency bounds the online phase's parallel lookups.
const DefaultConcurrency = 16

// publicRegistry are the hosts of the public npm registry; their packages'
// names are public, so asking a mirror about them leaks nothing.
var publicRegistry = map[string]bool{"registry.npmjs.org": true, "registry.yarnpkg.com": true}

// lookup is one name@version to fetch and verify against one integrity.
type lookup struct {
	name, version, integrity string
}

// wanted returns the versions whose metadata the online checks need: the new
// version of every addition, update and re-resolved or re-hashed version, and
// the old version of every update (to compare maintainers, publisher and
// provenance). Only packages that come from the configured registry, or
// record no source, are looked up: a git, file or other-host package has no
// registry metadata, and an internal package's name must not leak to a
// public registry.
func wanted(cs *diff.Changes, reg Registry) []lookup {
	var out []lookup
	add := func(name, version string, nodes []*lockfile.Package) {
		for _, n := range nodes {
			if n.Link || n.Workspace {
				continue
			}
			switch n.Source.Kind {
			case lockfile.SourceMissing:
			case lockfile.SourceRegistry, lockfile.SourceHTTP:
				if !reg.SameOrigin(n.Source.URL) && !publicRegistry[n.Source.Host] {
					continue
				}
			default:
				continue
			}
			out = append(out, lookup{name, version, n.Integrity})
			return
		}
	}
	for i := range cs.List {
		c := &cs.List[i]
		switch c.Kind {
		case diff.Removed:
		case diff.Updated:
			add(c.Name, c.To, c.After)
			add(c.Name, c.From, c.Before)
		default:
			add(c.Name, c.To, c.After)
		}
	}
	return out
}

// metadata fetches and verifies every lookup with bounded concurrency. A
// failure is recorded in that version's VersionMeta.Err; it never aborts the
// review. It returns how many versions had no metadata.
func (r *Reviewer) metadata(ctx context.Context, lookups []lookup) (checks.Metadata, int) {
	n := r.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	meta := make(checks.Metadata, len(lookups))
	var mu sync.Mutex
	g := new(errgroup.Group)
	g.SetLimit(n)
	seen := map[string]bool{}
	for _, l := range lookups {
		key := checks.Key(l.name, l.version)
		if seen[key] {
			continue
		}
		seen[key] = true
		g.Go(func() error {
			m := r.fetch(ctx, l)
			mu.Lock()
			meta[key] = m
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	missing := 0
	for _, m := range meta {
		if m.Err != nil {
			missing++
		}
	}
	return meta, missing
}

// fetch gathers what the registry says about one version and verifies its
// attestations and signatures against the lockfile's integrity.
func (r *Reviewer) fetch(ctx context.Context, l lookup) *checks.VersionMeta {
	m := &checks.VersionMeta{}
	if err := ctx.Err(); err != nil {
		m.Err = err
		return m
	}
	// The manifest and the publish times are independent: fetch both at once.
	var times *registry.Times
	var errTimes error
	done := make(chan struct{})
	go func() {
		defer close(done)
		times, errTimes = r.Registry.PublishTimes(ctx, l.name)
	}()
	man, err := r.Registry.Manifest(ctx, l.name, l.version)
	<-done
	if err != nil {
		m.Err = fmt.Errorf("manifest: %w", err)
		return m
	}
	m.Manifest = man
	if errTimes != nil {
		m.Err = fmt.Errorf("publish times: %w", errTimes)
	} else {
		m.Published, m.Created = times.Versions[l.version], times.Created
	}
	// Whether the version has attestations is the registry's word, known
	// before (and whether or not) they can be verified.
	m.Attested = man.Dist.Attestations != nil
	if r.Verifier == nil {
		return m
	}
	if l.integrity == "" {
		if m.Attested {
			m.ProvenanceErr = errors.New("the lockfile records no integrity to bind the attestation to")
		}
		return m
	}
	want := provenance.Subject{Name: l.name, Version: l.version, Integrity: l.integrity, Repository: man.Repository.URL}
	if len(man.Dist.Signatures) > 0 {
		at := m.Published
		if at.IsZero() {
			at = r.now()
		}
		sigs := make([]provenance.Signature, len(man.Dist.Signatures))
		for i, s := range man.Dist.Signatures {
			sigs[i] = provenance.Signature{KeyID: s.KeyID, Sig: s.Sig}
		}
		m.SignatureKeyID, m.SignatureErr = r.Verifier.VerifySignatures(sigs, want, at)
	}
	if !m.Attested {
		return m
	}
	atts, err := r.Registry.Attestations(ctx, l.name, l.version)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		// The manifest promised attestations the registry does not serve
		// (a mirror that strips them): not verifiable, not invalid.
		m.Attested = false
		return m
	case err != nil:
		if m.Err == nil {
			m.Err = fmt.Errorf("attestations: %w", err)
		}
		return m
	}
	res := provenance.Result{}
	for _, a := range atts.Attestations {
		got, err := r.Verifier.VerifyBundle(a.Bundle, want)
		if err != nil {
			m.ProvenanceErr = fmt.Errorf("%s attestation: %w", a.PredicateType, err)
			return m
		}
		if got.Provenance != nil {
			res.Provenance = got.Provenance
		}
		if got.Publish != nil {
			res.Publish = got.Publish
		}
	}
	m.Provenance = &res
	return m
}

// problemText summarizes missing metadata for Result.Problems.
func problemText(meta checks.Metadata) string {
	var names []string
	for k, m := range meta {
		if m.Err != nil {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	count := len(names)
	if count > 5 {
		names = append(names[:5], fmt.Sprintf("and %d more", count-5))
	}
	return fmt.Sprintf("registry metadata not available for %d version(s) (%s): the online checks did not run for them", count, strings.Join(names, ", "))
}
