package githubtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
)

// Sign returns the X-Hub-Signature-256 value GitHub sends for body.
func Sign(body, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// SignedRequest returns a delivery as GitHub sends it: POST /webhook with
// the JSON body, X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256
// (SHA-256 only; the legacy SHA-1 header is not sent).
func SignedRequest(event, deliveryID string, body, secret []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	SetHeaders(r.Header, event, deliveryID, body, secret)
	return r
}

// SetHeaders sets a delivery's headers on h.
func SetHeaders(h http.Header, event, deliveryID string, body, secret []byte) {
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "GitHub-Hookshot/lockreview-test")
	h.Set("X-GitHub-Event", event)
	h.Set("X-GitHub-Delivery", deliveryID)
	h.Set("X-GitHub-Hook-ID", "1")
	h.Set("X-Hub-Signature-256", Sign(body, secret))
}
