package sbom

import (
	"fmt"
	"io"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// Encode writes bom as indented CycloneDX JSON of the given specification
// version (0 means bom.SpecVersion). A BOM of another version goes through
// cyclonedx-go's EncodeVersion, which converts a copy and sets $schema and
// specVersion, so the version written is the version asked for; bom is
// never modified.
func Encode(w io.Writer, bom *cdx.BOM, spec cdx.SpecVersion) error {
	if bom == nil {
		return fmt.Errorf("encode BOM: %w", ErrNilBOM)
	}
	if spec == 0 {
		spec = bom.SpecVersion
	}
	if spec != cdx.SpecVersion1_5 && spec != cdx.SpecVersion1_6 {
		return fmt.Errorf("encode BOM as CycloneDX %s: %w", spec, ErrUnsupportedSpec)
	}
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false)
	if bom.SpecVersion == spec && bom.JSONSchema == schemaURL(spec) {
		// Already that version (as BOM and DeltaDocument make it): skip
		// EncodeVersion's deep copy, which costs more than the encoding.
		if err := enc.Encode(bom); err != nil {
			return fmt.Errorf("encode BOM as CycloneDX %s: %w", spec, err)
		}
		return nil
	}
	if err := enc.EncodeVersion(bom, spec); err != nil {
		return fmt.Errorf("encode BOM as CycloneDX %s: %w", spec, err)
	}
	return nil
}
