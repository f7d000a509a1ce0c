package checks

import (
	"time"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
)

// VersionMeta is what the registry, and provenance verification against the
// lockfile's integrity, said about one name@version. pkg/review fills it; the
// online checks read it. A nil *VersionMeta means nobody asked (offline).
type VersionMeta struct {
	// Err says why the metadata is not available (the registry failed,
	// timed out, or does not know the version). When set, the other fields
	// are whatever was obtained before the failure.
	Err error
	// Manifest is the version's manifest; nil when not available.
	Manifest *registry.Manifest
	// Published is when the version was published; Created when the
	// package's first version was. Zero when unknown.
	Published, Created time.Time
	// Attested: the registry lists attestations for this version.
	Attested bool
	// Provenance is the verified result; nil when there was nothing to
	// verify or verification failed (see ProvenanceErr).
	Provenance *provenance.Result
	// ProvenanceErr is why the attestations did not verify (wrapping
	// provenance.ErrInvalid), or why they could not be fetched.
	ProvenanceErr error
	// SignatureKeyID is the registry key that signed name@version:integrity;
	// SignatureErr why the registry signature did not verify. Both empty
	// when the manifest carries no signatures.
	SignatureKeyID string
	SignatureErr   error
}

// Metadata maps "name@version" to what is known about it.
type Metadata map[string]*VersionMeta

// Key returns the Metadata key of name@version.
func Key(name, version string) string { return name + "@" + version }

// of returns the metadata of a change's new and old versions (either nil).
func (m Metadata) of(c *diff.Change) (after, before *VersionMeta) {
	if m == nil {
		return nil, nil
	}
	if c.To != "" {
		after = m[Key(c.Name, c.To)]
	}
	if c.From != "" && c.Kind == diff.Updated {
		before = m[Key(c.Name, c.From)]
	}
	return after, before
}

// manifests returns both manifests when both are available.
func manifests(after, before *VersionMeta) (a, b *registry.Manifest, ok bool) {
	if after == nil || before == nil || after.Manifest == nil || before.Manifest == nil {
		return nil, nil, false
	}
	return after.Manifest, before.Manifest, true
}
