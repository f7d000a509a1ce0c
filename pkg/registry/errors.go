package registry

import (
	"errors"
	"fmt"
)

// ErrInvalidSpec reports a package name or version that is not a valid npm
// name or version, or that could change the path of the request built from
// it. No request is made.
var ErrInvalidSpec = errors.New("invalid package name or version")

// ErrNotFound reports that the registry answered 404: the package, the
// version, or its attestations do not exist there. It is wrapped with the
// name@version asked for.
var ErrNotFound = errors.New("not found in the registry")

// ErrTooLarge reports a response larger than the configured cap
// ([WithMaxResponseSize], or [WithMaxPackumentSize] for packuments). The
// rest of the body is not read.
var ErrTooLarge = errors.New("registry response too large")

// ErrMalformed reports a response that is not the JSON the registry API
// documents, or a manifest for another name or version than the one asked
// for.
var ErrMalformed = errors.New("malformed registry response")

// ErrTimeout reports that the registry did not answer within the
// per-request timeout ([WithTimeout]) on the last attempt. It deliberately
// does not wrap [context.DeadlineExceeded], which is kept for the caller's
// own context.
var ErrTimeout = errors.New("registry request timed out")

// ErrCrossOriginRedirect reports a redirect to a URL whose origin is not the
// configured registry's. The redirect is not followed.
var ErrCrossOriginRedirect = errors.New("redirect to another origin refused")

// StatusError reports a non-2xx answer other than 404, after any retries.
type StatusError struct {
	// URL is the URL requested. It never carries credentials: the base URL
	// may not contain user information and the token travels in a header.
	URL string
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
}

// Error implements error.
func (e *StatusError) Error() string {
	return fmt.Sprintf("registry GET %s: HTTP %d", e.URL, e.StatusCode)
}
