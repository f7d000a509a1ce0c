package sbom

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSPDXIDsMatchSchema: the embedded id list is the enum of the SPDX
// schema the CycloneDX schemas refer to; regenerate with `go generate`.
func TestSPDXIDsMatchSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "schema", "spdx.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Enum []string `json:"enum"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	slices.Sort(schema.Enum)
	if diff := cmp.Diff(schema.Enum, spdxIDs[:]); diff != "" {
		t.Errorf("spdx_ids.go is stale; run go generate ./pkg/sbom (-schema +embedded):\n%s", diff)
	}
	for _, id := range []string{"MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "0BSD"} {
		if _, ok := spdxID(id); !ok {
			t.Errorf("%s is not on the list", id)
		}
	}
}
