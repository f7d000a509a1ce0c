package githubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/lockreview/lockreview/webhook/githubtest"
)

// The contents API as GitHub answers it: JSON with base64 content up to
// 1 MB, empty content and encoding "none" above; the raw media type serves
// the bytes at any size. Requests without an installation token are 401.
func TestContents(t *testing.T) {
	gh := githubtest.NewFakeGitHub(t)
	small, big := "{}", strings.Repeat("x", 1<<20+1)
	gh.Commit("o", "r", "abc", map[string][]byte{"small.json": []byte(small), "dir/big.json": []byte(big)})

	get := func(path, accept, token string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, gh.URL()+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if token != "" {
			req.Header.Set("Authorization", "token "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := get("/repos/o/r/contents/small.json?ref=abc", "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	token := gh.MintToken(1)
	for _, tc := range []struct {
		path, accept, encoding string
		content                int
	}{
		{"/repos/o/r/contents/small.json?ref=abc", "", "base64", len(small)},
		{"/repos/o/r/contents/dir/big.json?ref=abc", "", "none", 0},
	} {
		resp := get(tc.path, tc.accept, token)
		var doc struct {
			Encoding, Content string
			Size              int
		}
		json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if doc.Encoding != tc.encoding || (doc.Content == "") != (tc.content == 0) {
			t.Errorf("%s: encoding %q, content %d bytes", tc.path, doc.Encoding, len(doc.Content))
		}
	}
	resp := get("/repos/o/r/contents/dir/big.json?ref=abc", "application/vnd.github.raw", token)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(body) != len(big) {
		t.Errorf("raw: %d bytes, want %d", len(body), len(big))
	}
	if resp := get("/repos/o/r/contents/missing.json?ref=abc", "", token); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing file: %d", resp.StatusCode)
	}
	if n := len(gh.Calls()); n != 5 {
		t.Errorf("%d calls recorded, want 5", n)
	}
}
