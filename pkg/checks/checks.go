// Package checks turns the facts of one lockfile comparison into findings. Each
// check lives in its own file, is a pure function of its Input (no I/O, no
// clock), and has a stable kebab-case ID that users name in policy files, the
// JSON report and SARIF rule ids.
//
// Adding a check:
//  1. Add one file with the check's func and a doc comment covering motivation,
//     what it looks at, what makes it fire, and how to remediate.
//  2. Add one entry to All().
//  3. Add a table test with cases that fire and cases that must not.
//  4. Add or extend a golden scenario in pkg/report.
//  5. The README check table is tested against All(): add its row.
package checks

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// Severity orders findings. The zero value is Info.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if int(s) >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "unknown"
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses a severity name (case-insensitive).
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", name, strings.Join(severityNames[:], ", "))
}

// Finding is one thing a reviewer should look at.
type Finding struct {
	// Check is the stable ID of the check that produced it.
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	// Package and Version name the package the finding is about; From is the
	// previous version for updates.
	Package string `json:"package"`
	Version string `json:"version,omitempty"`
	From    string `json:"from,omitempty"`
	// Lockfile is the lockfile path; Line the 1-based line of the entry in the
	// head lockfile (the base lockfile for removals), 0 when unknown.
	Lockfile string `json:"lockfile"`
	Line     int    `json:"line,omitempty"`
	// Path is the install path of the node the finding points at.
	Path string `json:"path,omitempty"`
	// Message says concretely what was seen; Remediation what to do about it.
	Message     string `json:"message"`
	Remediation string `json:"remediation,omitempty"`
	// Target is the popular package a typosquat-like name resembles.
	Target string `json:"target,omitempty"`
	// Values holds the evidence as key/value pairs (e.g. "before", "after").
	Values map[string]string `json:"values,omitempty"`
	// Suppressed is set by policy when an ignore entry accepts the finding;
	// SuppressedBy holds that entry's reason.
	Suppressed   bool   `json:"suppressed,omitempty"`
	SuppressedBy string `json:"suppressedBy,omitempty"`
	// Source is the resolved URL or folder of the node the finding points
	// at when that node does not come from an allowed registry (git, a
	// tarball URL, a file, a link, another host); "" otherwise. Policy
	// ignore entries, which name packages, do not vouch for such a copy.
	Source string `json:"source,omitempty"`
}

// Config holds the policy settings the checks read. The zero value is usable:
// DefaultConfig documents the defaults.
type Config struct {
	// AllowedHosts are the registry hosts packages may resolve from.
	AllowedHosts []string
	// InternalScopes ("@acme") and InternalNames are the organisation's
	// private packages, for dependency-confusion.
	InternalScopes, InternalNames []string
	// LicenseAllow and LicenseDeny are SPDX license ids. With an allow list, a
	// license expression must be satisfiable using only allowed ids.
	LicenseAllow, LicenseDeny []string
	// BroadUpdateThreshold is how many transitive changes make a broad update.
	BroadUpdateThreshold int
	// MinReleaseAge is how old a version must be not to be a recent release.
	MinReleaseAge time.Duration
	// Typosquat answers whether a name is confusable with a popular one; nil
	// disables the typosquat check.
	Typosquat TyposquatIndex
}

// TyposquatIndex is the part of pkg/typosquat's index the typosquat check uses.
type TyposquatIndex interface {
	// Nearest returns the popular name that name is confusable with, the rule
	// and a human-readable detail. ok is false for popular or unconfusable names.
	Nearest(name string) (target, rule, detail string, ok bool)
}

// DefaultAllowedHosts is the registry allow list when policy names none.
var DefaultAllowedHosts = []string{"registry.npmjs.org"}

// DefaultBroadUpdateThreshold is the broad-update threshold when policy sets none.
const DefaultBroadUpdateThreshold = 50

