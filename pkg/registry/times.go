package registry

import (
	"context"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Times is the packument's "time" object: when the package was created and
// last modified, and when each version was published.
type Times struct {
	Created  time.Time
	Modified time.Time
	// Versions maps each version to its publish time, including versions
	// since unpublished (the registry keeps their time). Entries that are
	// not an RFC 3339 string (such as "unpublished") are left out.
	Versions map[string]time.Time
}

// PublishTimes returns the publish times of name's versions.
//
// It fetches the full packument, GET /{package} with Accept:
// application/json (the abbreviated document has no "time"):
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#getpackage
//
// Packuments of popular packages run to tens of megabytes, so the body is
// decoded as a stream, token by token: only the top-level "time" object is
// kept and everything else is skipped, so memory stays at the size of the
// largest single token, not the document. The bytes read are capped by
// [WithMaxPackumentSize], and the per-request timeout covers reading them
// all. A packument without "time" (some very old ones)
// gives empty Times and no error.
//
// Results, and 404s, are cached for [TimesTTL], since publishing adds
// versions. Concurrent calls for one name share one request. Errors are as
// for [Client.Manifest]. Safe for concurrent use.
func (c *Client) PublishTimes(ctx context.Context, name string) (*Times, error) {
	if err := validateName(name); err != nil {
		return nil, fmt.Errorf("publish times of %q: %w", name, err)
	}
	v, err := c.cached(ctx, "times\x00"+name, fixedTTL(TimesTTL), func(ctx context.Context) (any, error) {
		var t *Times
		err := c.get(ctx, KindPackument, packumentPath(name), c.cfg.maxPackument, func(r io.Reader) error {
			var err error
			t, err = decodeTimes(r)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("publish times of %q: %w", name, err)
		}
		return t, nil
	})
	if err != nil {
		return nil, err
	}
	t := *v.(*Times)
	t.Versions = maps.Clone(t.Versions)
	return &t, nil
}

// decodeTimes reads a packument from r and returns its top-level "time"
// object. It reads to the end of the document so that a second top-level
// "time" (which JSON.parse would let win) is an error rather than ignored.
func decodeTimes(r io.Reader) (*Times, error) {
	// Duplicate names are checked by hand below for the members that
	// matter; the decoder's own check would keep a set of every name of
	// every object of the document.
	dec := jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	malformed := func(err error) error {
		return fmt.Errorf("%w: packument at byte %d: %v", ErrMalformed, dec.InputOffset(), err)
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, malformed(err)
	}
	if tok.Kind() != '{' {
		return nil, malformed(fmt.Errorf("not a JSON object"))
	}
	var times *Times
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, malformed(err)
		}
		if tok.String() != "time" {
			if err := dec.SkipValue(); err != nil {
				return nil, malformed(err)
			}
			continue
		}
		if times != nil {
			return nil, malformed(fmt.Errorf(`duplicate "time"`))
		}
		if times, err = decodeTimeObject(dec); err != nil {
			return nil, malformed(err)
		}
	}
	if _, err := dec.ReadToken(); err != nil { // the closing '}'
		return nil, malformed(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, malformed(fmt.Errorf("data after the packument"))
	}
	if times == nil {
		times = &Times{Versions: map[string]time.Time{}}
	}
	return times, nil
}

// decodeTimeObject reads {"created": …, "modified": …, "<version>": …}.
func decodeTimeObject(dec *jsontext.Decoder) (*Times, error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '{' {
		return nil, fmt.Errorf(`"time" is not an object`)
	}
	t := &Times{Versions: map[string]time.Time{}}
	seen := map[string]bool{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		key := tok.String()
		if seen[key] {
			return nil, fmt.Errorf(`duplicate %q in "time"`, key)
		}
		seen[key] = true
		if dec.PeekKind() != '"' {
			if err := dec.SkipValue(); err != nil { // "unpublished": {…}
				return nil, err
			}
			continue
		}
		tok, err = dec.ReadToken()
		if err != nil {
			return nil, err
		}
		ts, err := time.Parse(time.RFC3339Nano, tok.String())
		if err != nil {
			continue
		}
		switch key {
		case "created":
			t.Created = ts
		case "modified":
			t.Modified = ts
		default:
			t.Versions[key] = ts
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	return t, nil
}
