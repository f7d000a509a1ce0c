package lockfile

import (
	"cmp"
	"sort"
)

// DepType says which field of an entry declares a dependency. The types are
// bits, so that a mask selects several.
type DepType uint8

// Dependency types.
const (
	// DepProd: `dependencies` (v1: `requires`).
	DepProd DepType = 1 << iota
	// DepOptional: `optionalDependencies`.
	DepOptional
	// DepPeer: `peerDependencies`.
	DepPeer
	// DepDev: `devDependencies` (the root and workspace packages only).
	DepDev

	// DepRuntime is what an installed package needs at run time: everything
	// but devDependencies.
	DepRuntime = DepProd | DepOptional | DepPeer
	// DepAny selects every type.
	DepAny = DepRuntime | DepDev
)

// Dep is one declared dependency.
type Dep struct {
	Name string
	// Spec is the declared range ("^1.2.0", "npm:other@1", a git URL; v1
	// `requires` may also hold "true").
	Spec string
	Type DepType
}

// Deps is an entry's declared dependencies, sorted by name, then type. A
// sorted slice holds them in about a third of the memory of maps, and an
// entry has few.
type Deps []Dep

func compareDeps(a, b Dep) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
}

// Get returns the range with which name is declared as one of types.
func (d Deps) Get(name string, types DepType) (spec string, ok bool) {
	i := sort.Search(len(d), func(i int) bool { return d[i].Name >= name })
	for ; i < len(d) && d[i].Name == name; i++ {
		if d[i].Type&types != 0 {
			return d[i].Spec, true
		}
	}
	return "", false
}

// Has reports whether name is declared as one of types.
func (d Deps) Has(name string, types DepType) bool {
	_, ok := d.Get(name, types)
	return ok
}

// Names returns the names declared as one of types, sorted, each once.
func (d Deps) Names(types DepType) []string {
	var out []string
	for _, dep := range d {
		if dep.Type&types != 0 && (len(out) == 0 || out[len(out)-1] != dep.Name) {
			out = append(out, dep.Name)
		}
	}
	return out
}
