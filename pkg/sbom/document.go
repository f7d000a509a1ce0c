package sbom

import (
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// Delta document property names (see DeltaDocument and DELTA.md).
const (
	// PropDelta (lockreview:delta) on a component: "added", "updated" or
	// "changed". Components without it are unchanged.
	PropDelta = "lockreview:delta"
	// PropDeltaFrom (lockreview:delta:from) on an updated component: the purl
	// of the base version it replaced (repeated when it replaced several); on
	// a changed component whose purl changed (a git dependency's URL), the
	// base purl.
	PropDeltaFrom = "lockreview:delta:from"
	// PropDeltaFields (lockreview:delta:fields) on a changed (or updated)
	// component: the fields that changed, comma-separated, from "hashes",
	// "license", "distribution", "scope".
	PropDeltaFields = "lockreview:delta:fields"
	// PropDeltaRemoved (lockreview:delta:removed) in metadata.properties: the
	// purl of a removed component, one property each.
	PropDeltaRemoved = "lockreview:delta:removed"
	// PropDeltaEdgeAdded and PropDeltaEdgeRemoved
	// (lockreview:delta:edgeAdded, lockreview:delta:edgeRemoved) in
	// metadata.properties: a direct dependency edge, written "<from> <to>"
	// (the npm name of the root or workspace, a space, the purl; neither can
	// contain a space).
	PropDeltaEdgeAdded   = "lockreview:delta:edgeAdded"
	PropDeltaEdgeRemoved = "lockreview:delta:edgeRemoved"
)

// Delta values of PropDelta.
const (
	DeltaAdded   = "added"
	DeltaUpdated = "updated"
	DeltaChanged = "changed"
)

// DeltaDocument returns the head BOM annotated with the delta, as one
// schema-valid CycloneDX document: added, updated and changed components
// carry PropDelta (and PropDeltaFrom, PropDeltaFields); what is no longer
// there is listed in metadata.properties (PropDeltaRemoved,
// PropDeltaEdgeAdded, PropDeltaEdgeRemoved). head is not modified. The
// document has no serial number (it is a new document, not the head BOM);
// set one on the result before publishing it. A nil head (the lockfile was
// deleted) gives a document with no components.
func DeltaDocument(head *cdx.BOM, d *BOMDelta) *cdx.BOM {
	if d == nil {
		d = &BOMDelta{}
	}
	out := &cdx.BOM{}
	if head != nil {
		*out = *head
	} else {
		out = cdx.NewBOM()
		out.SpecVersion = DefaultSpecVersion
		out.JSONSchema = schemaURL(DefaultSpecVersion)
		out.Components = &[]cdx.Component{}
	}
	out.SerialNumber = ""

	type mark struct {
		kind   string
		from   []string
		fields string
	}
	marks := map[string]*mark{}
	for _, a := range d.Added {
		marks[a.PURL] = &mark{kind: DeltaAdded}
	}
	for _, c := range d.Changed {
		m := &mark{kind: DeltaChanged, fields: fieldNames(c.Fields)}
		if c.PURLBefore != "" {
			m.from = []string{c.PURLBefore}
		}
		marks[c.PURL] = m
	}
	for _, u := range d.Updated {
		m := marks[u.PURLTo]
		if m == nil {
			m = &mark{kind: DeltaUpdated}
			marks[u.PURLTo] = m
		}
		// A purl on both sides that some removed version was deduplicated
		// onto can also be "changed"; "updated" says more.
		m.kind = DeltaUpdated
		m.from = append(m.from, u.PURLFrom)
		if u.Fields != nil {
			m.fields = joinFields(m.fields, fieldNames(*u.Fields))
		}
	}

	if out.Components != nil {
		comps := slices.Clone(*out.Components)
		for i := range comps {
			m := marks[comps[i].PackageURL]
			if m == nil {
				continue
			}
			var props []cdx.Property
			if comps[i].Properties != nil {
				props = slices.Clone(*comps[i].Properties)
			}
			props = append(props, cdx.Property{Name: PropDelta, Value: m.kind})
			for _, f := range sortUnique(m.from) {
				props = append(props, cdx.Property{Name: PropDeltaFrom, Value: f})
			}
			if m.fields != "" {
				props = append(props, cdx.Property{Name: PropDeltaFields, Value: m.fields})
			}
			sortProperties(props)
			comps[i].Properties = &props
		}
		out.Components = &comps
	}

	var meta cdx.Metadata
	if out.Metadata != nil {
		meta = *out.Metadata
	}
	var props []cdx.Property
	if meta.Properties != nil {
		props = slices.Clone(*meta.Properties)
	}
	for _, r := range d.Removed {
		props = append(props, cdx.Property{Name: PropDeltaRemoved, Value: r.PURL})
	}
	for _, e := range d.EdgesAdded {
		props = append(props, cdx.Property{Name: PropDeltaEdgeAdded, Value: e.From + " " + e.To})
	}
	for _, e := range d.EdgesRemoved {
		props = append(props, cdx.Property{Name: PropDeltaEdgeRemoved, Value: e.From + " " + e.To})
	}
	sortProperties(props)
	if len(props) > 0 {
		meta.Properties = &props
	}
	out.Metadata = &meta
	return out
}

func fieldNames(f Fields) string {
	var names []string
	if f.Hashes != nil {
		names = append(names, "hashes")
	}
	if f.License != nil {
		names = append(names, "license")
	}
	if f.Distribution != nil {
		names = append(names, "distribution")
	}
	if f.Scope != nil {
		names = append(names, "scope")
	}
	return strings.Join(names, ",")
}

func joinFields(a, b string) string {
	var all []string
	for _, s := range []string{a, b} {
		if s != "" {
			all = append(all, strings.Split(s, ",")...)
		}
	}
	return strings.Join(sortUnique(all), ",")
}
