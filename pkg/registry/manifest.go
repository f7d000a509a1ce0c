package registry

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Manifest is the registry's document for one published version of a
// package (what `GET /{package}/{version}` returns), reduced to what
// lockreview's checks read. Fields the registry sends in several shapes are
// folded into one.
type Manifest struct {
	Name    string
	Version string
	// Scripts holds every script whose value is a string, as npm keeps
	// them; see InstallScripts for the ones npm runs on install.
	Scripts map[string]string
	// Gypfile is set when the package has a binding.gyp at its root.
	Gypfile bool
	// License is the SPDX expression or name from "license", or folded
	// from an old {"type": …} object, the "licence" spelling, or a
	// "licenses" array (several become "(A OR B)").
	License    string
	Repository Repository
	// Maintainers are the package's maintainers at publish time.
	Maintainers []Person
	// NPMUser is the account that published this version (_npmUser), nil
	// when the registry does not say.
	NPMUser *Person
	// Deprecated is the deprecation message; empty when the version is not
	// deprecated. A bare `true` becomes "true", as npm would print it.
	Deprecated string
	Dist       Dist
	// HasInstallScript is the registry's own flag, sent by some registries
	// (and in abbreviated metadata).
	HasInstallScript bool
}

// Repository is the "repository" field. A string shorthand ("user/repo",
// "github:user/repo", "gitlab:…", "bitbucket:…", "gist:…") is expanded to
// an https URL with Type "git"; any other string is kept as the URL.
type Repository struct {
	Type      string
	URL       string
	Directory string
}

// Person is a maintainer or publisher: {"name", "email"}, or the string
// form "Name <email> (url)".
type Person struct {
	Name  string
	Email string
}

// Dist is the "dist" object: where the tarball is and how to check it.
// Tarball and Attestations.URL are information only: this package never
// fetches them (see [Client.SameOrigin]).
type Dist struct {
	Tarball   string
	Integrity string
	Shasum    string
	// Signatures are the registry's ECDSA signatures over
	// "name@version:integrity", checked against [Client.Keys].
	Signatures []Signature
	// Attestations is set when the version was published with
	// attestations (provenance); fetch them with [Client.Attestations].
	Attestations *DistAttestations
}

// Signature is one entry of dist.signatures.
type Signature struct {
	KeyID string
	Sig   string
}

// DistAttestations is dist.attestations.
type DistAttestations struct {
	URL        string
	Provenance *Provenance
}

// Provenance is dist.attestations.provenance.
type Provenance struct {
	PredicateType string
}

// installScriptNames are the lifecycle scripts npm runs when it installs a
// package from the registry, plus prepare (run for git dependencies and on
// `npm install` in the package itself), which the checks treat alike.
var installScriptNames = []string{"preinstall", "install", "postinstall", "prepare"}

// InstallScripts returns the scripts npm runs on install: preinstall,
// install, postinstall and prepare, and the implicit "node-gyp rebuild"
// install script npm adds when the package has a binding.gyp and neither an
// install nor a preinstall script. It returns nil when there are none.
func (m *Manifest) InstallScripts() map[string]string {
	var out map[string]string
	for _, k := range installScriptNames {
		if s := m.Scripts[k]; s != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = s
		}
	}
	if m.Gypfile && m.Scripts["install"] == "" && m.Scripts["preinstall"] == "" {
		if out == nil {
			out = map[string]string{}
		}
		out["install"] = "node-gyp rebuild"
	}
	return out
}

// clone returns a deep copy, so a cached Manifest is never shared with a
// caller that might modify it.
func (m *Manifest) clone() *Manifest {
	c := *m
	c.Scripts = maps.Clone(m.Scripts)
	c.Maintainers = slices.Clone(m.Maintainers)
	if m.NPMUser != nil {
		u := *m.NPMUser
		c.NPMUser = &u
	}
	c.Dist.Signatures = slices.Clone(m.Dist.Signatures)
	if a := m.Dist.Attestations; a != nil {
		ac := *a
		if a.Provenance != nil {
			p := *a.Provenance
			ac.Provenance = &p
		}
		c.Dist.Attestations = &ac
	}
	return &c
}

