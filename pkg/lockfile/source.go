package lockfile

import (
	"net/url"
	"strings"
)

// gitHosts maps npm's hosted-git shorthands to their hosts.
var gitHosts = map[string]string{
	"github":    "github.com",
	"gitlab":    "gitlab.com",
	"bitbucket": "bitbucket.org",
	"gist":      "gist.github.com",
}

// classify classifies a `resolved` value (or, for v1 git and file
// dependencies, the version). It never fails: anything unrecognised with a
// scheme is a SourceTarball, without one a SourceFile.
func classify(resolved string) Source {
	s := Source{URL: resolved}
	if resolved == "" {
		return s
	}
	rest, commit, _ := strings.Cut(resolved, "#")
	scheme, after, hasScheme := cutScheme(rest)
	if web, afterWeb, ok := cutScheme(whatwgClean(rest)); ok && (web == "https" || web == "http") {
		// npm fetches tarballs with the WHATWG URL parser: read http(s)
		// URLs as it does, or "https://evil.example\\@registry.npmjs.org/…"
		// would pass for the registry.
		s.Scheme = web
		host, path := webAuthority(afterWeb)
		// "registry.npmjs.org." is the same DNS name.
		s.Host = strings.TrimSuffix(lower(host), ".")
		s.Kind = SourceTarball
		if web == "http" {
			s.Kind = SourceHTTP
		}
		if name, ver, file, ok := registryLayout(path); ok {
			if web == "https" {
				s.Kind = SourceRegistry
			}
			s.TarballName, s.TarballVersion, s.TarballFile = name, ver, file
		}
		return s
	}
	switch {
	case hasScheme && strings.HasPrefix(after, "//"):
		s.Scheme = scheme
		host, path := splitAuthority(after[2:])
		s.Host = lower(host)
		switch scheme {
		case "https", "http":
			if scheme == "https" {
				s.Kind = SourceTarball
			} else {
				s.Kind = SourceHTTP
			}
			if name, ver, file, ok := registryLayout(path); ok {
				if scheme == "https" {
					s.Kind = SourceRegistry
				}
				s.TarballName, s.TarballVersion, s.TarballFile = name, ver, file
			}
		case "git", "ssh", "git+ssh", "git+https", "git+http", "git+file":
			s.Kind = SourceGit
			s.Commit = commit
		case "file":
			s.Kind = SourceFile
			s.Scheme, s.Host = "", ""
		default:
			s.Kind = SourceTarball
		}
	case hasScheme && scheme == "file":
		s.Kind = SourceFile
	case hasScheme && gitHosts[scheme] != "":
		s.Kind = SourceGit
		s.Scheme, s.Host, s.Commit = scheme, gitHosts[scheme], commit
	case hasScheme && (scheme == "git+ssh" || scheme == "git"):
		// git+ssh:git@host:path without slashes.
		s.Kind, s.Scheme, s.Commit = SourceGit, scheme, commit
	case !hasScheme && isSCP(rest):
		// git@github.com:user/repo.git
		at := strings.IndexByte(rest, '@')
		colon := strings.IndexByte(rest, ':')
		s.Kind, s.Scheme, s.Host, s.Commit = SourceGit, "ssh", lower(rest[at+1:colon]), commit
	case hasScheme:
		s.Kind, s.Scheme = SourceTarball, scheme
	case isShorthand(rest):
		// user/repo#sha means GitHub.
		s.Kind, s.Scheme, s.Host, s.Commit = SourceGit, "github", "github.com", commit
	default:
		s.Kind = SourceFile
	}
	return s
}

// cutScheme splits "scheme:rest" when scheme is a valid URL scheme. The
// scheme is lower-cased.
func cutScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return "", s, false
			}
		case c == ':':
			if i == 0 {
				return "", s, false
			}
			return lower(s[:i]), s[i+1:], true
		default:
			return "", s, false
		}
	}
	return "", s, false
}

// whatwgClean removes what the WHATWG URL parser ignores: leading and
// trailing C0 controls and spaces, and every ASCII tab and newline.
func whatwgClean(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// webAuthority splits what follows "http:" or "https:" as the WHATWG parser
// does for these special schemes: any run of '/' or '\\' starts the
// authority, which ends at '/', '\\', '?' or '#'; user information ends at
// its last '@'; '\\' in the path is '/'.
func webAuthority(s string) (host, path string) {
	s = strings.TrimLeft(s, "/\\")
	end := strings.IndexAny(s, "/\\?#")
	if end < 0 {
		end = len(s)
	}
	host, path = s[:end], strings.ReplaceAll(s[end:], "\\", "/")
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	return host, path
}

// splitAuthority splits "user@host:port/path?query" into the host (with
// port, without user information) and the path.
func splitAuthority(s string) (host, path string) {
	end := strings.IndexAny(s, "/?")
	if end < 0 {
		end = len(s)
	}
	host, path = s[:end], s[end:]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if q := strings.IndexByte(path, '?'); q >= 0 {
		path = path[:q]
	}
	return host, path
}

// registryLayout recognises the registry tarball path
// [/prefix]/<name>/-/<unscoped-name>-<version>.tgz, where name may be
// "@scope/name" or "@scope%2fname". It returns the name and, when the file
// name starts with the unscoped name and "-", the version; and the file name.
func registryLayout(path string) (name, version, file string, ok bool) {
	if strings.IndexByte(path, '%') >= 0 {
		if u, err := url.PathUnescape(path); err == nil {
			path = u
		}
	}
	i := strings.LastIndex(path, "/-/")
	if i < 0 {
		return "", "", "", false
	}
	file = path[i+3:]
	if !strings.HasSuffix(file, ".tgz") || strings.IndexByte(file, '/') >= 0 {
		return "", "", "", false
	}
	dir := path[:i]
	j := strings.LastIndexByte(dir, '/')
	if j < 0 || j == len(dir)-1 {
		return "", "", "", false
	}
	base := dir[j+1:]
	name = base
	if k := strings.LastIndexByte(dir[:j], '/'); k >= 0 && strings.HasPrefix(dir[k+1:j], "@") {
		name = dir[k+1:]
	} else if strings.HasPrefix(base, "@") {
		return "", "", "", false // a scope without a name
	}
	if v, ok := strings.CutPrefix(file[:len(file)-len(".tgz")], base+"-"); ok && v != "" {
		version = v
	}
	return name, version, file, true
}

// isSCP reports whether s is an scp-like git address, user@host:path.
func isSCP(s string) bool {
	at := strings.IndexByte(s, '@')
	colon := strings.IndexByte(s, ':')
	slash := strings.IndexByte(s, '/')
	return at > 0 && colon > at+1 && (slash < 0 || slash > colon)
}

// isShorthand reports whether s is the GitHub shorthand "user/repo".
func isShorthand(s string) bool {
	user, repo, ok := strings.Cut(s, "/")
	if !ok || user == "" || repo == "" || strings.IndexByte(repo, '/') >= 0 {
		return false
	}
	switch user[0] {
	case '.', '@', '~', '_', '-':
		return false
	}
	return true
}

// lower is strings.ToLower without an allocation for lower-case input.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
