package sbom_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockreview/lockreview/pkg/sbom"
)

// The official CycloneDX JSON schemas, copied from the cyclonedx-go module
// (see testdata/README.md). They refer to each other by these ids; the
// validator never loads anything else (it has no network loader).
var schemaFiles = map[string]string{
	"http://cyclonedx.org/schema/bom-1.5.schema.json":  "bom-1.5.schema.json",
	"http://cyclonedx.org/schema/bom-1.6.schema.json":  "bom-1.6.schema.json",
	"http://cyclonedx.org/schema/spdx.schema.json":     "spdx.schema.json",
	"http://cyclonedx.org/schema/jsf-0.82.schema.json": "jsf-0.82.schema.json",
}

var (
	schemaOnce sync.Once
	schemas    map[cdx.SpecVersion]*jsonschema.Schema
	schemaErr  error
)

func compileSchemas() {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for id, file := range schemaFiles {
		data, err := os.ReadFile(filepath.Join("testdata", "schema", file))
		if err != nil {
			schemaErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			schemaErr = err
			return
		}
		if err := c.AddResource(id, doc); err != nil {
			schemaErr = err
			return
		}
	}
	schemas = map[cdx.SpecVersion]*jsonschema.Schema{}
	for v, id := range map[cdx.SpecVersion]string{
		cdx.SpecVersion1_5: "http://cyclonedx.org/schema/bom-1.5.schema.json",
		cdx.SpecVersion1_6: "http://cyclonedx.org/schema/bom-1.6.schema.json",
	} {
		if schemas[v], schemaErr = c.Compile(id); schemaErr != nil {
			return
		}
	}
}

// validate checks a JSON document against the official CycloneDX schema of
// spec.
func validate(t testing.TB, data []byte, spec cdx.SpecVersion) {
	t.Helper()
	schemaOnce.Do(compileSchemas)
	if schemaErr != nil {
		t.Fatalf("compile CycloneDX schemas: %v", schemaErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := schemas[spec].Validate(inst); err != nil {
		t.Errorf("not a valid CycloneDX %s document:\n%v", spec, err)
	}
}

// TestGoldenSchemas validates every golden CycloneDX document: the BOMs
// (1.6, and one 1.5) and the delta document.
func TestGoldenSchemas(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		var spec cdx.SpecVersion
		switch {
		case strings.HasSuffix(f, ".cdx.json"):
			spec = cdx.SpecVersion1_6
		case strings.HasSuffix(f, ".cdx-1.5.json"):
			spec = cdx.SpecVersion1_5
		default:
			continue // BOMDelta JSON, not CycloneDX
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			validate(t, data, spec)
		})
	}
	if n < 8 {
		t.Errorf("validated %d golden documents, want at least 8 (run with -update first?)", n)
	}
}

// TestRealSchemas validates the BOMs of both sides of every real lockfile
// pair and their delta documents, in 1.6 and 1.5.
func TestRealSchemas(t *testing.T) {
	if testing.Short() {
		t.Skip("validates ~25 MB of JSON")
	}
	dirs, err := filepath.Glob(filepath.Join(lockfilesDir(t), "*", "head.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, head := range dirs {
		scenario := filepath.Base(filepath.Dir(head))
		t.Run(scenario, func(t *testing.T) {
			b := build(t, parseSide(t, scenario, "base"))
			h := build(t, parseSide(t, scenario, "head"))
			doc := sbom.DeltaDocument(h, sbom.Delta(b, h))
			validate(t, encode(t, b, cdx.SpecVersion1_6), cdx.SpecVersion1_6)
			validate(t, encode(t, doc, cdx.SpecVersion1_6), cdx.SpecVersion1_6)
			validate(t, encode(t, h, cdx.SpecVersion1_5), cdx.SpecVersion1_5)
		})
	}
}

// TestSchemaRejects makes sure the validator is not vacuous: the mistakes
// cyclonedx-go would let through are caught.
func TestSchemaRejects(t *testing.T) {
	schemaOnce.Do(compileSchemas)
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	bad := map[string]string{
		"non-SPDX-id":     `{"license":{"id":"UNLICENSED"}}`,
		"expression-list": `{"expression":"MIT OR ISC"},{"license":{"id":"MIT"}}`,
	}
	for name, lic := range bad {
		doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x","licenses":[` + lic + `]}]}`
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if schemas[cdx.SpecVersion1_6].Validate(inst) == nil {
			t.Errorf("%s: schema accepted %s", name, lic)
		}
	}
	hash := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x","hashes":[{"alg":"SHA-512","content":"3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="}]}]}`
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(hash))
	if schemas[cdx.SpecVersion1_6].Validate(inst) == nil {
		t.Errorf("schema accepted base64 hash content")
	}
}
