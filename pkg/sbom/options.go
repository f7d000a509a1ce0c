package sbom

import (
	"fmt"
	"regexp"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// DefaultSpecVersion is the CycloneDX specification version BOM writes unless
// WithSpecVersion says otherwise. (cyclonedx-go's NewBOM defaults to 1.7,
// which few consumers read yet.)
const DefaultSpecVersion = cdx.SpecVersion1_6

// ToolName is the name BOM records in metadata.tools unless WithTool says
// otherwise.
const ToolName = "lockreview"

// Option configures BOM and DeltaOf.
type Option func(*config) error

type config struct {
	spec                  cdx.SpecVersion
	serial                string
	timestamp             time.Time
	toolName, toolVersion string
}

func newConfig(opts []Option) (config, error) {
	c := config{spec: DefaultSpecVersion, toolName: ToolName}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return config{}, err
		}
	}
	return c, nil
}

// WithSpecVersion selects the CycloneDX specification version: 1.6 (the
// default) or 1.5. Encode the result with the same version.
func WithSpecVersion(v cdx.SpecVersion) Option {
	return func(c *config) error {
		if v != cdx.SpecVersion1_5 && v != cdx.SpecVersion1_6 {
			return fmt.Errorf("spec version %s: %w", v, ErrUnsupportedSpec)
		}
		c.spec = v
		return nil
	}
}

// serialPattern is the serialNumber pattern of the CycloneDX 1.5 and 1.6
// JSON schemas (an RFC 4122 URN).
var serialPattern = regexp.MustCompile(`^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// WithSerialNumber sets serialNumber, which must be a "urn:uuid:…" URN. BOM
// never makes one up: without this option the document has no serial
// number, so that the same lockfile always gives the same bytes. Callers that
// publish a BOM pass a fresh random UUID.
func WithSerialNumber(urn string) Option {
	return func(c *config) error {
		if !serialPattern.MatchString(urn) {
			return fmt.Errorf("serial number %q: %w", urn, ErrInvalidSerial)
		}
		c.serial = urn
		return nil
	}
}

// WithTimestamp sets metadata.timestamp (written in UTC, to the second).
// BOM never reads the clock: without this option there is no timestamp.
func WithTimestamp(t time.Time) Option {
	return func(c *config) error {
		c.timestamp = t
		return nil
	}
}

// WithTool names the tool recorded in metadata.tools (default "lockreview",
// no version).
func WithTool(name, version string) Option {
	return func(c *config) error {
		if name == "" {
			return fmt.Errorf("tool name: %w", ErrInvalidOption)
		}
		c.toolName, c.toolVersion = name, version
		return nil
	}
}