// DefaultConfig returns the configuration used without a policy file.
func DefaultConfig() Config {
	return Config{
		AllowedHosts:         slices.Clone(DefaultAllowedHosts),
		BroadUpdateThreshold: DefaultBroadUpdateThreshold,
		MinReleaseAge:        DefaultMinReleaseAge,
	}
}

// DefaultMinReleaseAge is recent-release's age when policy sets none.
const DefaultMinReleaseAge = 48 * time.Hour

// Input is everything the checks look at for one lockfile.
type Input struct {
	// Lockfile is the path of the lockfile in the repository.
	Lockfile string
	Changes  *diff.Changes
	Config   Config
	// Meta is the registry metadata of the changed versions (old and new);
	// nil in an offline review, where the online checks report nothing.
	Meta Metadata
	// Now is the review's clock, for release ages.
	Now time.Time
}

// base and head return the compared trees (never nil).
// unvetted returns the source of the head node at path when it does not
// come from an allowed registry host, else "".
func (in *Input) unvetted(path string) string {
	if path == "" || in.Changes == nil || in.Changes.Head == nil {
		return ""
	}
	n := in.Changes.Head.Package(path)
	if n == nil || n.Workspace || bundled(n) {
		return ""
	}
	switch s := n.Source; s.Kind {
	case lockfile.SourceMissing:
		return ""
	case lockfile.SourceRegistry:
		if hostAllowed(s.Host, in.Config.AllowedHosts) || in.Config.AllowedHosts == nil && hostAllowed(s.Host, DefaultAllowedHosts) {
			return ""
		}
	}
	if n.Resolved == "" {
		return n.Source.URL
	}
	return n.Resolved
}

func (in *Input) base() *lockfile.Lockfile { return orEmpty(in.Changes.Base) }
func (in *Input) head() *lockfile.Lockfile { return orEmpty(in.Changes.Head) }

func orEmpty(l *lockfile.Lockfile) *lockfile.Lockfile {
	if l == nil {
		return &lockfile.Lockfile{Version: 3}
	}
	return l
}

// Check is one named check.
type Check struct {
	// ID is stable forever: policy files, JSON reports and SARIF use it.
	ID string
	// Severity is the highest severity the check reports.
	Severity Severity
	// Summary is one line for the README and SARIF rule descriptions.
	Summary string
	// Online checks need registry metadata (Input.Meta); offline they
	// report nothing.
	Online bool
	// Tamper marks checks whose findings say the lockfile (or what it
	// pins) was tampered with rather than that a package is risky: only a
	// policy ignore entry that names the check accepts them, never one for
	// a package and any check.
	Tamper bool
	// Run produces the check's findings.
	Run func(in *Input) []Finding
}

// IsTamper reports whether id is a Tamper check.
func IsTamper(id string) bool { return tamper()[id] }

var tamper = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range All() {
		if c.Tamper {
			m[c.ID] = true
		}
	}
	return m
})

