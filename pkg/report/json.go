package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/review"
	"github.com/lockreview/lockreview/pkg/sbom"
)

// JSONSchemaVersion is the schemaVersion of the document JSON writes. It
// changes only when a field is removed or changes meaning; new fields may be
// added within a version, so readers must ignore fields they do not know.
const JSONSchemaVersion = 1

// JSON writes the review as one JSON document (schema version 1), indented,
// with a trailing newline. The same Result always produces the same bytes:
// findings are sorted (highest severity first, then lockfile, package,
// version, check, path), files and changes keep the review's order, and maps
// are written with sorted keys. Strings are as the lockfile had them, not
// escaped for any display. SCHEMA.md in this directory is the reference;
// in short:
//
//	{
//	  "schemaVersion": 1,
//	  "tool":       {"name": "lockreview", "version": "v1.2.3"},
//	  "conclusion": "success" | "neutral" | "failure" | "",
//	  "incomplete": bool,            // part of the review could not be done
//	  "problems":   [string],        // why (e.g. a lockfile that does not parse)
//	  "policy":     {"failOn": "high" | … | "none", "failClosed": bool} | null,
//	  "summary": {
//	    "findings":   {"critical": n, "high": n, "medium": n, "low": n, "info": n}, // not suppressed
//	    "suppressed": n,
//	    "changes":    {"added": n, "updated": n, "removed": n, "source-changed": n, "integrity-changed": n}
//	  },
//	  "findings": [{
//	    "check": "install-script", "severity": "high",
//	    "package": "es5-ext", "version": "0.10.61", "from": "0.10.53", // from: updates only, else ""
//	    "lockfile": "package-lock.json", "line": 1234,                 // line: 0 when unknown
//	    "path": "node_modules/es5-ext",
//	    "message": string, "remediation": string,
//	    "target": "lodash",                                            // typosquat: the look-alike, else ""
//	    "values": {string: string},                                    // evidence, {} when none
//	    "suppressed": bool, "suppressedBy": string                     // the ignore entry's reason
//	  }],
//	  "files": [{
//	    "path": "package-lock.json",
//	    "error": string | null,                                        // why the file was not reviewed
//	    "changes": [{                                                  // null when error is set
//	      "kind": "added" | "removed" | "updated" | "source-changed" | "integrity-changed",
//	      "name": string, "from": string, "to": string,
//	      "update": "" | "major" | "minor" | "patch" | "prerelease" | "downgrade" | "non-semver",
//	      "direct": bool, "directKind": "" | "prod" | "dev" | "optional" | "peer",
//	      "dev": bool, "paths": [string], "line": n
//	    }],
//	    "delta": {                                                     // the SBOM delta; null when error is set
//	      "added": [...], "removed": [...], "updated": [...], "changed": [...],
//	      "edgesAdded": [...], "edgesRemoved": [...]                   // see pkg/sbom.BOMDelta
//	    } | null
//	  }],
//	  "notes": [{"line": n, "message": string}]                        // about the policy file
//	}
//
// Every key is always present; arrays are [] rather than null unless the
// schema says null.
func JSON(w io.Writer, res *review.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(newJSONReport(newView(res))); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

type jsonReport struct {
	SchemaVersion int           `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Conclusion    string        `json:"conclusion"`
	Incomplete    bool          `json:"incomplete"`
	Problems      []string      `json:"problems"`
	Policy        *jsonPolicy   `json:"policy"`
	Summary       jsonSummary   `json:"summary"`
	Findings      []jsonFinding `json:"findings"`
	Files         []jsonFile    `json:"files"`
	Notes         []jsonNote    `json:"notes"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonPolicy struct {
	FailOn     string `json:"failOn"`
	FailClosed bool   `json:"failClosed"`
}

type jsonSummary struct {
	Findings   jsonSeverityCounts `json:"findings"`
	Suppressed int                `json:"suppressed"`
	Changes    jsonChangeCounts   `json:"changes"`
}

type jsonSeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

type jsonChangeCounts struct {
	Added            int `json:"added"`
	Updated          int `json:"updated"`
	Removed          int `json:"removed"`
	SourceChanged    int `json:"source-changed"`
	IntegrityChanged int `json:"integrity-changed"`
}

type jsonFinding struct {
	Check        string            `json:"check"`
	Severity     string            `json:"severity"`
	Package      string            `json:"package"`
	Version      string            `json:"version"`
	From         string            `json:"from"`
	Lockfile     string            `json:"lockfile"`
	Line         int               `json:"line"`
	Path         string            `json:"path"`
	Message      string            `json:"message"`
	Remediation  string            `json:"remediation"`
	Target       string            `json:"target"`
	Values       map[string]string `json:"values"`
	Suppressed   bool              `json:"suppressed"`
	SuppressedBy string            `json:"suppressedBy"`
}

type jsonFile struct {
	Path    string         `json:"path"`
	Error   *string        `json:"error"`
	Changes []jsonChange   `json:"changes"`
	Delta   *sbom.BOMDelta `json:"delta"`
}

type jsonChange struct {
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Update     string   `json:"update"`
	Direct     bool     `json:"direct"`
	DirectKind string   `json:"directKind"`
	Dev        bool     `json:"dev"`
	Paths      []string `json:"paths"`
	Line       int      `json:"line"`
}

type jsonNote struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func newJSONReport(v *view) *jsonReport {
	res := v.res
	out := &jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: ToolName, Version: buildVersion()},
		Conclusion:    string(res.Conclusion),
		Incomplete:    res.Incomplete,
		Problems:      append([]string{}, res.Problems...),
		Findings:      []jsonFinding{},
		Files:         []jsonFile{},
		Notes:         []jsonNote{},
	}
	if p := res.Policy; p != nil {
		out.Policy = &jsonPolicy{FailOn: v.failOn(), FailClosed: p.FailClosed}
	}
	out.Summary.Findings = jsonSeverityCounts{
		Critical: v.bySeverity[checks.Critical],
		High:     v.bySeverity[checks.High],
		Medium:   v.bySeverity[checks.Medium],
		Low:      v.bySeverity[checks.Low],
		Info:     v.bySeverity[checks.Info],
	}
	out.Summary.Suppressed = len(v.accepted)
	counts := res.Counts()
	out.Summary.Changes = jsonChangeCounts{
		Added:            counts[diff.Added],
		Updated:          counts[diff.Updated],
		Removed:          counts[diff.Removed],
		SourceChanged:    counts[diff.SourceChanged],
		IntegrityChanged: counts[diff.IntegrityChanged],
	}

	// Active then accepted would split the sort; the document keeps the one
	// order of checks.Sort with suppressed findings marked in place.
	all := append(append([]checks.Finding{}, v.active...), v.accepted...)
	checks.Sort(all)
	for _, f := range all {
		values := map[string]string{}
		for k, val := range f.Values {
			values[k] = val
		}
		out.Findings = append(out.Findings, jsonFinding{
			Check:        f.Check,
			Severity:     f.Severity.String(),
			Package:      f.Package,
			Version:      f.Version,
			From:         f.From,
			Lockfile:     f.Lockfile,
			Line:         f.Line,
			Path:         f.Path,
			Message:      f.Message,
			Remediation:  f.Remediation,
			Target:       f.Target,
			Values:       values,
			Suppressed:   f.Suppressed,
			SuppressedBy: f.SuppressedBy,
		})
	}

	for _, f := range res.Files {
		jf := jsonFile{Path: f.Path, Delta: f.SBOM}
		if f.Err != nil {
			msg := f.Err.Error()
			jf.Error = &msg
		}
		if f.Changes != nil {
			jf.Changes = []jsonChange{}
			for i := range f.Changes.List {
				jf.Changes = append(jf.Changes, newJSONChange(&f.Changes.List[i]))
			}
		}
		out.Files = append(out.Files, jf)
	}
	for _, n := range res.Notes {
		out.Notes = append(out.Notes, jsonNote{File: n.File, Line: n.Line, Message: n.Message})
	}
	return out
}

func newJSONChange(c *diff.Change) jsonChange {
	jc := jsonChange{
		Kind:       c.Kind.String(),
		Name:       c.Name,
		From:       c.From,
		To:         c.To,
		Update:     c.Update.String(),
		Direct:     c.Direct,
		DirectKind: c.DirectKind,
		Dev:        c.Dev,
		Paths:      c.Paths(),
	}
	if n := c.Node(); n != nil {
		jc.Line = n.Line
	}
	return jc
}
