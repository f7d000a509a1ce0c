package report

import (
	"bytes"
	"encoding/json"
)

// RoundTripJSON decodes a JSON report into the schema's Go types, refusing
// unknown fields, and encodes it again as JSON does.
func RoundTripJSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r jsonReport
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&r); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
