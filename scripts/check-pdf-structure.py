#!/usr/bin/env python3
"""Walks a PDF's structure tree (pikepdf) and checks what an accessible report needs:

- the document is tagged (StructTreeRoot, MarkInfo /Marked true), has /Lang and a title shown
  as the window title (/DisplayDocTitle);
- every Figure element has a non-empty /Alt;
- headings H1–H6 nest without jumps (a heading is at most one level below the previous one);
- every Table element has at least one TH cell.

Usage: check-pdf-structure.py FILE.pdf — prints one line per problem and exits 1 when there is
any, else prints a summary and exits 0. Called by crates/report/tests/tillganglighet.rs.
"""
import sys

import pikepdf


def name_of(node):
    s = node.get("/S")
    return str(s)[1:] if s is not None else None


def kids(node):
    k = node.get("/K")
    if k is None:
        return []
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [i for i in items if isinstance(i, pikepdf.Dictionary)]


def walk(node, out):
    out.append(node)
    for k in kids(node):
        if "/S" in k:
            walk(k, out)


def main(path):
    problems = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        print(f"{path}: not tagged (no StructTreeRoot)")
        return 1
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        problems.append("the title is not shown as the window title (/DisplayDocTitle)")
    title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
    if not title.strip():
        problems.append("no document title")
    nodes = []
    for k in kids(root.StructTreeRoot):
        walk(k, nodes)
    figures = tables = 0
    headings = []
    for n in nodes:
        s = name_of(n)
        if s == "Figure":
            figures += 1
            if not str(n.get("/Alt", "")).strip():
                problems.append(f"Figure {figures} without /Alt")
        elif s == "Table":
            tables += 1
            inner = []
            walk(n, inner)
            if not any(name_of(x) == "TH" for x in inner):
                problems.append(f"Table {tables} without TH cells")
        elif s and len(s) == 2 and s[0] == "H" and s[1].isdigit():
            headings.append(int(s[1]))
    last = 0
    for i, h in enumerate(headings):
        if h > last + 1:
            problems.append(f"heading {i + 1} jumps from H{last} to H{h}")
        last = h
    for p in problems:
        print(f"{path}: {p}")
    if problems:
        return 1
    print(f"{path}: tagged, {figures} figures with Alt, {tables} tables with TH, {len(headings)} headings nested")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