// All returns every offline check, in report order.
func All() []Check {
	return []Check{
		{ID: "duplicate-key", Severity: Critical, Tamper: true, Summary: "The lockfile names the same JSON key twice, so tools disagree on what it says.", Run: DuplicateKeys},
		{ID: "section-mismatch", Severity: Critical, Tamper: true, Summary: "The dependencies section (read by npm 6) disagrees with packages (read by npm 7+): npm 6 would install unreviewed code.", Run: SectionMismatches},
		{ID: "lockfile-scripts", Severity: Critical, Tamper: true, Summary: "A packages entry carries a scripts field, which npm 7+ runs from the lockfile itself; npm never writes one.", Run: LockfileScripts},
		{ID: "odd-path", Severity: Critical, Tamper: true, Summary: "A packages key is not an install path npm writes (.., //, a backslash), so npm installs it elsewhere than it reads.", Run: OddPaths},
		{ID: "integrity-changed", Severity: Critical, Tamper: true, Summary: "The same name@version now has a different integrity hash.", Run: IntegrityChanged},
		{ID: "name-mismatch", Severity: Critical, Tamper: true, Summary: "A registry tarball URL names another package than the entry (lockfile injection).", Run: NameMismatch},
		{ID: "dependency-confusion", Severity: Critical, Tamper: true, Summary: "An internal package resolves from a public registry, or a new public package takes an internal name.", Run: DependencyConfusion},
		{ID: "format-downgrade", Severity: High, Summary: "The head lockfile records less than the base (lockfileVersion 3 to 1, or a declared version without its packages section), which hides install scripts and licenses from the review.", Run: FormatDowngrade},
		{ID: "install-script", Severity: High, Summary: "A package or version newly runs an install script (preinstall, install, postinstall).", Run: InstallScripts},
		{ID: "bin-shadowing", Severity: High, Summary: "A package newly installs a command named like a system or runtime one (node, npm, git, sh), which npm scripts then run instead.", Run: BinShadowing},
		{ID: "typosquat", Severity: High, Summary: "A newly added package name is confusable with a popular package.", Run: Typosquats},
		{ID: "insecure-source", Severity: High, Summary: "A package resolves over plain http.", Run: InsecureSources},
		{ID: "source-changed", Severity: High, Tamper: true, Summary: "The kind or host a package resolves from changed (registry to git fork, to another host).", Run: SourceChanges},
		{ID: "resolved-changed", Severity: High, Tamper: true, Summary: "The same name@version now resolves from another URL.", Run: ResolvedChanged},
		{ID: "non-registry-source", Severity: Medium, Summary: "A new package resolves from git, a file, or a tarball outside the allowed registries.", Run: NonRegistrySources},
		{ID: "unpinned-dependency", Severity: Medium, Summary: "A dependency the project declares is no longer in the lockfile, so npm install resolves an unreviewed version.", Run: UnpinnedDependencies},
		{ID: "weak-integrity", Severity: Medium, Summary: "A registry package has no integrity hash, or only sha1.", Run: WeakIntegrity},
		{ID: "license-changed", Severity: Medium, Summary: "A package's license changed between versions, or disappeared.", Run: LicenseChanges},
		{ID: "license-policy", Severity: High, Summary: "A new or updated package's license is denied, or not allowed, by policy.", Run: LicensePolicy},
		{ID: "broad-update", Severity: Medium, Summary: "The change touches more transitive packages than the policy threshold.", Run: BroadUpdate},
		{ID: "native-addon", Severity: Low, Summary: "A package newly builds or downloads native code, or is a platform-specific binary.", Run: NativeAddons},

		{ID: "provenance-invalid", Severity: Critical, Tamper: true, Online: true, Summary: "A version's attestation does not verify, or attests other bytes than the lockfile pins.", Run: ProvenanceInvalid},
		{ID: "signature-invalid", Severity: Critical, Tamper: true, Online: true, Summary: "The registry signature does not match the lockfile's integrity.", Run: SignatureInvalid},
		{ID: "provenance-dropped", Severity: High, Online: true, Summary: "An update lost the provenance its previous version (same major line) had.", Run: ProvenanceDropped},
		{ID: "provenance-identity-changed", Severity: High, Online: true, Summary: "An update was built from another repository, workflow or kind of ref.", Run: ProvenanceIdentityChanged},
		{ID: "publisher-changed", Severity: High, Online: true, Summary: "An update was published by another npm account (high with another risk signal, else medium).", Run: PublisherChanged},
		{ID: "maintainers-changed", Severity: Medium, Online: true, Summary: "An update adds (medium) or drops (low) maintainers.", Run: MaintainersChanged},
		{ID: "repository-changed", Severity: Medium, Online: true, Summary: "An update declares another source repository.", Run: RepositoryChanged},
		{ID: "recent-release", Severity: Medium, Online: true, Summary: "A version is younger than the policy's min-release-age.", Run: RecentRelease},
		{ID: "new-package", Severity: Medium, Online: true, Summary: "A package new to the tree had its first release less than 30 days ago.", Run: NewPackage},
		{ID: "deprecated", Severity: Low, Online: true, Summary: "An added or updated version is deprecated.", Run: Deprecated},
		{ID: "metadata-unavailable", Severity: Low, Online: true, Summary: "Registry metadata could not be read; the online checks did not run for that version.", Run: MetadataUnavailable},
		{ID: "provenance", Severity: Info, Online: true, Summary: "A version has verified provenance (repository, commit, workflow).", Run: Provenance},
	}
}

