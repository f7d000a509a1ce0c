package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lockreview/lockreview/pkg/diff"
	"github.com/lockreview/lockreview/pkg/lockfile"
)

// BroadUpdate reports a change that touches many transitive packages at once.
//
// Motivation: a one-line range bump can pull hundreds of transitive versions
// into a PR, and a malicious one hides best among them ("did a broad range
// update hide risk?"). What it looks at: the number of transitive packages
// added, updated or removed. It fires once (medium) when that number exceeds
// the policy's broad-update-threshold (default 50), with the counts by kind and
// the direct dependencies that pulled most of the new versions in, so the
// reviewer knows where to look. Remediation: split the update, or review the
// named direct dependencies' changes first.
func BroadUpdate(in *Input) []Finding {
	threshold := in.Config.BroadUpdateThreshold
	if threshold <= 0 {
		threshold = DefaultBroadUpdateThreshold
	}
	counts := map[string]int{}
	total := 0
	changed := map[string]int{} // head path of an added/updated node → its change
	for i := range in.Changes.List {
		c := &in.Changes.List[i]
		if c.Direct {
			continue
		}
		switch c.Kind {
		case diff.Added:
			counts["added"]++
		case diff.Removed:
			counts["removed"]++
		case diff.Updated:
			counts[c.Update.String()]++
		default:
			continue
		}
		total++
		for _, n := range c.After {
			changed[n.Path] = i
		}
	}
	if total <= threshold {
		return nil
	}
	var parts []string
	for _, k := range []string{"added", "major", "minor", "patch", "prerelease", "downgrade", "non-semver", "removed"} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	pullers := Pullers(in.head(), changed)
	var top []string
	for i, p := range pullers {
		if i == 5 {
			break
		}
		top = append(top, fmt.Sprintf("%s (%d)", p.Name, p.Count))
	}
	msg := fmt.Sprintf("this change touches %d transitive packages (%s), over the threshold of %d", total, strings.Join(parts, ", "), threshold)
	f := Finding{
		Severity:    Medium,
		Message:     msg,
		Remediation: "Review the direct dependencies that pulled the most in first, or split the update into smaller ones.",
		Values:      map[string]string{"total": fmt.Sprint(total)},
	}
	if len(top) > 0 {
		f.Message += "; most came in through " + strings.Join(top, ", ")
		f.Package = pullers[0].Name
		f.Values["pulledBy"] = strings.Join(top, ", ")
		if n := in.head().Package(pullers[0].Path); n != nil {
			f.Version, f.Line, f.Path = n.Version, n.Line, n.Path
		}
	}
	for k, v := range counts {
		f.Values[k] = fmt.Sprint(v)
	}
	return []Finding{f}
}

// Puller is a direct dependency and how many changes it reaches.
type Puller struct {
	Name, Path string
	Count      int
}

// Pullers returns the direct dependencies of l (of the root and of each
// workspace; for lockfileVersion 1, the top-level packages nothing else
// requires) with how many distinct changes each reaches through npm's
// resolution, most first. changed maps an install path to its change.
func Pullers(l *lockfile.Lockfile, changed map[string]int) []Puller {
	// Resolve every dependency edge once, then walk from each direct
	// dependency over node indexes with a generation-stamped visited list.
	index := make(map[*lockfile.Package]int, len(l.Packages))
	for i, p := range l.Packages {
		index[p] = i
	}
	edges := make([][]int32, len(l.Packages))
	changeOf := make([]int, len(l.Packages))
	for i, p := range l.Packages {
		changeOf[i] = -1
		if id, ok := changed[p.Path]; ok {
			changeOf[i] = id
		}
		forEachDep(p, func(name string) {
			if q := l.Target(l.Resolve(p.Path, name)); q != nil {
				edges[i] = append(edges[i], int32(index[q]))
			}
		})
	}
	visited := make([]int, len(l.Packages))
	var out []Puller
	var stack []int32
	for gen, d := range directNodes(l) {
		stamp := gen + 1
		reached := map[int]bool{}
		stack = append(stack[:0], int32(index[d]))
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[i] == stamp {
				continue
			}
			visited[i] = stamp
			if id := changeOf[i]; id >= 0 {
				reached[id] = true
			}
			for _, j := range edges[i] {
				if visited[j] != stamp {
					stack = append(stack, j)
				}
			}
		}
		if len(reached) > 0 {
			out = append(out, Puller{Name: d.Name, Path: d.Path, Count: len(reached)})
		}
	}
	slices.SortFunc(out, func(a, b Puller) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func forEachDep(p *lockfile.Package, f func(name string)) {
	for _, dep := range p.Deps {
		if dep.Type&lockfile.DepRuntime != 0 {
			f(dep.Name)
		}
	}
}

// directNodes returns the installed nodes of the root's and workspaces'
// declared dependencies.
func directNodes(l *lockfile.Lockfile) []*lockfile.Package {
	var out []*lockfile.Package
	seen := map[string]bool{}
	add := func(owner *lockfile.Package, from string) {
		for _, typ := range []lockfile.DepType{lockfile.DepProd, lockfile.DepOptional, lockfile.DepDev, lockfile.DepPeer} {
			for _, name := range owner.Deps.Names(typ) {
				if q := l.Target(l.Resolve(from, name)); q != nil && !seen[q.Path] {
					seen[q.Path] = true
					out = append(out, q)
				}
			}
		}
	}
	if l.Root != nil {
		add(l.Root, "")
		for _, p := range l.Packages {
			if p.Workspace {
				add(p, p.Path)
			}
		}
		return out
	}
	// lockfileVersion 1 does not record the root's dependencies: take the
	// top-level packages that no other package requires.
	required := map[string]bool{}
	for _, p := range l.Packages {
		forEachDep(p, func(name string) {
			if q := l.Resolve(p.Path, name); q != nil {
				required[q.Path] = true
			}
		})
	}
	for _, p := range l.Packages {
		if strings.Count(p.Path, "node_modules/") == 1 && !required[p.Path] {
			out = append(out, p)
		}
	}
	return out
}
