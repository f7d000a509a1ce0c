// Command lockreview reviews changes to npm lockfiles: `lockreview diff` on two
// files or two git refs. This package parses flags, reads files and runs the
// engine; everything else lives in pkg/.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage or input error
)

const usage = `lockreview reviews changes to npm lockfiles.

Usage:
  lockreview diff --base OLD.json --head NEW.json [flags]
  lockreview diff --git BASE..HEAD [flags]
  lockreview verify NAME@VERSION [--integrity sha512-…]
  lockreview sbom LOCKFILE [--spec 1.6|1.5] [--output FILE]
  lockreview serve [flags]                 the GitHub App (webhook server)
  lockreview version

Run 'lockreview <command> -h' for the flags.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "diff":
		return runDiff(ctx, args[1:], stdout, stderr)
	case "verify":
		return runVerify(ctx, args[1:], stdout, stderr)
	case "sbom":
		return runSBOM(args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "lockreview", version)
		return exitOK
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "lockreview: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
