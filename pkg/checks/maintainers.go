package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/registry"
)

// MaintainersChanged reports updates whose maintainer set changed.
//
// Motivation: account takeovers and handovers to a new owner (event-stream's
// new maintainer in 2018, ua-parser-js in 2021) precede most malicious
// releases of established packages. What it looks at: the maintainers listed
// in the old and new versions' manifests. It fires medium when the new
// version has maintainers the old one did not, low when maintainers only
// left. Remediation: check who the new maintainers are (their npm profile,
// the project's announcements) before taking the release.
func MaintainersChanged(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(freshUpdate) {
		a, b, ok := manifests(in.Meta.of(c))
		if !ok || len(a.Maintainers) == 0 || len(b.Maintainers) == 0 {
			continue
		}
		added := peopleMinus(a.Maintainers, b.Maintainers)
		removed := peopleMinus(b.Maintainers, a.Maintainers)
		var f Finding
		switch {
		case len(added) > 0:
			msg := fmt.Sprintf("%s adds maintainers %s", versionText(c), strings.Join(added, ", "))
			if len(removed) > 0 {
				msg += fmt.Sprintf(" and drops %s", strings.Join(removed, ", "))
			}
			f = finding(c, Medium, msg, "Check who the new maintainers are before taking this release.")
		case len(removed) > 0:
			f = finding(c, Low, fmt.Sprintf("%s no longer lists maintainers %s", versionText(c), strings.Join(removed, ", ")), "Usually routine; check the project's announcements if the package changed hands.")
		default:
			continue
		}
		f.Values = map[string]string{"added": strings.Join(added, ", "), "removed": strings.Join(removed, ", ")}
		out = append(out, f)
	}
	return out
}

// PublisherChanged reports updates published by another npm account than the
// previous version.
//
// Motivation: a release pushed from a different account is how a stolen
// token or a new owner shows first. What it looks at: `_npmUser` of the old
// and new versions. It fires medium alone, and high when the same package
// also shows another risk signal in this review (an install script, new
// maintainers, dropped provenance, a very recent release, a changed
// repository). Remediation: confirm the release with the project.
func PublisherChanged(in *Input) []Finding {
	risky := riskyPackages(in)
	var out []Finding
	for c := range in.changes(freshUpdate) {
		a, b, ok := manifests(in.Meta.of(c))
		if !ok || a.NPMUser == nil || b.NPMUser == nil || samePerson(*a.NPMUser, *b.NPMUser) {
			continue
		}
		msg := fmt.Sprintf("%s was published by %s; %s was published by %s", versionText(c), personText(*a.NPMUser), c.From, personText(*b.NPMUser))
		sev := Medium
		if why := risky[c.Name]; why != "" {
			sev = High
			msg += "; together with " + why
		}
		f := finding(c, sev, msg, "Confirm with the project that this account publishes its releases.")
		f.Values = map[string]string{"before": personText(*b.NPMUser), "after": personText(*a.NPMUser)}
		out = append(out, f)
	}
	return out
}

// riskyPackages names, per package, the other risk signals of this review
// that make a publisher change high.
func riskyPackages(in *Input) map[string]string {
	out := map[string]string{}
	add := func(name, why string) {
		if out[name] == "" {
			out[name] = why
		} else if !strings.Contains(out[name], why) {
			out[name] += ", " + why
		}
	}
	for _, f := range InstallScripts(in) {
		add(f.Package, "a new install script")
	}
	for _, f := range MaintainersChanged(in) {
		if f.Severity >= Medium {
			add(f.Package, "new maintainers")
		}
	}
	for _, f := range ProvenanceDropped(in) {
		add(f.Package, "dropped provenance")
	}
	for _, f := range RecentRelease(in) {
		add(f.Package, "a very recent release")
	}
	for _, f := range RepositoryChanged(in) {
		add(f.Package, "a changed repository")
	}
	return out
}

// RepositoryChanged reports updates whose declared source repository changed.
//
// Motivation: a release that points at another repository may be built from
// a fork, and it breaks the link between the code you read and the code you
// install. What it looks at: the normalized `repository` URL of the old and
// new manifests. It fires medium when both are set and differ, low when only
// the repository name changed under the same owner (a rename). Remediation:
// check that the new repository belongs to the same project.
func RepositoryChanged(in *Input) []Finding {
	var out []Finding
	for c := range in.changes(freshUpdate) {
		a, b, ok := manifests(in.Meta.of(c))
		if !ok {
			continue
		}
		ra, rb := normalizeRepo(a.Repository.URL), normalizeRepo(b.Repository.URL)
		if ra == "" || rb == "" || ra == rb {
			continue
		}
		f := finding(c, Medium, fmt.Sprintf("%s declares repository %s; %s declared %s", versionText(c), a.Repository.URL, c.From, b.Repository.URL),
			"Check that the new repository belongs to the same project (a fork or a takeover changes it).")
		if owner(ra) == owner(rb) {
			// Same host and owner: a renamed repository, as GitHub renames do.
			f.Severity = Low
			f.Message += " (same owner: likely a rename)"
		}
		f.Values = map[string]string{"before": b.Repository.URL, "after": a.Repository.URL}
		out = append(out, f)
	}
	return out
}

// normalizeRepo reduces the many spellings of a repository URL to host/path.
func normalizeRepo(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if u == "" {
		return ""
	}
	u = strings.TrimPrefix(u, "git+")
	for _, p := range []string{"https://", "http://", "ssh://", "git://"} {
		u = strings.TrimPrefix(u, p)
	}
	if at := strings.Index(u, "@"); at >= 0 && at < strings.IndexAny(u+"/", "/:") {
		u = u[at+1:]
	}
	u = strings.Replace(u, ":", "/", 1)
	u, _, _ = strings.Cut(u, "#")
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	return u
}

// owner returns "host/owner" of a normalized repository, or "".
func owner(repo string) string {
	parts := strings.SplitN(repo, "/", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

func peopleMinus(a, b []registry.Person) []string {
	var out []string
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q registry.Person) bool { return samePerson(p, q) }) {
			out = append(out, personText(p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func samePerson(a, b registry.Person) bool {
	if a.Name != "" && b.Name != "" {
		return strings.EqualFold(a.Name, b.Name)
	}
	return strings.EqualFold(a.Email, b.Email)
}

func personText(p registry.Person) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}
