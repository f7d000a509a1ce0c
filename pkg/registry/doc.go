// Package registry is the npm registry client behind lockreview's online
// checks: per-version manifests (scripts, maintainers, publisher, licence,
// deprecation, registry signatures), publish times from the packument,
// attestation bundles and the registry's signing keys.
//
// It contacts only the configured registry. Every URL is built from the base
// URL given to [New] and a package name and version that passed validation;
// a URL found in a lockfile (`resolved`) or in registry metadata
// (`dist.tarball`, `dist.attestations.url`) is never fetched, and redirects to
// another origin are refused.
//
// Results are cached in one in-memory LRU shared by every review that uses
// the [Client]; concurrent calls for the same resource share one request
// (singleflight); the number of requests in flight, the time each may take
// and the size of each response are bounded. Calls return errors and never
// panic on what the registry sends: a failure is for the caller to record as
// "not available" for that package.
//
// The registry's HTTP API is documented at
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md.
package registry
