package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/checks"
	"github.com/lockreview/lockreview/pkg/review"
)

// SARIF schema location and version written by SARIF.
const (
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion = "2.1.0"
)

// FingerprintKey is the partialFingerprints key of every SARIF result. Its
// value is stable for one (check, package, version, lockfile), so code
// scanning tracks a finding across pushes even when its line moves.
const FingerprintKey = "lockreview/v1"

// SARIF writes the review as a SARIF 2.1.0 log with one run, for GitHub code
// scanning and other SARIF consumers.
//
//   - tool.driver.rules holds every check of checks.All() (id, the Summary as
//     shortDescription, the check's highest severity as
//     defaultConfiguration.level and as properties["security-severity"]),
//     followed by any other check a finding names.
//   - Each finding is a result: ruleId, level (critical and high → "error",
//     medium → "warning", low and info → "note"), message (the finding's
//     message and remediation), properties.severity and the package, one
//     location (the lockfile path as artifactLocation.uri, and region.startLine
//     when the line in the head lockfile is known: not for removals, whose
//     line is in the base), and partialFingerprints[FingerprintKey].
//   - A finding accepted by policy carries suppressions: [{kind: "external",
//     justification: the ignore entry's reason}].
//   - invocations[0].executionSuccessful is false when the review is
//     incomplete, with each problem as an error notification; policy notes
//     are warning configuration notifications.
func SARIF(w io.Writer, res *review.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(newSARIFLog(newView(res))); err != nil {
		return fmt.Errorf("write SARIF report: %w", err)
	}
	return nil
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
	// SecuritySeverity is GitHub code scanning's 0–10 score, as a string.
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful            bool                `json:"executionSuccessful"`
	ToolExecutionNotifications     []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Severity string `json:"severity"`
	Package  string `json:"package"`
	Version  string `json:"version,omitempty"`
	From     string `json:"from,omitempty"`
	Path     string `json:"path,omitempty"`
	Target   string `json:"target,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s checks.Severity) string {
	switch {
	case s >= checks.High:
		return "error"
	case s == checks.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity into GitHub code scanning's bands
// (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
func securitySeverity(s checks.Severity) string {
	switch s {
	case checks.Critical:
		return "9.5"
	case checks.High:
		return "8.0"
	case checks.Medium:
		return "5.5"
	case checks.Low:
		return "2.0"
	}
	return ""
}

func newSARIFLog(v *view) *sarifLog {
	res := v.res
	driver := sarifDriver{Name: ToolName, Version: buildVersion(), InformationURI: ToolURI, Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(id, summary string, sev checks.Severity) {
		index[id] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   id,
			ShortDescription:     sarifMessage{Text: summary},
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
			Properties:           sarifRuleProps{Tags: []string{"security", "supply-chain", "npm"}, SecuritySeverity: securitySeverity(sev)},
		})
	}
	for _, c := range checks.All() {
		addRule(c.ID, c.Summary, c.Severity)
	}
	all := append(append([]checks.Finding{}, v.active...), v.accepted...)
	checks.Sort(all)
	// Checks outside All() (online checks, or a newer engine) still need a rule.
	var extra []string
	extraSev := map[string]checks.Severity{}
	for _, f := range all {
		if _, ok := index[f.Check]; !ok && !slices.Contains(extra, f.Check) {
			extra = append(extra, f.Check)
		}
		extraSev[f.Check] = max(extraSev[f.Check], f.Severity)
	}
	slices.Sort(extra)
	for _, id := range extra {
		addRule(id, "lockreview check "+id, extraSev[id])
	}

	inv := sarifInvocation{ExecutionSuccessful: !res.Incomplete}
	for _, p := range res.Problems {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifMessage{Text: p}})
	}
	for _, n := range res.Notes {
		inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: n.Message}})
	}

	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{inv},
		Results:     []sarifResult{},
	}
	for _, f := range all {
		msg := f.Message
		if f.Remediation != "" {
			msg = strings.TrimRight(msg, " ") + "\n\nRemediation: " + f.Remediation
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: uriPath(f.Lockfile)}}}
		if line := v.headLine(&f); line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
		}
		r := sarifResult{
			RuleID:              f.Check,
			RuleIndex:           index[f.Check],
			Level:               sarifLevel(f.Severity),
			Message:             sarifMessage{Text: msg},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{FingerprintKey: fingerprint(&f)},
			Properties: sarifResultProps{
				Severity: f.Severity.String(),
				Package:  f.Package,
				Version:  f.Version,
				From:     f.From,
				Path:     f.Path,
				Target:   f.Target,
			},
		}
		if f.Suppressed {
			r.Suppressions = []sarifSuppression{{Kind: "external", Justification: f.SuppressedBy}}
		}
		run.Results = append(run.Results, r)
	}
	return &sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}}
}

// fingerprint identifies a finding across revisions: the same check on the
// same package version in the same lockfile, wherever its line is.
func fingerprint(f *checks.Finding) string {
	h := sha256.Sum256([]byte(strings.Join([]string{f.Check, f.Package, f.Version, f.Lockfile}, "\x00")))
	return hex.EncodeToString(h[:16])
}

// uriPath turns a repository path into a relative URI reference, escaping
// each segment ("my dir/package-lock.json" → "my%20dir/package-lock.json").
// A ":" in the first segment is escaped too: "https:/package-lock.json"
// would otherwise read as an absolute URI with a scheme (RFC 3986, 4.2).
func uriPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	segs[0] = strings.ReplaceAll(segs[0], ":", "%3A")
	return strings.Join(segs, "/")
}
