package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/sigstore/sigstore-go/pkg/bundle"
)

const (
	mediaTypeV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1"
	mediaTypeV02 = "application/vnd.dev.sigstore.bundle+json;version=0.2"
)

// parseBundle decodes a Sigstore bundle. It guards what sigstore-go does not:
// empty input and JSON null (a nil bundle makes verify.Verifier.Verify
// panic), and it accepts the pre-1.0 bundle layout npm's first provenance
// bundles used (late 2022, libnpmpublish's fixtures): the transparency log
// entries and timestamps sat in a top-level "verificationData" object
// instead of inside "verificationMaterial". Those fields are moved where
// the released protobuf-specs put them; nothing is dropped, and every moved
// entry is verified as usual.
//
// That layout predates inclusion proofs: its entries carry only Rekor's
// signed inclusion promise. A legacy bundle labelled version 0.2 without any
// inclusion proof is therefore read as version 0.1, which requires the
// promise (sigstore-go verifies it against the Rekor key) instead of the
// proof. Bundles in the released layout are never relabelled.
func parseBundle(data []byte) (*bundle.Bundle, error) {
	if len(data) > MaxResponseSize {
		return nil, fmt.Errorf("%w: bundle is %d bytes, more than %d", ErrMalformed, len(data), MaxResponseSize)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: bundle is not a JSON object", ErrMalformed)
	}
	normalized, err := normalizeLegacyBundle(trimmed)
	if err != nil {
		return nil, err
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(normalized); err != nil {
		return nil, fmt.Errorf("%w: bundle: %w", ErrMalformed, err)
	}
	if b.Bundle == nil {
		return nil, fmt.Errorf("%w: empty bundle", ErrMalformed)
	}
	return &b, nil
}

func normalizeLegacyBundle(data []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%w: bundle: %w", ErrMalformed, err)
	}
	legacy, ok := top["verificationData"]
	if !ok {
		return data, nil
	}
	var moved, material map[string]json.RawMessage
	if err := json.Unmarshal(legacy, &moved); err != nil || moved == nil {
		return nil, fmt.Errorf("%w: bundle verificationData is not an object", ErrMalformed)
	}
	if raw, ok := top["verificationMaterial"]; ok {
		if err := json.Unmarshal(raw, &material); err != nil {
			return nil, fmt.Errorf("%w: bundle verificationMaterial is not an object", ErrMalformed)
		}
	}
	if material == nil {
		material = map[string]json.RawMessage{}
	}
	for k, v := range moved {
		if _, dup := material[k]; dup {
			return nil, fmt.Errorf("%w: bundle has %q in both verificationData and verificationMaterial", ErrMalformed, k)
		}
		material[k] = v
	}
	delete(top, "verificationData")
	var err error
	if top["verificationMaterial"], err = json.Marshal(material); err != nil {
		return nil, fmt.Errorf("%w: bundle: %w", ErrMalformed, err)
	}
	var mediaType string
	_ = json.Unmarshal(top["mediaType"], &mediaType)
	if mediaType == mediaTypeV02 && !hasInclusionProof(material["tlogEntries"]) {
		top["mediaType"], _ = json.Marshal(mediaTypeV01)
	}
	return json.Marshal(top)
}

func hasInclusionProof(entries json.RawMessage) bool {
	var list []struct {
		InclusionProof json.RawMessage `json:"inclusionProof"`
	}
	if err := json.Unmarshal(entries, &list); err != nil {
		return false
	}
	for _, e := range list {
		if len(e.InclusionProof) > 0 && string(e.InclusionProof) != "null" {
			return true
		}
	}
	return false
}