// Manifest returns the manifest of name@version. version is an exact
// version, as a lockfile records it: a dist-tag or a range, which the
// registry would resolve to some other version, fails with [ErrMalformed].
//
// It fetches GET /{package}/{version} (a scoped name as @scope%2fname):
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#getpackageversion
//
// A published version's manifest is immutable, so a result stays in the LRU
// until evicted; a 404 is remembered for [NegativeTTL] (the version may be
// on its way through a mirror). Concurrent calls for one name@version share
// one request. The error wraps [ErrInvalidSpec] (no request made),
// [ErrNotFound], [ErrTooLarge], [ErrMalformed] (including a manifest naming
// another name or version), [ErrTimeout], *[StatusError], or the context's
// error. Safe for concurrent use.
func (c *Client) Manifest(ctx context.Context, name, version string) (*Manifest, error) {
	spec := name + "@" + version
	if err := validateName(name); err != nil {
		return nil, fmt.Errorf("manifest %q: %w", spec, err)
	}
	if err := validateVersion(version); err != nil {
		return nil, fmt.Errorf("manifest %q: %w", spec, err)
	}
	v, err := c.cached(ctx, "manifest\x00"+spec, immutableTTL, func(ctx context.Context) (any, error) {
		var m *Manifest
		err := c.get(ctx, KindManifest, manifestPath(name, version), c.cfg.maxBody, func(r io.Reader) error {
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			if m, err = decodeManifest(data); err != nil {
				return err
			}
			if m.Name != name || m.Version != version {
				return fmt.Errorf("%w: the registry answered with %q", ErrMalformed, m.Name+"@"+m.Version)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("manifest %q: %w", spec, err)
		}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Manifest).clone(), nil
}

// unmarshalOpts are lenient where the registry's documents are old or odd
// (invalid UTF-8, lone surrogates from JavaScript strings) and strict where
// leniency could hide data: member names are matched case-sensitively and a
// duplicate name is an error, because npm (JSON.parse) would take the last
// "scripts" while a lenient decoder might take the first.
var unmarshalOpts = json.JoinOptions(jsontext.AllowInvalidUTF8(true))

// wireManifest is the JSON shape; flexible fields stay raw and are folded by
// decodeManifest.
type wireManifest struct {
	Name             jsontext.Value `json:"name"`
	Version          jsontext.Value `json:"version"`
	Scripts          jsontext.Value `json:"scripts"`
	Gypfile          jsontext.Value `json:"gypfile"`
	License          jsontext.Value `json:"license"`
	Licence          jsontext.Value `json:"licence"`
	Licenses         jsontext.Value `json:"licenses"`
	Repository       jsontext.Value `json:"repository"`
	Maintainers      jsontext.Value `json:"maintainers"`
	NPMUser          jsontext.Value `json:"_npmUser"`
	Deprecated       jsontext.Value `json:"deprecated"`
	Dist             jsontext.Value `json:"dist"`
	HasInstallScript jsontext.Value `json:"hasInstallScript"`
}

// decodeManifest decodes one version document. It fails only when data is
// not a JSON object (or has duplicate member names); a field of an
// unexpected type is dropped, as npm's normalize-package-data drops it.
func decodeManifest(data []byte) (*Manifest, error) {
	var w wireManifest
	if err := json.Unmarshal(data, &w, unmarshalOpts); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if k := jsontext.Value(data).Kind(); k != '{' {
		// Unmarshal accepts null into a struct.
		return nil, fmt.Errorf("%w: manifest is not a JSON object", ErrMalformed)
	}
	m := &Manifest{
		Name:             str(w.Name),
		Version:          str(w.Version),
		Gypfile:          boolean(w.Gypfile),
		HasInstallScript: boolean(w.HasInstallScript),
		License:          license(w.License),
		Repository:       repository(w.Repository),
		Maintainers:      people(w.Maintainers),
		Dist:             dist(w.Dist),
	}
	if m.License == "" {
		m.License = license(w.Licence)
	}
	if m.License == "" {
		m.License = license(w.Licenses)
	}
	for k, v := range object(w.Scripts) {
		if s, ok := strOK(v); ok {
			if m.Scripts == nil {
				m.Scripts = map[string]string{}
			}
			m.Scripts[k] = s
		}
	}
	if p, ok := person(w.NPMUser); ok {
		m.NPMUser = &p
	}
	switch w.Deprecated.Kind() {
	case '"':
		m.Deprecated = str(w.Deprecated)
	case 't':
		m.Deprecated = "true"
	}
	return m, nil
}

// strOK returns v's string when v is a JSON string.
func strOK(v jsontext.Value) (string, bool) {
	if v.Kind() != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(v, &s, unmarshalOpts); err != nil {
		return "", false
	}
	return s, true
}

func str(v jsontext.Value) string {
	s, _ := strOK(v)
	return s
}

func boolean(v jsontext.Value) bool { return v.Kind() == 't' }

// object returns v's members when v is a JSON object, nil otherwise.
func object(v jsontext.Value) map[string]jsontext.Value {
	if v.Kind() != '{' {
		return nil
	}
	var m map[string]jsontext.Value
	if err := json.Unmarshal(v, &m, unmarshalOpts); err != nil {
		return nil
	}
	return m
}

// array returns v's elements when v is a JSON array, nil otherwise.
func array(v jsontext.Value) []jsontext.Value {
	if v.Kind() != '[' {
		return nil
	}
	var a []jsontext.Value
	if err := json.Unmarshal(v, &a, unmarshalOpts); err != nil {
		return nil
	}
	return a
}

// license folds "license", "licence" or "licenses": a string, an object
// with a "type", or an array of either.
func license(v jsontext.Value) string {
	switch v.Kind() {
	case '"':
		return strings.TrimSpace(str(v))
	case '{':
		return strings.TrimSpace(str(object(v)["type"]))
	case '[':
		var ids []string
		for _, e := range array(v) {
			if e.Kind() == '[' {
				continue // not a shape npm ever wrote; refuse to recurse
			}
			if id := license(e); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		switch len(ids) {
		case 0:
			return ""
		case 1:
			return ids[0]
		default:
			return "(" + strings.Join(ids, " OR ") + ")"
		}
	}
	return ""
}

// repository folds the object form and the string shorthands that npm's
// hosted-git-info expands.
func repository(v jsontext.Value) Repository {
	switch v.Kind() {
	case '{':
		o := object(v)
		return Repository{Type: str(o["type"]), URL: str(o["url"]), Directory: str(o["directory"])}
	case '"':
		s := strings.TrimSpace(str(v))
		if s == "" {
			return Repository{}
		}
		return Repository{Type: "git", URL: expandShorthand(s)}
	}
	return Repository{}
}

// shorthandHosts maps hosted-git-info's shorthand prefixes to their hosts.
var shorthandHosts = map[string]string{
	"github":    "https://github.com/",
	"gitlab":    "https://gitlab.com/",
	"bitbucket": "https://bitbucket.org/",
	"gist":      "https://gist.github.com/",
}

func expandShorthand(s string) string {
	if prefix, rest, ok := strings.Cut(s, ":"); ok {
		if host, ok := shorthandHosts[prefix]; ok && rest != "" && !strings.HasPrefix(rest, "/") {
			return host + rest
		}
		return s
	}
	// "user/repo" with nothing else is a GitHub shorthand.
	if user, repo, ok := strings.Cut(s, "/"); ok && user != "" && repo != "" &&
		!strings.ContainsAny(repo, "/ ") && !strings.ContainsAny(user, " @") {
		return "https://github.com/" + s
	}
	return s
}

// person folds {"name", "email"} and "Name <email> (url)".
func person(v jsontext.Value) (Person, bool) {
	switch v.Kind() {
	case '{':
		o := object(v)
		p := Person{Name: str(o["name"]), Email: str(o["email"])}
		return p, p != Person{}
	case '"':
		p := parsePerson(str(v))
		return p, p != Person{}
	}
	return Person{}, false
}

// parsePerson parses npm's "Name <email> (url)" form; each part is optional.
func parsePerson(s string) Person {
	var p Person
	name := s
	if i := strings.IndexAny(s, "<("); i >= 0 {
		name = s[:i]
	}
	p.Name = strings.TrimSpace(name)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			p.Email = strings.TrimSpace(s[i+1 : i+j])
		}
	}
	return p
}

// people folds "maintainers": an array of people, or a single one.
func people(v jsontext.Value) []Person {
	var out []Person
	elems := array(v)
	if elems == nil && (v.Kind() == '{' || v.Kind() == '"') {
		elems = []jsontext.Value{v}
	}
	for _, e := range elems {
		if p, ok := person(e); ok {
			out = append(out, p)
		}
	}
	return out
}

func dist(v jsontext.Value) Dist {
	o := object(v)
	if o == nil {
		return Dist{}
	}
	d := Dist{Tarball: str(o["tarball"]), Integrity: str(o["integrity"]), Shasum: str(o["shasum"])}
	for _, e := range array(o["signatures"]) {
		s := object(e)
		sig := Signature{KeyID: str(s["keyid"]), Sig: str(s["sig"])}
		if sig != (Signature{}) {
			d.Signatures = append(d.Signatures, sig)
		}
	}
	if a := object(o["attestations"]); a != nil {
		d.Attestations = &DistAttestations{URL: str(a["url"])}
		if p := object(a["provenance"]); p != nil {
			d.Attestations.Provenance = &Provenance{PredicateType: str(p["predicateType"])}
		}
	}
	return d
}
