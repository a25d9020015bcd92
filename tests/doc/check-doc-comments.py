#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright 2026 The provisiond authors
"""Fails when a public symbol of libprov has no complete doc comment.

The public symbols are read from the headers listed in core/meson.build's
prov_public_headers: every PROV_API function, every type that a header
declares (G_DECLARE_* types and their interface or class structs, enums,
structs, callbacks) and every PROV_ macro except the PROV_TYPE_* GType
macros. Each needs a gtk-doc block (`/**` then ` * name:`) in core/*.c or
core/*.h that

  - carries `Since:`,
  - documents every parameter of a function, callback or function-like
    macro as `@name:`, and names no parameter the declaration lacks,
  - has `Returns:` when a function or callback returns a value,
  - documents every member of an enum and every public field of a struct.

It reads the sources only, so it runs in a fraction of a second without
building the API reference (which does not fail on gaps).

  check-doc-comments.py SOURCE-ROOT [--summary]
"""

import pathlib
import re
import sys

BLOCK_RE = re.compile(r"/\*\*\n\s*\* ([A-Za-z_][A-Za-z0-9_]*(?:::?[a-z0-9-]+)?):[^\n]*\n(.*?)\*/", re.S)
PARAM_RE = re.compile(r"^\s*\* @([A-Za-z_][A-Za-z0-9_]*|\.\.\.):", re.M)
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
ANNOTATION_RE = re.compile(r"^\s*\* (?:@\w+|Returns):\s+(?:\([a-z -]+(?:[ =][^)]*)?\)\s*)+(?=[^:\s(])", re.M)


def public_headers(root):
    text = (root / "core" / "meson.build").read_text()
    match = re.search(r"prov_public_headers = \[(.*?)\]", text, re.S)
    if match is None:
        sys.exit("check-doc-comments: no prov_public_headers in core/meson.build")
    return [root / "core" / name for name in re.findall(r"'([^']+)'", match.group(1))]


def strip_comments(text):
    # keep line structure so that positions stay meaningful
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def matching_paren(text, start):
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def split_top_level(text):
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def parameter_names(params):
    names = []
    for param in split_top_level(params):
        if param == "void":
            continue
        if param == "...":
            names.append("...")
            continue
        pointer = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)", param)
        if pointer is not None:
            names.append(pointer.group(1))
            continue
        param = re.sub(r"\[[^\]]*\]$", "", param).strip()
        match = re.search(r"(" + IDENT + r")$", param)
        if match is None:
            raise ValueError(f"cannot name parameter {param!r}")
        names.append(match.group(1))
    return names


class Symbol:
    def __init__(self, name, kind, where, params=None, returns=False, members=None):
        self.name = name
        self.kind = kind
        self.where = where
        self.params = params or []
        self.returns = returns
        self.members = members or []


def struct_fields(body):
    body = body.split("/*< private >*/")[0]
    body = strip_comments(body)
    fields = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl or decl.startswith("#"):
            continue
        pointer = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)", decl)
        if pointer is not None:
            fields.append(pointer.group(1))
            continue
        decl = re.sub(r"\[[^\]]*\]", "", decl)
        decl = re.sub(r":\s*\d+$", "", decl).strip()
        for part in decl.split(","):
            match = re.search(r"(" + IDENT + r")\s*$", part.strip())
            if match is not None:
                fields.append(match.group(1))
    return fields


def scan_header(path):
    raw = path.read_text()
    text = strip_comments(raw)
    symbols = []

    def where(pos):
        return f"{path.name}:{text.count(chr(10), 0, pos) + 1}"

    for match in re.finditer(r"(?<!#define )\bPROV_API\b", text):
        start = match.end()
        paren = text.index("(", start)
        head = text[start:paren]
        declare = re.match(r"\s*(G_DECLARE_(\w+)_TYPE|G_DECLARE_INTERFACE)\s*$", head)
        if declare is not None:
            close = matching_paren(text, paren)
            args = split_top_level(text[paren + 1 : close])
            type_name = args[0]
            symbols.append(Symbol(type_name, "type", where(match.start())))
            continue
        name = re.search(r"(" + IDENT + r")\s*$", head)
        if name is None:
            continue
        name = name.group(1)
        if name.endswith("_get_type"):
            # GType getters are documented by their type, as gtk-doc does
            continue
        close = matching_paren(text, paren)
        returns = re.sub(r"\b(const|G_GNUC_\w+)\b", "", head[: head.rfind(name)]).strip()
        symbols.append(
            Symbol(
                name,
                "function",
                where(match.start()),
                params=parameter_names(text[paren + 1 : close]),
                returns=returns != "void",
            )
        )

    for match in re.finditer(
        r"typedef\s+(enum|struct)\s*(?:" + IDENT + r")?\s*\{(.*?)\}\s*(" + IDENT + r")\s*;",
        text,
        re.S,
    ):
        kind, body, name = match.groups()
        if kind == "enum":
            members = [
                m.group(1)
                for m in re.finditer(r"^\s*(" + IDENT + r")\s*(?:=[^,\n]*)?,?\s*$", body, re.M)
            ]
        else:
            members = struct_fields(raw[match.start(2) : match.end(2)])
        symbols.append(Symbol(name, kind, where(match.start()), members=members))

    for match in re.finditer(r"typedef\s+struct\s+_(" + IDENT + r")\s+(" + IDENT + r")\s*;", text):
        symbols.append(Symbol(match.group(2), "type", where(match.start())))

    for match in re.finditer(r"^struct\s+_(" + IDENT + r")\s*\{", text, re.M):
        name = match.group(1)
        open_brace = match.end() - 1
        close = raw.index("\n};", open_brace)
        symbols.append(
            Symbol(name, "struct", where(match.start()), members=struct_fields(raw[open_brace + 1 : close]))
        )

    for match in re.finditer(
        r"typedef\s+([^;()]*?)\(\s*\*\s*(" + IDENT + r")\s*\)\s*\(", text
    ):
        paren = match.end() - 1
        close = matching_paren(text, paren)
        returns = re.sub(r"\bconst\b", "", match.group(1)).strip() != "void"
        symbols.append(
            Symbol(
                match.group(2),
                "callback",
                where(match.start()),
                params=parameter_names(text[paren + 1 : close]),
                returns=returns,
            )
        )

    seen_macros = set()
    for match in re.finditer(r"^#define\s+(PROV_\w+)(\(([^)]*)\))?", text, re.M):
        name = match.group(1)
        if name.startswith("PROV_TYPE_") or name in seen_macros:
            continue
        seen_macros.add(name)
        params = [p.strip() for p in match.group(3).split(",")] if match.group(2) else []
        symbols.append(Symbol(name, "macro", where(match.start()), params=params))
    return symbols


