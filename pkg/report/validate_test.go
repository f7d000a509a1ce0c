package report_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/lockreview/lockreview/pkg/report"
	"github.com/lockreview/lockreview/pkg/testkit"
)

// checkJSON checks that a JSON report is valid JSON, decodes into the schema
// without unknown fields, encodes back to the same bytes, and has every key
// SCHEMA.md promises.
func checkJSON(t *testing.T, b []byte) {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("JSON report is not valid JSON")
	}
	again, err := report.RoundTripJSON(b)
	if err != nil {
		t.Fatalf("JSON report does not decode into the schema: %v", err)
	}
	if !bytes.Equal(again, b) {
		t.Errorf("JSON report does not round-trip:\n%s", testkit.LineDiff(string(b), string(again)))
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	requireKeys(t, "report", doc, "schemaVersion", "tool", "conclusion", "incomplete", "problems", "policy", "summary", "findings", "files", "notes")
	if v, _ := doc["schemaVersion"].(float64); v != report.JSONSchemaVersion {
		t.Errorf("schemaVersion = %v, want %d", doc["schemaVersion"], report.JSONSchemaVersion)
	}
	requireKeys(t, "tool", obj(t, doc["tool"]), "name", "version")
	summary := obj(t, doc["summary"])
	requireKeys(t, "summary", summary, "findings", "suppressed", "changes")
	requireKeys(t, "summary.findings", obj(t, summary["findings"]), "critical", "high", "medium", "low", "info")
	requireKeys(t, "summary.changes", obj(t, summary["changes"]), "added", "updated", "removed", "source-changed", "integrity-changed")
	for _, f := range arr(t, doc["findings"]) {
		requireKeys(t, "finding", obj(t, f), "check", "severity", "package", "version", "from", "lockfile", "line", "path",
			"message", "remediation", "target", "values", "suppressed", "suppressedBy")
	}
	for _, f := range arr(t, doc["files"]) {
		file := obj(t, f)
		requireKeys(t, "file", file, "path", "error", "changes")
		if (file["error"] == nil) == (file["changes"] == nil) {
			t.Errorf("file %v: exactly one of error and changes must be null", file["path"])
		}
		for _, c := range arrOrNil(t, file["changes"]) {
			requireKeys(t, "change", obj(t, c), "kind", "name", "from", "to", "update", "direct", "directKind", "dev", "paths", "line")
		}
	}
}

// checkSARIF checks the parts of SARIF 2.1.0 that the schema requires and
// that GitHub code scanning reads.
func checkSARIF(t *testing.T, b []byte) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("SARIF is not valid JSON: %v", err)
	}
	if doc["$schema"] != report.SARIFSchema || doc["version"] != "2.1.0" {
		t.Errorf("$schema, version = %v, %v", doc["$schema"], doc["version"])
	}
	runs := arr(t, doc["runs"])
	if len(runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(runs))
	}
	run := obj(t, runs[0])
	driver := obj(t, obj(t, run["tool"])["driver"])
	if driver["name"] != "lockreview" {
		t.Errorf("tool.driver.name = %v", driver["name"])
	}
	levels := []any{"none", "note", "warning", "error"}
	var ruleIDs []any
	for _, r := range arr(t, driver["rules"]) {
		rule := obj(t, r)
		requireKeys(t, "rule", rule, "id", "shortDescription", "defaultConfiguration")
		if slices.Contains(ruleIDs, rule["id"]) {
			t.Errorf("rule %v listed twice", rule["id"])
		}
		ruleIDs = append(ruleIDs, rule["id"])
		requireKeys(t, "rule.shortDescription", obj(t, rule["shortDescription"]), "text")
		if l := obj(t, rule["defaultConfiguration"])["level"]; !slices.Contains(levels, l) {
			t.Errorf("rule %v: level %v", rule["id"], l)
		}
	}
	for _, r := range arr(t, run["results"]) {
		res := obj(t, r)
		requireKeys(t, "result", res, "ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "properties")
		i := int(res["ruleIndex"].(float64))
		if i < 0 || i >= len(ruleIDs) || ruleIDs[i] != res["ruleId"] {
			t.Errorf("result ruleIndex %d does not name rule %v", i, res["ruleId"])
		}
		if !slices.Contains(levels, res["level"]) {
			t.Errorf("result level %v", res["level"])
		}
		if obj(t, res["message"])["text"] == "" {
			t.Errorf("result without message text")
		}
		for _, l := range arr(t, res["locations"]) {
			pl := obj(t, obj(t, l)["physicalLocation"])
			if obj(t, pl["artifactLocation"])["uri"] == "" {
				t.Errorf("location without uri")
			}
			if reg, ok := pl["region"]; ok {
				if line, _ := obj(t, reg)["startLine"].(float64); line < 1 {
					t.Errorf("region.startLine = %v, want >= 1", line)
				}
			}
		}
		fp := obj(t, res["partialFingerprints"])[report.FingerprintKey]
		if fp == nil || fp == "" {
			t.Errorf("result without partialFingerprints[%q]", report.FingerprintKey)
		}
		for _, s := range arrOrNil(t, res["suppressions"]) {
			if k := obj(t, s)["kind"]; k != "external" && k != "inSource" {
				t.Errorf("suppression kind %v", k)
			}
		}
		if obj(t, res["properties"])["severity"] == nil {
			t.Errorf("result without properties.severity")
		}
	}
	invs := arr(t, run["invocations"])
	if len(invs) != 1 {
		t.Fatalf("got %d invocations, want 1", len(invs))
	}
	requireKeys(t, "invocation", obj(t, invs[0]), "executionSuccessful")
}

func requireKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks key %q", what, k)
		}
	}
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("want an object, got %T", v)
	}
	return m
}

func arr(t *testing.T, v any) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("want an array, got %T (%v)", v, v)
	}
	return a
}

func arrOrNil(t *testing.T, v any) []any {
	t.Helper()
	if v == nil {
		return nil
	}
	return arr(t, v)
}
