package checks

import (
	"fmt"
	"strings"

	"github.com/lockreview/lockreview/pkg/lockfile"
)

// DuplicateKeys reports JSON objects in the head lockfile that name a key twice.
//
// Motivation: JSON leaves duplicate names undefined. npm (JSON.parse) keeps the
// last value, other tools keep the first, so a lockfile with two
// "node_modules/x" entries or two "integrity" fields can show a reviewer or a
// linter one package and install another. What it looks at: every duplicate the
// parser recorded, at any depth. It fires critical for a duplicate the base did
// not have, and medium for one the base already had (still worth fixing, not
// introduced by this change). Remediation: regenerate the lockfile with npm;
// npm never writes duplicates, so one is a sign of hand editing or tampering.
func DuplicateKeys(in *Input) []Finding {
	baseDups := map[string]bool{}
	for _, d := range in.base().Duplicates {
		baseDups[d.Object+"\x00"+d.Key] = true
	}
	var out []Finding
	for _, d := range in.head().Duplicates {
		sev, note := Critical, ""
		if baseDups[d.Object+"\x00"+d.Key] {
			sev, note = Medium, " (the base lockfile has the same duplicate)"
		}
		name, path := packageOfPointer(d.Object, d.Key)
		var version string
		if path != "" {
			if n := in.head().Package(path); n != nil {
				// The entry npm keeps: the last one.
				name, version = n.Name, n.Version
			}
		}
		out = append(out, Finding{
			Severity: sev, Package: name, Version: version, Line: d.SecondLine, Path: path,
			Message: fmt.Sprintf("key %q appears twice in %s (lines %d and %d); npm uses the second, other tools may use the first%s",
				d.Key, objectName(d.Object), d.FirstLine, d.SecondLine, note),
			Remediation: "Regenerate the lockfile with npm (npm never writes duplicate keys) and find out who edited it by hand.",
			Values:      map[string]string{"key": d.Key, "object": d.Object, "firstLine": fmt.Sprint(d.FirstLine), "secondLine": fmt.Sprint(d.SecondLine)},
		})
	}
	return append(out, truncated(in.head(), lockfile.CutDuplicates, "duplicate keys")...)
}

// packageOfPointer names the package a duplicate belongs to: the entry whose
// key is duplicated in "/packages", or the entry that holds the object.
func packageOfPointer(object, key string) (name, path string) {
	if object == "/packages" {
		return nameFromPath(key), key
	}
	if rest, ok := strings.CutPrefix(object, "/packages/"); ok {
		entry, _, _ := strings.Cut(rest, "/")
		entry = unescapePointer(entry)
		return nameFromPath(entry), entry
	}
	if strings.HasPrefix(object, "/dependencies") {
		// v1: /dependencies/a/dependencies/b → b
		parts := strings.Split(object, "/")
		for i := len(parts) - 1; i > 0; i-- {
			if parts[i-1] == "dependencies" {
				return unescapePointer(parts[i]), ""
			}
		}
		if object == "/dependencies" || strings.HasSuffix(object, "/dependencies") {
			return key, ""
		}
	}
	return "", ""
}

func nameFromPath(p string) string {
	if i := strings.LastIndex(p, "node_modules/"); i >= 0 {
		return p[i+len("node_modules/"):]
	}
	return p
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func objectName(pointer string) string {
	if pointer == "" {
		return "the top-level object"
	}
	return "object " + pointer
}
