package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedVersions adds a few real version documents from the recorded
// packuments.
func seedVersions(f *testing.F, perFile int) {
	files, _ := filepath.Glob("testdata/packuments/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var doc struct {
			Versions map[string]json.RawMessage `json:"versions"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			f.Fatal(err)
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range doc.Versions {
				if !yield(k) {
					return
				}
			}
		})
		for i, k := range keys {
			if i%max(1, len(keys)/perFile) == 0 {
				f.Add([]byte(doc.Versions[k]))
			}
		}
	}
}

func FuzzDecodeManifest(f *testing.F) {
	seedVersions(f, 1)
	for _, s := range []string{
		`{"name":"a","version":"1.0.0","scripts":{"install":"x"},"gypfile":true}`,
		`{"license":{"type":"MIT"},"licenses":["A",{"type":"B"}],"repository":"github:a/b"}`,
		`{"maintainers":["A <a@x> (u)",{"name":"b"}],"_npmUser":"c <c@x>","deprecated":true}`,
		`{"dist":{"signatures":[{"keyid":"k","sig":"s"}],"attestations":{"url":"u","provenance":{"predicateType":"p"}}}}`,
		`{"scripts":{},"scripts":{"install":"x"}}`,
		"{\"scripts\":{\"install\":\"\xff\\ud800\"}}",
		`null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		for k, v := range m.InstallScripts() {
			if !slices.Contains(installScriptNames, k) {
				t.Errorf("InstallScripts has %q", k)
			}
			if v != m.Scripts[k] && !(k == "install" && m.Gypfile && v == "node-gyp rebuild") {
				t.Errorf("InstallScripts[%q] = %q, Scripts has %q", k, v, m.Scripts[k])
			}
		}
		if diff := cmp.Diff(m, m.clone()); diff != "" {
			t.Errorf("clone differs:\n%s", diff)
		}
		// Differential check of the field that matters most: the scripts
		// npm would see, as JSON.parse (here encoding/json, which takes
		// the last of duplicate names; decodeManifest refuses those)
		// reads them.
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("decodeManifest accepted what encoding/json refuses: %v", err)
		}
		want := map[string]string{}
		if scripts, ok := doc["scripts"].(map[string]any); ok {
			for k, v := range scripts {
				if s, ok := v.(string); ok {
					want[k] = s
				}
			}
		}
		got := m.Scripts
		if got == nil {
			got = map[string]string{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("scripts differ from encoding/json's (-want +got):\n%s", diff)
		}
	})
}

func FuzzPublishTimes(f *testing.F) {
	f.Add([]byte(`{"versions":{"1.0.0":{}},"time":{"created":"2010-12-29T19:38:25.450Z","modified":"2020-11-06T02:46:30.572Z","1.0.0":"2010-12-29T19:38:25.450Z"}}`))
	f.Add([]byte(`{"time":{"unpublished":{"time":"2021-01-01T00:00:00Z"},"2.0.0":"2020-01-02T00:00:00+02:00","3.0.0":null}}`))
	f.Add([]byte(`{"time":{},"time":{}}`))
	f.Add([]byte(`{"readme":"\ud800","time":{"1.0.0":"2020-01-01T00:00:00Z"}}`))
	f.Add([]byte(`[]`))
	// A real packument cut down to a few versions: large seeds make the
	// fuzzer spend its time minimizing.
	if data, err := os.ReadFile("testdata/packuments/eslint-scope.json"); err == nil {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(data, &doc); err != nil {
			f.Fatal(err)
		}
		small, err := json.Marshal(map[string]json.RawMessage{"name": doc["name"], "dist-tags": doc["dist-tags"], "time": doc["time"]})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(small)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeTimes(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		var doc struct {
			Time map[string]any `json:"time"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("decodeTimes accepted what encoding/json refuses: %v", err)
		}
		want := &Times{Versions: map[string]time.Time{}}
		for k, v := range doc.Time {
			s, ok := v.(string)
			if !ok {
				continue
			}
			ts, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				continue
			}
			switch k {
			case "created":
				want.Created = ts
			case "modified":
				want.Modified = ts
			default:
				want.Versions[k] = ts
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("times differ from encoding/json's (-want +got):\n%s", diff)
		}
	})
}
