package registry

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/go-json-experiment/json"
)

// Key is one of the registry's signing keys, as GET /-/npm/v1/keys lists
// them. Key is the base64 DER SubjectPublicKeyInfo; KeyID is
// "SHA256:" and the unpadded base64 SHA-256 of the key in SSH wire form,
// the keyid of dist.signatures and of npm publish attestations.
type Key struct {
	KeyID   string
	KeyType string // "ecdsa-sha2-nistp256"
	Scheme  string // "ecdsa-sha2-nistp256"
	Key     string
	// Expires is when the key stopped being used for new signatures; nil
	// while it is current. A signature made before Expires stays valid.
	Expires *time.Time
}

// Keys returns the registry's signing keys.
//
// It fetches GET /-/npm/v1/keys, which answers
// {"keys":[{"expires":…,"keyid":…,"keytype":…,"scheme":…,"key":…}]}:
// https://docs.npmjs.com/about-registry-signatures
//
// Results, and a 404 (registries without signatures), are cached for
// [KeysTTL]. Errors are as for [Client.Manifest]. Safe for concurrent use.
func (c *Client) Keys(ctx context.Context) ([]Key, error) {
	v, err := c.cached(ctx, "keys", fixedTTL(KeysTTL), func(ctx context.Context) (any, error) {
		var keys []Key
		err := c.get(ctx, KindKeys, keysPath, c.cfg.maxBody, func(r io.Reader) error {
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			keys, err = decodeKeys(data)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("registry keys: %w", err)
		}
		return keys, nil
	})
	if err != nil {
		return nil, err
	}
	keys := slices.Clone(v.([]Key))
	for i, k := range keys {
		if k.Expires != nil {
			t := *k.Expires
			keys[i].Expires = &t
		}
	}
	return keys, nil
}

func decodeKeys(data []byte) ([]Key, error) {
	var w struct {
		Keys *[]struct {
			Expires *string `json:"expires"`
			KeyID   string  `json:"keyid"`
			KeyType string  `json:"keytype"`
			Scheme  string  `json:"scheme"`
			Key     string  `json:"key"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &w, unmarshalOpts); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if w.Keys == nil {
		return nil, fmt.Errorf(`%w: no "keys" array`, ErrMalformed)
	}
	keys := make([]Key, 0, len(*w.Keys))
	for _, k := range *w.Keys {
		key := Key{KeyID: k.KeyID, KeyType: k.KeyType, Scheme: k.Scheme, Key: k.Key}
		if k.Expires != nil {
			t, err := time.Parse(time.RFC3339Nano, *k.Expires)
			if err != nil {
				return nil, fmt.Errorf("%w: key %q expires: %v", ErrMalformed, k.KeyID, err)
			}
			key.Expires = &t
		}
		keys = append(keys, key)
	}
	return keys, nil
}
