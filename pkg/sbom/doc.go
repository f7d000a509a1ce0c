// Package sbom builds CycloneDX SBOMs (github.com/CycloneDX/cyclonedx-go)
// from parsed npm lockfiles and compares the SBOMs of a pull request's base
// and head. It is pure: no I/O, no network, no clock, no randomness; the
// same lockfile and options always give the same bytes. It must not read
// package.json, fetch a package, or trust a URL from the lockfile for
// anything but recording it.
//
// # The BOM
//
// BOM writes CycloneDX 1.6 (or 1.5, WithSpecVersion) with:
//
//   - metadata.component: the root project (type application), named and
//     versioned by the lockfile's root entry; metadata.tools names the tool
//     (WithTool); metadata.properties holds lockreview:lockfileVersion.
//   - components: one library per installed name@version, deduplicated over
//     install paths. Workspace packages (and other linked folders) are
//     components of their own; link entries are not (their targets are).
//     bom-ref and purl are the purl ("pkg:npm/%40scope/name@1.2.3", lower
//     case as the purl spec's npm type requires, "?vcs_url=…" for git
//     dependencies); group is the npm scope. Hashes come from the SRI
//     integrity (each entry, hex). Licenses: an SPDX id of the schema's list
//     as license.id, an SPDX expression as expression, anything else as
//     license.name (the id list is the enum of the schema's
//     spdx.schema.json, generated into spdx_ids.go). One externalReference
//     of type distribution per resolved URL. Scope: required (some copy is
//     installed in production), optional (optional or devOptional), excluded
//     (development only).
//   - properties: the Prop* constants (registered cdx:npm:package:* names
//     where the CycloneDX taxonomy has one, lockreview:* otherwise).
//   - dependencies: for every component and the root, dependsOn lists the
//     components npm's resolution loads for each declared dependency of each
//     installed copy (lockfile.Resolve, then Target through links). The
//     root also depends on every workspace. lockfileVersion 1 records no
//     root declarations: there the root depends on the top-level packages
//     that nothing else requires.
//
// # Agreement with npm sbom
//
// The component purls equal those of `npm sbom --package-lock-only
// --sbom-format cyclonedx` for every real lockfile in the repository's
// testdata (npm_test.go, against recorded npm output), except where npm
// departs from the purl spec or from the lockfile: npm keeps capitals in
// legacy names ("JSONStream"), percent-encodes ":" in qualifiers, and
// rewrites hosted git URLs to their git+ssh form. The dependency graph
// equals npm's except that a component installed at several paths depends
// on the union of what its copies resolve to (npm takes its first copy),
// the root depends on all workspaces, and entries whose parent entry is
// missing resolve from their own path (npm re-parents them to the root).
//
// # The delta
//
// Delta (or DeltaOf, from lockfiles; a nil side is an empty tree) compares
// two BOMs keyed by purl; see BOMDelta for the model: added, removed,
// updated (one version of a name replaced by another, with any license or
// scope change), changed (the same name@version with other hashes, license,
// distribution or scope), and added or removed direct dependency edges of
// the root and the workspaces. BOMDelta is the `delta` object of the JSON
// report; Markdown renders it for the review comment within a size budget,
// escaping everything that came from the lockfile.
//
// # Reading the delta document
//
// DeltaDocument writes the delta into a copy of the head BOM, so that one
// schema-valid CycloneDX document carries both what is there and what
// changed (DELTA.md has examples):
//
//   - a component with the property lockreview:delta = "added", "updated" or
//     "changed" is new, a new version of a package, or the same version with
//     other facts; one without it is unchanged;
//   - lockreview:delta:from on an updated component is the purl of the base
//     version it replaced (repeated when it replaced several), and on a
//     changed git dependency whose URL changed, the base purl;
//   - lockreview:delta:fields lists the changed fields ("hashes", "license",
//     "distribution", "scope"), comma-separated;
//   - metadata.properties lists every removed purl as
//     lockreview:delta:removed, and every added or removed direct dependency
//     edge as lockreview:delta:edgeAdded or lockreview:delta:edgeRemoved,
//     valued "<from> <to>": the depending root or workspace's npm name, a
//     space, the purl it depends on (split at the last space).
//
// The document has no serial number; a publisher sets one.
package sbom
