#!/usr/bin/env python3
"""Checks that every C++ block of the documentation is the text of a file the tests compile.

Usage: tools/check_snippets.py ROOT FILE.md...

In each Markdown file, every C++ code block (a fence opened by ```cpp or ```c++, indented or
not) must follow a line

    <!-- snippet: PATH -->          the whole file PATH (relative to ROOT), or
    <!-- snippet: PATH#NAME -->     the lines between the two lines `//! [NAME]` of PATH,
                                    less their common indentation,

and hold exactly that text. The files are built (and run, if they have a main) by CMake
(test/docs/CMakeLists.txt, examples/, test/fail/), so a block can neither show code that does
not compile nor drift from the code that does. Exits with 1 and names every block that differs,
has no marker, or whose marker names a missing file or region, and every marker that is not
followed by a C++ block.
"""
import pathlib
import re
import sys

MARKER = re.compile(r"^\s*<!-- snippet: (?P<path>[^#\s]+)(?:#(?P<name>[\w-]+))? -->\s*$")
CPP_FENCE = re.compile(r"^(?P<indent> *)```(?:cpp|c\+\+)\s*$", re.IGNORECASE)


def region(text, name, where):
    """The lines between the two lines `//! [name]` of text, less their common indentation."""
    fence = f"//! [{name}]"
    lines = text.splitlines(keepends=True)
    marks = [i for i, line in enumerate(lines) if line.strip() == fence]
    if len(marks) != 2:
        raise ValueError(f"{where}: expected two lines '{fence}', found {len(marks)}")
    body = lines[marks[0] + 1:marks[1]]
    indent = min((len(l) - len(l.lstrip(" ")) for l in body if l.strip()), default=0)
    return "".join(l[indent:] if l.strip() else "\n" for l in body)


def expected_text(root, marker, where):
    path = root / marker["path"]
    text = path.read_text(encoding="utf-8")
    return region(text, marker["name"], path) if marker["name"] else text


def check(root, md):
    """The problems of one Markdown file, and its number of C++ blocks."""
    errors = []
    blocks = 0
    lines = md.read_text(encoding="utf-8").splitlines(keepends=True)
    i = 0
    while i < len(lines):
        where = f"{md}:{i + 1}"
        fence = CPP_FENCE.match(lines[i].rstrip("\n"))
        marker = MARKER.match(lines[i].rstrip("\n"))
        if marker and not (i + 1 < len(lines) and CPP_FENCE.match(lines[i + 1].rstrip("\n"))):
            errors.append(f"{where}: a snippet marker not followed by a ```cpp block")
        if not fence:
            i += 1
            continue
        blocks += 1
        indent = fence["indent"]
        end = i + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end == len(lines):
            errors.append(f"{where}: a ```cpp block that is never closed")
        block = "".join(l[len(indent):] if l.startswith(indent) else l.lstrip(" ")
                        for l in lines[i + 1:end])
        marker = MARKER.match(lines[i - 1].rstrip("\n")) if i > 0 else None
        if not marker:
            errors.append(f"{where}: a ```cpp block without a '<!-- snippet: PATH[#NAME] -->' line before it")
        else:
            name = marker["path"] + (f"#{marker['name']}" if marker["name"] else "")
            try:
                if block != expected_text(root, marker, where):
                    errors.append(f"{where}: the block differs from {name}: update one from the other")
            except (OSError, ValueError) as e:
                errors.append(f"{where}: {e}")
        i = end + 1
    return errors, blocks


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    errors, blocks = [], 0
    for md in map(pathlib.Path, sys.argv[2:]):
        e, n = check(root, md)
        errors += e
        blocks += n
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{blocks} C++ blocks in {len(sys.argv) - 2} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