def scan_source(path, public_types):
    """Signals and properties of a public type, from its class_init."""
    text = path.read_text()
    define = re.search(r"G_DEFINE_(?:FINAL_)?(?:TYPE|INTERFACE)\w*\(\s*(" + IDENT + r")\s*,", text)
    if define is None or define.group(1) not in public_types:
        return []
    type_name = define.group(1)
    symbols = []

    def where(pos):
        return f"{path.name}:{text.count(chr(10), 0, pos) + 1}"

    for match in re.finditer(r"g_signal_new\s*\(\s*\"([a-z0-9-]+)\"", text):
        symbols.append(Symbol(f"{type_name}::{match.group(1)}", "signal", where(match.start())))
    for match in re.finditer(r"g_param_spec_\w+\s*\(\s*\"([a-z0-9-]+)\"", text):
        symbols.append(Symbol(f"{type_name}:{match.group(1)}", "property", where(match.start())))
    return symbols


def doc_blocks(root):
    blocks = {}
    for path in sorted((root / "core").glob("*.[ch]")):
        for match in BLOCK_RE.finditer(path.read_text()):
            name, body = match.group(1), match.group(2)
            blocks.setdefault(name, []).append((path.name, body))
    return blocks


def has_description(body):
    """Whether a block says more than its tags: gi-docgen shows nothing otherwise."""
    section = None
    for line in body.splitlines():
        line = re.sub(r"^\s*\*\s?", "", line)
        if re.match(r"@[A-Za-z_.]+:", line) or re.match(r"(Returns|Since|Deprecated|Stability):", line):
            section = "tag"
            continue
        if not line.strip():
            section = None
            continue
        if section is None:
            return True
    return False


def check(symbol, blocks):
    found = blocks.get(symbol.name)
    if not found:
        return [f"{symbol.where}: {symbol.kind} {symbol.name} has no doc comment"]
    problems = []
    if len(found) > 1:
        files = ", ".join(sorted({f for f, _ in found}))
        problems.append(f"{symbol.name}: documented more than once ({files})")
    body = found[0][1]
    label = f"{symbol.where}: {symbol.name}"
    if not re.search(r"^\s*\* Since: \d+\.\d+", body, re.M):
        problems.append(f"{label}: no Since:")
    documented = PARAM_RE.findall(body)
    if symbol.kind in ("function", "callback", "macro"):
        for param in symbol.params:
            if param not in documented:
                problems.append(f"{label}: parameter {param} not documented")
        for param in documented:
            if param not in symbol.params:
                problems.append(f"{label}: documents @{param}, which it does not take")
        if symbol.returns and not re.search(r"^\s*\* Returns:", body, re.M):
            problems.append(f"{label}: no Returns:")
    # g-ir-scanner reads `@x: (transfer full) text` as text: the annotations need their colon
    for match in ANNOTATION_RE.finditer(body):
        problems.append(f"{label}: annotation without ':' after it: {match.group(0).strip()}")
    if symbol.kind in ("enum", "struct"):
        for member in symbol.members:
            if member not in documented:
                problems.append(f"{label}: member {member} not documented")
    return problems


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    symbols = []
    for header in public_headers(root):
        symbols.extend(scan_header(header))
    public_types = {s.name for s in symbols if s.kind == "type"}
    for source in sorted((root / "core").glob("prov-*.c")):
        symbols.extend(scan_source(source, public_types))
    blocks = doc_blocks(root)
    problems = []
    complete = 0
    described = 0
    for symbol in symbols:
        if symbol.name in blocks and has_description(blocks[symbol.name][0][1]):
            described += 1
        found = check(symbol, blocks)
        problems.extend(found)
        if not found:
            complete += 1
    for problem in problems:
        print(problem)
    kinds = {}
    for symbol in symbols:
        kinds[symbol.kind] = kinds.get(symbol.kind, 0) + 1
    plural = {"property": "properties"}
    detail = ", ".join(f"{n} {plural.get(k, k + 's')}" for k, n in sorted(kinds.items()))
    print(f"{complete} of {len(symbols)} public symbols fully documented ({detail})")
    # not required: a getter's Returns: often says all there is
    print(f"{described} of {len(symbols)} have a description beyond their tags")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