// IDs returns the IDs of All(), for validating policy files.
func IDs() []string {
	var ids []string
	for _, c := range All() {
		ids = append(ids, c.ID)
	}
	return ids
}

// Run runs the checks for which enabled returns true (nil enables all) and
// returns their findings sorted by severity (highest first), lockfile, package
// and check.
func Run(in *Input, enabled func(id string) bool) []Finding {
	var out []Finding
	for _, c := range All() {
		if enabled != nil && !enabled(c.ID) {
			continue
		}
		for _, f := range c.Run(in) {
			f.Check = c.ID
			if f.Lockfile == "" {
				f.Lockfile = in.Lockfile
			}
			f.Source = in.unvetted(f.Path)
			out = append(out, f)
		}
	}
	Sort(out)
	return out
}

// Sort orders findings by severity (highest first), then lockfile, package,
// version, check and path.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Lockfile, b.Lockfile),
			cmp.Compare(a.Package, b.Package),
			cmp.Compare(a.Version, b.Version),
			cmp.Compare(a.Check, b.Check),
			cmp.Compare(a.Path, b.Path),
		)
	})
}

// finding starts a finding about change c pointing at its node.
func finding(c *diff.Change, sev Severity, msg, remediation string) Finding {
	f := Finding{Severity: sev, Package: c.Name, Message: msg, Remediation: remediation}
	switch c.Kind {
	case diff.Removed:
		f.Version = c.From
	case diff.Updated:
		f.Version, f.From = c.To, c.From
	default:
		f.Version = c.To
	}
	if n := c.Node(); n != nil {
		f.Line, f.Path = n.Line, n.Path
	}
	return f
}

// versionText renders "name 1.2.3" or "name 1.2.3 → 1.3.0" for messages.
func versionText(c *diff.Change) string {
	switch c.Kind {
	case diff.Updated:
		return fmt.Sprintf("%s %s → %s", c.Name, c.From, c.To)
	case diff.Removed:
		return fmt.Sprintf("%s %s", c.Name, c.From)
	}
	return fmt.Sprintf("%s %s", c.Name, c.To)
}

// changes iterates over the changes for which keep returns true.
func (in *Input) changes(keep func(*diff.Change) bool) iter.Seq[*diff.Change] {
	return func(yield func(*diff.Change) bool) {
		for i := range in.Changes.List {
			if c := &in.Changes.List[i]; keep(c) && !yield(c) {
				return
			}
		}
	}
}

// freshUpdate reports an update to a version the base did not already have.
func freshUpdate(c *diff.Change) bool { return c.Kind == diff.Updated && !c.Existing }

// notRemoved reports every change but removals.
func notRemoved(c *diff.Change) bool { return c.Kind != diff.Removed }

// introduced reports whether the change brings code into the tree that the
// base did not have: an addition, or an update to a version the base did not
// already install elsewhere.
func introduced(c *diff.Change) bool {
	return c.Kind == diff.Added || (c.Kind == diff.Updated && !c.Existing)
}

// truncated reports a head list that reached lockfile.MaxRecorded and
// dropped later entries (Lockfile.Cut), one of which could be new.
// Critical, whatever the base had: the review of that part is incomplete.
func truncated(head *lockfile.Lockfile, list lockfile.Cut, what string) []Finding {
	if head.Cut&list == 0 {
		return nil
	}
	return []Finding{{
		Severity:    Critical,
		Message:     fmt.Sprintf("the lockfile has at least %d %s; only the first %d were read, so a new one among the rest would not show", lockfile.MaxRecorded, what, lockfile.MaxRecorded),
		Remediation: "Regenerate the lockfile with npm, which writes none of these, and review that.",
	}}
}
