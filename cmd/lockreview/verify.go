package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lockreview/lockreview/pkg/provenance"
	"github.com/lockreview/lockreview/pkg/registry"
)

const verifyUsage = `Usage:
  lockreview verify <name>@<version> [--integrity sha512-…] [flags]

Verifies one published package version: the registry's signatures over
name@version:integrity and its provenance attestations (SLSA provenance and
npm's publish attestation), offline against the embedded Sigstore trusted root
and npm's keys, bound to --integrity (the value from your lockfile; default the
registry's own dist.integrity).

Exit status: 0 verified (provenance verified, and signatures, if any, valid),
1 not verified or invalid, 2 usage or registry error.

Flags:
`

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, verifyUsage); fs.PrintDefaults() }
	integrity := fs.String("integrity", "", "the integrity your lockfile records (default: the registry's dist.integrity)")
	var rf registryFlags
	rf.register(fs)
	spec, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		spec, rest = args[0], args[1:]
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if spec == "" && fs.NArg() == 1 {
		spec = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lockreview verify: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	name, ver, ok := splitSpec(spec)
	if !ok {
		fmt.Fprintf(stderr, "lockreview verify: want <name>@<version>, got %q\n", spec)
		return exitUsage
	}
	c, err := rf.client()
	if err != nil {
		fmt.Fprintf(stderr, "lockreview verify: %v\n", err)
		return exitUsage
	}
	v, err := rf.verifier(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview verify: load the trust roots: %v\n", err)
		return exitUsage
	}
	return verifyOne(ctx, c, v, name, ver, *integrity, stdout, stderr)
}

// splitSpec splits "name@version", scoped names included ("@s/n@1.0.0").
func splitSpec(spec string) (name, version string, ok bool) {
	i := strings.LastIndex(spec, "@")
	if i <= 0 || i == len(spec)-1 {
		return "", "", false
	}
	return spec[:i], spec[i+1:], true
}

func verifyOne(ctx context.Context, c *registry.Client, v *provenance.Verifier, name, ver, integrity string, stdout, stderr io.Writer) int {
	spec := name + "@" + ver
	man, err := c.Manifest(ctx, name, ver)
	if err != nil {
		fmt.Fprintf(stderr, "lockreview verify: %v\n", err)
		return exitUsage
	}
	if integrity == "" {
		integrity = man.Dist.Integrity
		fmt.Fprintf(stdout, "%s: integrity %s (from the registry; pass --integrity to check your lockfile's)\n", spec, integrity)
	} else {
		fmt.Fprintf(stdout, "%s: integrity %s\n", spec, integrity)
	}
	want := provenance.Subject{Name: name, Version: ver, Integrity: integrity, Repository: man.Repository.URL}
	failed, verified := false, false

	if len(man.Dist.Signatures) == 0 {
		fmt.Fprintln(stdout, "  signatures:  none in the registry's metadata")
	} else {
		at := time.Now()
		if times, err := c.PublishTimes(ctx, name); err == nil && !times.Versions[ver].IsZero() {
			at = times.Versions[ver]
		}
		sigs := make([]provenance.Signature, len(man.Dist.Signatures))
		for i, s := range man.Dist.Signatures {
			sigs[i] = provenance.Signature{KeyID: s.KeyID, Sig: s.Sig}
		}
		if keyID, err := v.VerifySignatures(sigs, want, at); err != nil {
			failed = true
			fmt.Fprintf(stdout, "  signatures:  INVALID: %v\n", err)
		} else {
			fmt.Fprintf(stdout, "  signatures:  verified (key %s)\n", keyID)
		}
	}

	if man.Dist.Attestations == nil {
		fmt.Fprintln(stdout, "  provenance:  none (the version was published without attestations)")
	} else {
		atts, err := c.Attestations(ctx, name, ver)
		switch {
		case errors.Is(err, registry.ErrNotFound):
			fmt.Fprintln(stdout, "  provenance:  the registry lists attestations but does not serve them")
		case err != nil:
			fmt.Fprintf(stderr, "lockreview verify: %v\n", err)
			return exitUsage
		default:
			for _, a := range atts.Attestations {
				res, err := v.VerifyBundle(a.Bundle, want)
				switch {
				case err != nil:
					failed = true
					fmt.Fprintf(stdout, "  attestation: INVALID %s: %v\n", a.PredicateType, err)
				case res.Provenance != nil:
					verified = true
					p := res.Provenance
					fmt.Fprintf(stdout, "  provenance:  verified: built from %s@%s (%s) by %s, issuer %s, logged %s\n",
						p.SourceRepository, p.SourceCommit, p.SourceRef, p.BuildConfig, p.Issuer, p.IntegratedTime.UTC().Format(time.RFC3339))
					if p.RunURL != "" {
						fmt.Fprintf(stdout, "               run %s\n", p.RunURL)
					}
				case res.Publish != nil:
					fmt.Fprintf(stdout, "  publish:     verified: npm publish attestation (key %s, logged %s)\n", res.Publish.KeyID, res.Publish.IntegratedTime.UTC().Format(time.RFC3339))
				}
			}
		}
	}
	switch {
	case failed:
		fmt.Fprintf(stdout, "%s: INVALID\n", spec)
		return exitFindings
	case verified:
		fmt.Fprintf(stdout, "%s: verified\n", spec)
		return exitOK
	}
	fmt.Fprintf(stdout, "%s: not verified (no provenance)\n", spec)
	return exitFindings
}
