package webhook_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lockreview/lockreview/webhook"
)

// The App manifest asks for exactly the permissions the server uses and
// subscribes to every event it handles. Docker cannot run here, so the
// Dockerfile and the Kubernetes manifests are checked for what makes them
// correct by construction.
func TestDeployManifests(t *testing.T) {
	var app struct {
		Permissions map[string]string `yaml:"default_permissions"`
		Events      []string          `yaml:"default_events"`
		Hook        struct {
			URL string `yaml:"url"`
		} `yaml:"hook_attributes"`
	}
	readYAML(t, "../deploy/app-manifest.yml", &app)
	want := map[string]string{"checks": "write", "pull_requests": "write", "contents": "read", "metadata": "read", "issues": "read"}
	if !mapsEqual(app.Permissions, want) {
		t.Errorf("app manifest permissions = %v, want exactly %v", app.Permissions, want)
	}
	for _, h := range []webhook.EventHandler{&webhook.PullRequestHandler{}, &webhook.IssueCommentHandler{}, &webhook.CheckRunHandler{}, &webhook.CheckSuiteHandler{}} {
		for _, ev := range h.Handles() {
			if !slices.Contains(app.Events, ev) {
				t.Errorf("app manifest does not subscribe to %s", ev)
			}
		}
	}
	if !strings.HasSuffix(app.Hook.URL, "/webhook") {
		t.Errorf("hook url %q does not end in /webhook", app.Hook.URL)
	}

	docker := readFile(t, "../Dockerfile")
	for _, s := range []string{"CGO_ENABLED=0", "FROM gcr.io/distroless/static", "USER 65532:65532", `CMD ["serve"]`, "go build -trimpath"} {
		if !strings.Contains(docker, s) {
			t.Errorf("Dockerfile lacks %q", s)
		}
	}

	var dep struct {
		Spec struct {
			Replicas int `yaml:"replicas"`
			Template struct {
				Spec struct {
					SecurityContext struct {
						RunAsNonRoot bool `yaml:"runAsNonRoot"`
					} `yaml:"securityContext"`
					Containers []struct {
						SecurityContext struct {
							ReadOnlyRootFilesystem bool `yaml:"readOnlyRootFilesystem"`
							RunAsNonRoot           bool `yaml:"runAsNonRoot"`
						} `yaml:"securityContext"`
						Liveness  probe `yaml:"livenessProbe"`
						Readiness probe `yaml:"readinessProbe"`
						Env       []struct {
							Name      string `yaml:"name"`
							Value     string `yaml:"value"`
							ValueFrom any    `yaml:"valueFrom"`
						} `yaml:"env"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	readYAML(t, "k8s/deployment.yaml", &dep)
	ps := dep.Spec.Template.Spec
	if dep.Spec.Replicas != 1 || !ps.SecurityContext.RunAsNonRoot || len(ps.Containers) != 1 {
		t.Fatalf("deployment: replicas %d, runAsNonRoot %v", dep.Spec.Replicas, ps.SecurityContext.RunAsNonRoot)
	}
	c := ps.Containers[0]
	if !c.SecurityContext.ReadOnlyRootFilesystem || !c.SecurityContext.RunAsNonRoot {
		t.Error("container is not read-only and non-root")
	}
	if c.Liveness.HTTPGet.Path != "/healthz" || c.Readiness.HTTPGet.Path != "/readyz" {
		t.Errorf("probes on %q and %q, want /healthz and /readyz", c.Liveness.HTTPGet.Path, c.Readiness.HTTPGet.Path)
	}
	for _, e := range c.Env {
		if e.Name == "LOCKREVIEW_WEBHOOK_SECRET" || strings.Contains(e.Value, "BEGIN") {
			t.Errorf("a secret is set inline in the deployment: %s", e.Name)
		}
	}
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
	} `yaml:"httpGet"`
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	if strings.HasPrefix(path, "k8s/") {
		path = "../deploy/" + path
	}
	if err := yaml.Unmarshal([]byte(readFile(t, path)), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
