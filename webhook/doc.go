// Package webhook is lockreview's GitHub App server: it receives webhook
// deliveries, verifies and routes them, queues the work, authenticates as the
// App, reads pull requests through the GitHub REST API, runs the review
// (pkg/review) and publishes the result as one pull request comment and one
// check run named "lockreview".
//
// It is the only package that knows GitHub. It never clones or checks out a
// pull request and never runs anything from it: lockfiles and the policy are
// read as bytes through the API, the policy always from the base branch.
//
// The request path does no network I/O: a delivery is capped in size, its
// HMAC-SHA256 signature is checked over the raw bytes before anything is
// parsed, its id is deduplicated, and its event is routed to zero or more
// Tasks that a Scheduler runs on workers. Reviews of one pull request never
// run concurrently; a newer delivery supersedes an older queued or running
// review of the same pull request.
package webhook
