#!/usr/bin/env python3
"""Keeps the module graph in Package.swift true to the code.

Fails (exit 1, one line per finding, file:line for imports) when
  - a Swift file imports a package module its target does not declare (a transitive dependency
    compiles in SwiftPM, so the picture would silently lie), or
  - a target declares a dependency that none of its files imports (a dead edge).
System modules (Foundation, Glibc, Testing, ...) are not package modules and are ignored.

  Scripts/check-imports.py                      # this package (reads `swift package dump-package`, without its lock: `swift test` holds it)
  Scripts/check-imports.py --package-json F --root DIR   # a described package (the tests use this)
"""
import argparse
import json
import os
import re
import subprocess
import sys

# `import X`, `@testable import X`, `@_exported import X`, `import struct X.Y`, `public import X`.
IMPORT = re.compile(r'^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+'
                    r'(?:(?:struct|class|enum|protocol|typealias|func|let|var)\s+)?([A-Za-z_][A-Za-z0-9_]*)')


def dependency_name(entry):
    kind, value = next(iter(entry.items()))
    # byName / target: [name, condition]; product: [name, package, moduleAliases, condition]
    return value[0]


def target_folder(root, target):
    if target.get("path"):
        return os.path.join(root, target["path"])
    base = "Tests" if target["type"] == "test" else "Sources"
    return os.path.join(root, base, target["name"])


def swift_files(folder, excluded):
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if os.path.join(directory, d) not in excluded)
        for name in sorted(files):
            if name.endswith(".swift"):
                yield os.path.join(directory, name)


def imports_of(path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            match = IMPORT.match(line)
            if match:
                yield number, match.group(1)


def check(package, root):
    """Returns the findings for a package description (the JSON of `swift package dump-package`)."""
    targets = package["targets"]
    # Every module the package can build: its own targets and the products of its dependencies
    # (a product's module is named like the product for the packages this project uses).
    own = {t["name"] for t in targets}
    products = {dependency_name(d) for t in targets for d in t["dependencies"] if "product" in d}
    package_modules = own | products
    findings = []
    for target in targets:
        declared = {dependency_name(d) for d in target["dependencies"]}
        folder = target_folder(root, target)
        excluded = {os.path.join(folder, e) for e in target.get("exclude", [])}
        used = set()
        files = list(swift_files(folder, excluded))
        for path in files:
            for number, module in imports_of(path):
                if module == target["name"] or module not in package_modules:
                    continue
                used.add(module)
                if module not in declared:
                    findings.append("%s:%d: %s imports %s, which target %s does not declare in Package.swift"
                                    % (os.path.relpath(path, root), number, target["name"], module, target["name"]))
        # C targets are used through their headers, not through Swift imports in C files.
        for module in sorted(declared - used):
            if files:
                findings.append("Package.swift: target %s declares %s but no file of it imports %s"
                                % (target["name"], module, module))
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package-json", help="a package description (default: `swift package dump-package`)")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    if args.package_json:
        with open(args.package_json, encoding="utf-8") as handle:
            package = json.load(handle)
    else:
        described = subprocess.run(["swift", "package", "--ignore-lock", "dump-package"], cwd=args.root, capture_output=True, text=True)
        if described.returncode != 0:
            sys.exit("check-imports: swift package dump-package failed: %s" % described.stderr.strip())
        package = json.loads(described.stdout)
    findings = check(package, args.root)
    for finding in findings:
        print(finding)
    if findings:
        print("check-imports: %d finding(s)" % len(findings), file=sys.stderr)
        return 1
    print("check-imports: %d targets, every import declared and every declared dependency imported"
          % len(package["targets"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
