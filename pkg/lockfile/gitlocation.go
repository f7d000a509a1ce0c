package lockfile

import "strings"

// GitLocation names the code a pinned git source installs, whatever form
// the URL takes: "github.com/owner/repo#<commit>". npm writes one
// dependency as "github:owner/repo#<commit>" (lockfileVersion 1),
// "git+ssh://git@github.com/owner/repo.git#<commit>" (2 and 3) or
// "git+https://github.com/owner/repo.git#<commit>", and two sources with the
// same GitLocation fetch the same commit of the same repository. It is ""
// unless s is a git source pinned to a full commit hash (a branch or tag can
// move, so equal refs do not prove equal code). The host is lower-cased; the
// repository path is kept as written, with a trailing ".git" removed.
func (s Source) GitLocation() string {
	repo := s.GitRepository()
	if repo == "" || !fullCommit(s.Commit) {
		return ""
	}
	return repo + "#" + lower(s.Commit)
}

// GitRepository names the repository of a git source, whatever form the URL
// takes and whatever commit it pins: "github.com/owner/repo" for
// "github:owner/repo#main" and "git+ssh://git@github.com/owner/repo.git#<commit>"
// alike. It is "" for other sources and for git URLs it cannot read. The
// host is lower-cased; the path is kept as written, without a trailing ".git".
func (s Source) GitRepository() string {
	if s.Kind != SourceGit {
		return ""
	}
	rest, _, _ := strings.Cut(s.URL, "#")
	var host, path string
	switch scheme, after, _ := cutScheme(rest); {
	case gitHosts[scheme] != "" && !strings.HasPrefix(after, "//"):
		host, path = gitHosts[scheme], after // github:owner/repo
	case strings.HasPrefix(after, "//"):
		host, path = splitAuthority(after[2:]) // git+ssh://git@github.com/owner/repo.git
		if port := strings.LastIndexByte(host, ':'); port >= 0 && !strings.Contains(host, "]") {
			// git+ssh://git@github.com:owner/repo.git: scp-like inside a
			// URL, as npm 6 sometimes wrote; a numeric port stays.
			if p := host[port+1:]; p != "" && strings.Trim(p, "0123456789") != "" {
				host, path = host[:port], "/"+p+path
			}
		}
	case scheme == "":
		if isSCP(rest) { // git@github.com:owner/repo.git
			at, colon := strings.IndexByte(rest, '@'), strings.IndexByte(rest, ':')
			host, path = rest[at+1:colon], rest[colon+1:]
		} else if isShorthand(rest) { // owner/repo
			host, path = "github.com", rest
		}
	default:
		return "" // git+ssh:git@host:path without slashes and other oddities
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	if host == "" || path == "" {
		return ""
	}
	return lower(host) + "/" + path
}

// fullCommit reports whether c is a whole SHA-1 or SHA-256 commit hash.
func fullCommit(c string) bool {
	if len(c) != 40 && len(c) != 64 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i] | 0x20; !('0' <= c[i] && c[i] <= '9' || 'a' <= b && b <= 'f') {
			return false
		}
	}
	return true
}
