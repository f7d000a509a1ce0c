package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Attestations is the registry's answer for one version's attestations.
type Attestations struct {
	Attestations []Attestation
}

// Attestation is one attestation: its in-toto predicate type
// ("https://slsa.dev/provenance/v0.2", "https://slsa.dev/provenance/v1",
// "https://github.com/npm/attestation/tree/main/specs/publish/v0.1") and the
// Sigstore bundle, unverified, for pkg/provenance.
type Attestation struct {
	PredicateType string
	Bundle        json.RawMessage
}

// Attestations returns the attestations published with name@version.
//
// It fetches GET /-/npm/v1/attestations/{package}@{version}, with a scoped
// name written @scope%2fname, as the registry writes dist.attestations.url
// and as pacote requests it (the path of that URL, on the configured
// registry, in https://github.com/npm/pacote/blob/main/lib/registry.js).
// The registry documents attestations, not this endpoint's shape, at
// https://docs.npmjs.com/generating-provenance-statements
//
// A version published without attestations answers 404: [ErrNotFound].
// Attestations are written at publish time, so a result is kept until
// evicted; a 404 for [NegativeTTL], in case a mirror is behind. Concurrent
// calls for one name@version share one request. Errors are as for
// [Client.Manifest]. Safe for concurrent use.
func (c *Client) Attestations(ctx context.Context, name, version string) (*Attestations, error) {
	spec := name + "@" + version
	if err := validateName(name); err != nil {
		return nil, fmt.Errorf("attestations of %q: %w", spec, err)
	}
	if err := validateVersion(version); err != nil {
		return nil, fmt.Errorf("attestations of %q: %w", spec, err)
	}
	v, err := c.cached(ctx, "attestations\x00"+spec, immutableTTL, func(ctx context.Context) (any, error) {
		var a *Attestations
		err := c.get(ctx, KindAttestations, attestationsPath(name, version), c.cfg.maxBody, func(r io.Reader) error {
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			a, err = decodeAttestations(data)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("attestations of %q: %w", spec, err)
		}
		return a, nil
	})
	if err != nil {
		return nil, err
	}
	a := v.(*Attestations)
	out := &Attestations{Attestations: make([]Attestation, len(a.Attestations))}
	for i, at := range a.Attestations {
		out.Attestations[i] = Attestation{PredicateType: at.PredicateType, Bundle: bytes.Clone(at.Bundle)}
	}
	return out, nil
}

func decodeAttestations(data []byte) (*Attestations, error) {
	var w struct {
		Attestations *[]struct {
			PredicateType string         `json:"predicateType"`
			Bundle        jsontext.Value `json:"bundle"`
		} `json:"attestations"`
	}
	if err := jsonv2.Unmarshal(data, &w, unmarshalOpts); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if w.Attestations == nil {
		return nil, fmt.Errorf(`%w: no "attestations" array`, ErrMalformed)
	}
	a := &Attestations{Attestations: make([]Attestation, 0, len(*w.Attestations))}
	for _, e := range *w.Attestations {
		if e.Bundle.Kind() != '{' {
			return nil, fmt.Errorf("%w: attestation %q has no bundle object", ErrMalformed, e.PredicateType)
		}
		a.Attestations = append(a.Attestations, Attestation{
			PredicateType: e.PredicateType,
			Bundle:        json.RawMessage(slices.Clip(bytes.Clone(e.Bundle))),
		})
	}
	return a, nil
}
