package lockfile

import "testing"

func TestGitLocation(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	const want = "github.com/octo/foo#" + sha
	tests := []struct {
		resolved, want string
	}{
		// npm's forms of one pinned GitHub dependency: all the same code.
		{"github:octo/foo#" + sha, want},
		{"octo/foo#" + sha, want},
		{"git+ssh://git@github.com/octo/foo.git#" + sha, want},
		{"git+https://github.com/octo/foo.git#" + sha, want},
		{"git+https://github.com/octo/foo#" + sha, want},
		{"git://github.com/octo/foo.git#" + sha, want},
		{"ssh://git@github.com/octo/foo.git#" + sha, want},
		{"git+ssh://git@GitHub.com/octo/foo.git#" + "0123456789ABCDEF0123456789ABCDEF01234567", want},
		{"git@github.com:octo/foo.git#" + sha, want},
		{"git+ssh://git@github.com:octo/foo.git#" + sha, want},
		{"gitlab:octo/foo#" + sha, "gitlab.com/octo/foo#" + sha},
		{"git+ssh://git@git.example.com:2222/octo/foo.git#" + sha, "git.example.com:2222/octo/foo#" + sha},
		// Not the same repository.
		{"github:octo/foo-fork#" + sha, "github.com/octo/foo-fork#" + sha},
		{"git+ssh://git@github.com.evil.example/octo/foo.git#" + sha, "github.com.evil.example/octo/foo#" + sha},
		{"git+ssh://git@github.com/evil/foo.git#" + sha, "github.com/evil/foo#" + sha},
		// Not provably one commit: no location.
		{"github:octo/foo#main", ""},
		{"github:octo/foo", ""},
		{"git+ssh://git@github.com/octo/foo.git#" + sha[:12], ""},
		{"git+ssh://git@github.com/octo/foo.git#semver:^1.0.0", ""},
		{"https://registry.npmjs.org/foo/-/foo-1.0.0.tgz", ""},
		{"file:../foo", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := classify(tc.resolved).GitLocation(); got != tc.want {
			t.Errorf("GitLocation(%q) = %q, want %q", tc.resolved, got, tc.want)
		}
	}
}

func TestGitRepository(t *testing.T) {
	for _, tc := range []struct{ resolved, want string }{
		{"github:octo/foo#main", "github.com/octo/foo"},
		{"github:octo/foo", "github.com/octo/foo"},
		{"git+ssh://git@github.com/octo/foo.git#0123", "github.com/octo/foo"},
		{"git+https://gitlab.com/group/sub/foo.git", "gitlab.com/group/sub/foo"},
		{"git@github.com:octo/foo.git", "github.com/octo/foo"},
		{"https://registry.npmjs.org/foo/-/foo-1.0.0.tgz", ""},
		{"git+ssh:git@github.com:octo/foo.git", ""},
	} {
		if got := classify(tc.resolved).GitRepository(); got != tc.want {
			t.Errorf("GitRepository(%q) = %q, want %q", tc.resolved, got, tc.want)
		}
	}
}
