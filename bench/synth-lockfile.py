#!/usr/bin/env python3
"""Make a large synthetic lockfile pair from real entries, for scaling runs.

Reads the real 4.4 MB v3 lockfile (npm install --package-lock-only of a real
package.json; see pkg/lockfile/testdata/README.md), repeats its entries under
prefixed workspace paths until the output passes --size MB, and writes
base.json and head.json to --out; head bumps the patch version (and changes
the integrity) of every 50th entry. Nothing is fetched or run.
"""
import argparse, copy, gzip, json, os

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=40, help="target size of each file in MB")
p.add_argument("--out", default="/tmp/lockreview-synth")
a = p.parse_args()
src = os.path.join(os.path.dirname(__file__), "..", "pkg", "lockfile", "testdata", "v3-big-10788pkgs.json.gz")
real = json.load(gzip.open(src))
entries = {k: v for k, v in real["packages"].items() if k}
base = {"name": "synthetic", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
        "packages": {"": copy.deepcopy(real["packages"][""])}}
base["packages"][""]["workspaces"] = []
i = 0
while len(json.dumps(base, indent=2)) < a.size * 1_000_000:
    ws = f"packages/ws{i}"
    base["packages"][""]["workspaces"].append(ws)
    base["packages"][ws] = {"name": f"ws{i}", "version": "1.0.0"}
    for k, v in entries.items():
        base["packages"][f"{ws}/{k}"] = v
    i += 1
head = copy.deepcopy(base)
for n, (k, v) in enumerate(head["packages"].items()):
    if n % 50 == 1 and "version" in v and "integrity" in v:
        parts = v["version"].split(".")
        if len(parts) == 3 and parts[2].isdigit():
            v["version"] = ".".join(parts[:2] + [str(int(parts[2]) + 1)])
            v["integrity"] = "sha512-" + "A" * 86 + "=="
os.makedirs(a.out, exist_ok=True)
for name, doc in (("base.json", base), ("head.json", head)):
    with open(os.path.join(a.out, name), "w") as f:
        json.dump(doc, f, indent=2)
print(a.out, os.path.getsize(os.path.join(a.out, "base.json")) // 1_000_000, "MB each,", len(base["packages"]) - 1, "entries")
