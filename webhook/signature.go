package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// Signature errors. Both are answered 401.
var (
	// ErrSignatureMissing: the delivery has no X-Hub-Signature-256 header. A
	// delivery signed only with SHA-1 (X-Hub-Signature) is missing one too.
	ErrSignatureMissing = errors.New("missing X-Hub-Signature-256 header")
	// ErrSignatureInvalid: the header is malformed or does not match the body.
	ErrSignatureInvalid = errors.New("invalid X-Hub-Signature-256 signature")
)

// SignatureHeader is the header GitHub signs deliveries in.
const SignatureHeader = "X-Hub-Signature-256"

// VerifySignature checks an X-Hub-Signature-256 header value against the raw
// body. GitHub: "the hash signature starts with sha256=, using the key of
// your secret token and your payload body"; "never use a plain == operator.
// Instead consider using a method like secure_compare ... which performs a
// constant time string comparison". The legacy SHA-1 header is never
// accepted. secret must not be empty.
func VerifySignature(body []byte, header string, secret []byte) error {
	if header == "" {
		return ErrSignatureMissing
	}
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(hexSig) != sha256.Size*2 {
		return ErrSignatureInvalid
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return ErrSignatureInvalid
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrSignatureInvalid
	}
	return nil
}

// Sign returns the X-Hub-Signature-256 header value for body, as GitHub
// computes it.
func Sign(body, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
