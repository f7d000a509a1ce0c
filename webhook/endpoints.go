package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// PublicGitHubAPI is github.com's REST API root.
const PublicGitHubAPI = "https://api.github.com"

// Endpoints are the GitHub REST API root in the two spellings the libraries
// want. They differ by one slash, and getting it wrong fails every request
// with a 404 or a 406, so they are computed once, here.
type Endpoints struct {
	// API is go-github's BaseURL: the API root with a trailing slash,
	// "https://api.github.com/" or "https://ghe.example.com/api/v3/".
	API string
	// Tokens is ghinstallation's BaseURL, where installation tokens are
	// minted: the same root without the trailing slash (and so with
	// "/api/v3" on GitHub Enterprise Server).
	Tokens string
}

// ParseGitHubURL returns the endpoints for a GitHub URL as an operator
// writes it: empty, "https://github.com" or "https://api.github.com" for
// github.com; "https://ghe.example.com" or "https://ghe.example.com/api/v3"
// for a GitHub Enterprise Server; any other URL with a path is taken as the
// API root itself (a proxy). Trailing slashes do not matter.
func ParseGitHubURL(raw string) (Endpoints, error) {
	if strings.TrimSpace(raw) == "" {
		raw = PublicGitHubAPI
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error quotes the input, which may hold credentials.
		return Endpoints{}, errors.New("GitHub URL is not a valid URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return Endpoints{}, fmt.Errorf("GitHub URL %q: want an http(s) URL like https://ghe.example.com", redactURL(u))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Endpoints{}, fmt.Errorf("GitHub URL %q: must not carry credentials, a query or a fragment", redactURL(u))
	}
	p := strings.TrimRight(u.Path, "/")
	switch host := strings.ToLower(u.Hostname()); {
	case host == "github.com" || host == "api.github.com" || host == "www.github.com":
		return Endpoints{API: PublicGitHubAPI + "/", Tokens: PublicGitHubAPI}, nil
	case p == "":
		// A GitHub Enterprise Server host: its REST API lives under /api/v3.
		p = "/api/v3"
	}
	root := u.Scheme + "://" + u.Host + p
	return Endpoints{API: root + "/", Tokens: root}, nil
}

func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("redacted")
	}
	c.RawQuery = ""
	return c.String()
}
