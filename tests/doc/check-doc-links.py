#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright 2026 The provisiond authors
"""Fails when a markdown document of the tree points at something missing.

For every tracked-looking *.md file (build directories and test corpora
left out) it checks

  - relative links `[text](path)` and `[text](path#anchor)`: the path exists,
    relative to the document, and an anchor names a heading of the target
    markdown document (GitHub's slugs),
  - in-document links `[text](#anchor)`,
  - file references written as code, such as `core/prov-engine.h` or
    `tests/install/check-plugin-example`: a path that starts with one of the
    tree's top-level directories exists, relative to the source root.
    Placeholders (`<name>`, `NAME`, `*`, `…`) are not checked.

With --html DIR it checks instead that every relative link of the HTML
pages in DIR (the rendered API reference) names a file that exists there.

  check-doc-links.py SOURCE-ROOT
  check-doc-links.py --html DIR
"""

import pathlib
import re
import sys

TOP_DIRS = ("bench", "core", "data", "doc", "plugins", "po", "tests", "tools")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_RE = re.compile(r"`([^`\n]+)`")
FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def markdown_files(root):
    for path in sorted(root.rglob("*.md")):
        parts = path.relative_to(root).parts
        if any(p.startswith("_build") or p.startswith(".") for p in parts):
            continue
        if parts[:2] == ("tests", "fuzz"):
            continue
        # gi-docgen's pages link within the rendered reference: --html checks those
        if parts[:2] == ("doc", "reference"):
            continue
        yield path


def slug(heading):
    text = re.sub(r"`|\*|_(?=\w)|(?<=\w)_", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        text = FENCE_RE.sub("", path.read_text())
        seen = {}
        found = set()
        for match in re.finditer(r"^#{1,6}\s+(.*?)\s*#*\s*$", text, re.M):
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        cache[path] = found
    return cache[path]


def is_placeholder(ref):
    return re.search(r"[<>*{}…$]|\.\.\.|\b[A-Z]{3,}\b|/-$", ref) is not None


def check_file(root, path):
    problems = []
    raw = path.read_text()
    prose = FENCE_RE.sub(lambda m: "\n" * m.group(0).count("\n"), raw)
    rel = path.relative_to(root)

    def line_of(pos):
        return prose.count("\n", 0, pos) + 1

    for match in LINK_RE.finditer(prose):
        target = match.group(1)
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        where = f"{rel}:{line_of(match.start())}"
        if not dest.exists():
            problems.append(f"{where}: link to missing {file_part}")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{where}: link to missing heading #{anchor} in {dest.relative_to(root)}")

    for match in CODE_RE.finditer(prose):
        ref = match.group(1).strip()
        if " " in ref or is_placeholder(ref):
            continue
        if ref.split("/")[0] not in TOP_DIRS or "/" not in ref:
            continue
        candidate = ref.split(":")[0]
        if not (root / candidate).exists():
            problems.append(f"{rel}:{line_of(match.start())}: reference to missing {candidate}")
    return problems


def check_html(directory):
    problems = []
    pages = sorted(directory.glob("*.html"))
    for page in pages:
        for target in re.findall(r'(?:href|src)="([^"#]*)', page.read_text()):
            if not target or re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue
            if not (page.parent / target).exists():
                problems.append(f"{page.name}: link to missing {target}")
    for problem in problems:
        print(problem)
    print(f"{len(pages)} pages checked, {len(problems)} broken links")
    if not pages:
        print(f"no HTML pages in {directory}")
        return 1
    return 1 if problems else 0


def main():
    if sys.argv[1] == "--html":
        return check_html(pathlib.Path(sys.argv[2]))
    root = pathlib.Path(sys.argv[1]).resolve()
    problems = []
    files = list(markdown_files(root))
    for path in files:
        problems.extend(check_file(root, path))
    for problem in problems:
        print(problem)
    print(f"{len(files)} markdown files checked, {len(problems)} broken references")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
