package lockfile_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// wireEntry is the shape of a lockfile entry as encoding/json sees it.
type wireEntry struct {
	Name, Version, Resolved, Integrity string
	Dev, Optional, DevOptional, Peer   bool
	InBundle, Link, HasInstallScript   bool
	Bundled                            bool
	Dependencies                       map[string]any
	Requires                           map[string]any
	OptionalDependencies               map[string]string
}

// TestParseMatchesEncodingJSON compares every entry of every real fixture
// with an independent decode by encoding/json.
func TestParseMatchesEncodingJSON(t *testing.T) {
	for _, file := range []string{
		"v1-octokit-webhooks-lodash-base.json",
		"v2-octokit-webhooks-es5-ext-install-script-head.json",
		"v2-octokit-webhooks-git-resolved-ssh-head.json",
		"v2-woocommerce-blocks-large-head.json.gz",
		"v3-octokit-webhooks-license-change-head.json",
		"v3-workspaces-npm-cli-head.json",
		"v3-workspaces-prometheus-vite-head.json",
		"v3-big-10788pkgs.json.gz",
	} {
		t.Run(file, func(t *testing.T) {
			data := readFixture(t, file)
			l, err := lockfile.Parse(file, data)
			if err != nil {
				t.Fatal(err)
			}
			var wire struct {
				LockfileVersion int
				Packages        map[string]wireEntry
				Dependencies    map[string]json.RawMessage
			}
			if err := json.Unmarshal(data, &wire); err != nil {
				t.Fatal(err)
			}
			type row struct {
				Version, Resolved, Integrity                                 string
				Dev, Optional, DevOptional, Peer, InBundle, Link, HasScripts bool
				Deps                                                         map[string]string
				Optional2                                                    map[string]string
			}
			want := map[string]row{}
			if wire.LockfileVersion == 1 {
				var walk func(prefix string, deps map[string]json.RawMessage)
				walk = func(prefix string, deps map[string]json.RawMessage) {
					for name, raw := range deps {
						var e wireEntry
						var nested struct{ Dependencies map[string]json.RawMessage }
						if err := json.Unmarshal(raw, &e); err != nil {
							t.Fatal(err)
						}
						if err := json.Unmarshal(raw, &nested); err != nil {
							t.Fatal(err)
						}
						path := prefix + "node_modules/" + name
						req := map[string]string{}
						for k, v := range e.Requires {
							if s, ok := v.(string); ok {
								req[k] = s
							}
						}
						want[path] = row{Version: e.Version, Resolved: e.Resolved, Integrity: e.Integrity, Dev: e.Dev, Optional: e.Optional, InBundle: e.Bundled, Deps: req}
						walk(path+"/", nested.Dependencies)
					}
				}
				walk("", wire.Dependencies)
			} else {
				for path, e := range wire.Packages {
					if path == "" {
						continue
					}
					if e.Link && e.Version == "" {
						e.Version = wire.Packages[e.Resolved].Version
					}
					deps := map[string]string{}
					for k, v := range e.Dependencies {
						deps[k] = v.(string)
					}
					want[path] = row{
						Version: e.Version, Resolved: e.Resolved, Integrity: e.Integrity,
						Dev: e.Dev, Optional: e.Optional, DevOptional: e.DevOptional, Peer: e.Peer,
						InBundle: e.InBundle, Link: e.Link, HasScripts: e.HasInstallScript,
						Deps: deps, Optional2: e.OptionalDependencies,
					}
				}
			}
			got := map[string]row{}
			for _, p := range l.Packages {
				got[p.Path] = row{
					Version: p.Version, Resolved: p.Resolved, Integrity: p.Integrity,
					Dev: p.Dev, Optional: p.Optional, DevOptional: p.DevOptional, Peer: p.Peer,
					InBundle: p.InBundle, Link: p.Link, HasScripts: p.HasInstallScript,
					Deps: depMap(p.Deps, lockfile.DepProd), Optional2: depMap(p.Deps, lockfile.DepOptional),
				}
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse(%q) differs from encoding/json (-want +got):\n%s", file, diff)
			}
		})
	}
}
