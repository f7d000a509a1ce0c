package sbom

import (
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/lockreview/lockreview/pkg/license"
)

//go:generate go run gen_spdx.go

// spdxCanonical maps the lower-cased SPDX ids of spdxIDs to their spelling:
// SPDX ids match case-insensitively, but the schema's enum does not.
var spdxCanonical = func() map[string]string {
	m := make(map[string]string, len(spdxIDs))
	for _, id := range spdxIDs {
		m[strings.ToLower(id)] = id
	}
	return m
}()

// spdxID returns the canonical spelling of s when it is an SPDX license (or
// exception) id the CycloneDX schema accepts.
func spdxID(s string) (string, bool) {
	id, ok := spdxCanonical[strings.ToLower(s)]
	return id, ok
}

// licenseKind is how a `license` string goes into CycloneDX.
type licenseKind struct {
	// field is "id", "expression" or "name"; value is what goes there.
	field, value string
}

// licenseKindOf classifies an npm `license` string the way the CycloneDX
// schema needs it (cyclonedx-go does not check):
//   - one SPDX id of the schema's list (in any case, or in parentheses)
//     becomes license.id in its canonical spelling ("mit" → "MIT");
//   - a valid SPDX expression whose every id is on the list (or is a
//     LicenseRef-/DocumentRef- reference) becomes expression, verbatim;
//   - anything else ("UNLICENSED", "SEE LICENSE IN LICENSE.md", "Custom",
//     "MIT OR Foo") becomes license.name, verbatim, so nothing is lost.
//
// The zero licenseKind (no field) stands for an empty string.
func licenseKindOf(s string) licenseKind {
	s = strings.TrimSpace(s)
	if s == "" {
		return licenseKind{}
	}
	if id, ok := spdxID(s); ok {
		return licenseKind{"id", id}
	}
	if e, err := license.Parse(s); err == nil && knownIDs(s) {
		if id, ok := spdxID(e.String()); ok {
			// "(MIT)": one id in parentheses.
			return licenseKind{"id", id}
		}
		return licenseKind{"expression", s}
	}
	return licenseKind{"name", s}
}

// choice renders k, using l for the license object.
func (k licenseKind) choice(l *cdx.License) cdx.LicenseChoice {
	switch k.field {
	case "id":
		*l = cdx.License{ID: k.value}
		return cdx.LicenseChoice{License: l}
	case "name":
		*l = cdx.License{Name: k.value}
		return cdx.LicenseChoice{License: l}
	}
	return cdx.LicenseChoice{Expression: k.value}
}

// licenseChoice is licenseKindOf as CycloneDX licenses; nil for an empty
// string.
func licenseChoice(s string) *cdx.Licenses {
	k := licenseKindOf(s)
	if k.field == "" {
		return nil
	}
	return &cdx.Licenses{k.choice(&cdx.License{})}
}

// knownIDs reports whether every operand of an expression that license.Parse
// accepted (ids and WITH exceptions) is on the SPDX list or a reference.
func knownIDs(expr string) bool {
	ok := true
	for _, tok := range strings.FieldsFunc(expr, func(r rune) bool {
		return r == '(' || r == ')' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		switch strings.ToUpper(tok) {
		case "AND", "OR", "WITH":
			continue
		}
		if strings.HasPrefix(tok, "LicenseRef-") || strings.HasPrefix(tok, "DocumentRef-") {
			continue
		}
		if _, known := spdxID(strings.TrimSuffix(tok, "+")); !known {
			ok = false
		}
	}
	return ok
}

// licenseString renders a component's licenses for the delta: the id, the
// expression or the name, joined by " AND " when there are several.
func licenseString(ls *cdx.Licenses) string {
	if ls == nil {
		return ""
	}
	parts := make([]string, 0, len(*ls))
	for _, l := range *ls {
		switch {
		case l.Expression != "":
			parts = append(parts, l.Expression)
		case l.License != nil && l.License.ID != "":
			parts = append(parts, l.License.ID)
		case l.License != nil:
			parts = append(parts, l.License.Name)
		}
	}
	return strings.Join(parts, " AND ")
}
