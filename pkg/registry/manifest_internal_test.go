package registry

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeManifest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    *Manifest
		wantErr error
	}{
		{name: "minimal", in: `{"name":"a","version":"1.0.0"}`, want: &Manifest{Name: "a", Version: "1.0.0"}},
		{name: "license-object", in: `{"license":{"type":"MIT","url":"x"}}`, want: &Manifest{License: "MIT"}},
		{name: "licence-spelling", in: `{"licence":"ISC"}`, want: &Manifest{License: "ISC"}},
		{name: "licenses-objects", in: `{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}`, want: &Manifest{License: "(MIT OR Apache-2.0)"}},
		{name: "licenses-strings-dedup", in: `{"licenses":["BSD","BSD"," MIT "]}`, want: &Manifest{License: "(BSD OR MIT)"}},
		{name: "licenses-object", in: `{"licenses":{"type":"BSD"}}`, want: &Manifest{License: "BSD"}},
		{name: "license-wins", in: `{"license":"MIT","licenses":[{"type":"GPL"}]}`, want: &Manifest{License: "MIT"}},
		{name: "license-empty-falls-back", in: `{"license":"","licenses":["GPL"]}`, want: &Manifest{License: "GPL"}},
		{name: "license-nested-arrays-ignored", in: `{"license":[[["MIT"]]]}`, want: &Manifest{}},
		{name: "license-number", in: `{"license":1}`, want: &Manifest{}},
		{
			name: "repository-object", in: `{"repository":{"type":"git","url":"git+https://github.com/a/b.git","directory":"packages/b"}}`,
			want: &Manifest{Repository: Repository{Type: "git", URL: "git+https://github.com/a/b.git", Directory: "packages/b"}},
		},
		{name: "repository-github-prefix", in: `{"repository":"github:a/b"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://github.com/a/b"}}},
		{name: "repository-bare-shorthand", in: `{"repository":"a/b"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://github.com/a/b"}}},
		{name: "repository-gitlab", in: `{"repository":"gitlab:a/b"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://gitlab.com/a/b"}}},
		{name: "repository-bitbucket", in: `{"repository":"bitbucket:a/b"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://bitbucket.org/a/b"}}},
		{name: "repository-gist", in: `{"repository":"gist:11081aaa"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://gist.github.com/11081aaa"}}},
		{name: "repository-url", in: `{"repository":"https://github.com/a/b.git"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "https://github.com/a/b.git"}}},
		{name: "repository-scp", in: `{"repository":"git@github.com:a/b.git"}`, want: &Manifest{Repository: Repository{Type: "git", URL: "git@github.com:a/b.git"}}},
		{name: "repository-array-ignored", in: `{"repository":["a/b"]}`, want: &Manifest{}},
		{
			name: "maintainers-mixed",
			in:   `{"maintainers":[{"name":"a","email":"a@x"},"B Name <b@x> (https://b.example)","c",{"name":1},{}]}`,
			want: &Manifest{Maintainers: []Person{{Name: "a", Email: "a@x"}, {Name: "B Name", Email: "b@x"}, {Name: "c"}}},
		},
		{name: "maintainers-single-string", in: `{"maintainers":"a <a@x>"}`, want: &Manifest{Maintainers: []Person{{Name: "a", Email: "a@x"}}}},
		{name: "npmuser-string", in: `{"_npmUser":"pub <pub@x>"}`, want: &Manifest{NPMUser: &Person{Name: "pub", Email: "pub@x"}}},
		{name: "npmuser-empty", in: `{"_npmUser":{}}`, want: &Manifest{}},
		{name: "deprecated-string", in: `{"deprecated":"use b"}`, want: &Manifest{Deprecated: "use b"}},
		{name: "deprecated-true", in: `{"deprecated":true}`, want: &Manifest{Deprecated: "true"}},
		{name: "deprecated-false", in: `{"deprecated":false}`, want: &Manifest{}},
		{name: "deprecated-undone", in: `{"deprecated":""}`, want: &Manifest{}},
		{
			name: "scripts-non-strings-dropped", in: `{"scripts":{"install":"x","test":null,"build":["y"],"prepare":1}}`,
			want: &Manifest{Scripts: map[string]string{"install": "x"}},
		},
		{name: "scripts-not-object", in: `{"scripts":"install"}`, want: &Manifest{}},
		{name: "flags", in: `{"gypfile":true,"hasInstallScript":true}`, want: &Manifest{Gypfile: true, HasInstallScript: true}},
		{name: "flags-strings-not-bools", in: `{"gypfile":"true","hasInstallScript":1}`, want: &Manifest{}},
		{
			name: "dist",
			in: `{"dist":{"tarball":"t","integrity":"sha512-x","shasum":"s","signatures":[{"keyid":"k","sig":"g"},{},"junk"],` +
				`"attestations":{"url":"u","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}}}`,
			want: &Manifest{Dist: Dist{
				Tarball: "t", Integrity: "sha512-x", Shasum: "s",
				Signatures:   []Signature{{KeyID: "k", Sig: "g"}},
				Attestations: &DistAttestations{URL: "u", Provenance: &Provenance{PredicateType: "https://slsa.dev/provenance/v1"}},
			}},
		},
		{name: "dist-attestations-without-provenance", in: `{"dist":{"attestations":{"url":"u"}}}`, want: &Manifest{Dist: Dist{Attestations: &DistAttestations{URL: "u"}}}},
		{name: "unknown-fields-ignored", in: `{"readme":"…","bin":{"x":"y"},"Scripts":{"install":"case matters"}}`, want: &Manifest{}},
		{name: "invalid-utf8-tolerated", in: "{\"name\":\"a\xff\"}", want: &Manifest{Name: "a\uFFFD"}},
		{name: "lone-surrogate-tolerated", in: `{"deprecated":"x\ud800"}`, want: &Manifest{Deprecated: "x\uFFFD"}},
		{name: "duplicate-member", in: `{"scripts":{},"scripts":{"install":"x"}}`, wantErr: ErrMalformed},
		{name: "duplicate-nested-member", in: `{"scripts":{"install":"a","install":"b"}}`, wantErr: ErrMalformed},
		{name: "null", in: `null`, wantErr: ErrMalformed},
		{name: "array", in: `[]`, wantErr: ErrMalformed},
		{name: "string", in: `"x"`, wantErr: ErrMalformed},
		{name: "truncated", in: `{"name":"a"`, wantErr: ErrMalformed},
		{name: "trailing", in: `{} {}`, wantErr: ErrMalformed},
		{name: "empty", in: ``, wantErr: ErrMalformed},
		{name: "name-not-string", in: `{"name":1,"version":"1.0.0"}`, want: &Manifest{Version: "1.0.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeManifest([]byte(tt.in))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("decodeManifest(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeManifest(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decodeManifest(%q) diff (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestInstallScripts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Manifest
		want map[string]string
	}{
		{name: "none", m: Manifest{Scripts: map[string]string{"test": "x", "prepublish": "y"}}},
		{
			name: "lifecycle",
			m:    Manifest{Scripts: map[string]string{"preinstall": "a", "install": "b", "postinstall": "c", "prepare": "d", "test": "e", "preuninstall": "f"}},
			want: map[string]string{"preinstall": "a", "install": "b", "postinstall": "c", "prepare": "d"},
		},
		{name: "empty-script-ignored", m: Manifest{Scripts: map[string]string{"postinstall": ""}}},
		{name: "gyp-implicit", m: Manifest{Gypfile: true}, want: map[string]string{"install": "node-gyp rebuild"}},
		{
			name: "gyp-with-postinstall",
			m:    Manifest{Gypfile: true, Scripts: map[string]string{"postinstall": "p"}},
			want: map[string]string{"install": "node-gyp rebuild", "postinstall": "p"},
		},
		{name: "gyp-own-install", m: Manifest{Gypfile: true, Scripts: map[string]string{"install": "node install.js"}}, want: map[string]string{"install": "node install.js"}},
		{name: "gyp-own-preinstall", m: Manifest{Gypfile: true, Scripts: map[string]string{"preinstall": "p"}}, want: map[string]string{"preinstall": "p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.m.InstallScripts()); diff != "" {
				t.Errorf("InstallScripts() diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePerson(t *testing.T) {
	t.Parallel()
	tests := map[string]Person{
		"":                            {},
		"Name":                        {Name: "Name"},
		"Name <e@x>":                  {Name: "Name", Email: "e@x"},
		"Name <e@x> (https://x)":      {Name: "Name", Email: "e@x"},
		"Name (https://x) <e@x>":      {Name: "Name", Email: "e@x"},
		"<e@x>":                       {Email: "e@x"},
		"  spaced   <  e@x  >  ":      {Name: "spaced", Email: "e@x"},
		"unterminated <e@x":           {Name: "unterminated"},
		"Ünïcødé Name <ü@example.de>": {Name: "Ünïcødé Name", Email: "ü@example.de"},
	}
	for in, want := range tests {
		if got := parsePerson(in); got != want {
			t.Errorf("parsePerson(%q) = %+v, want %+v", in, got, want)
		}
	}
}
