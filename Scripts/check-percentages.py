#!/usr/bin/env python3
"""Finds any % of peak, of roofline or of bandwidth above 100 in what a run shows its readers.

    python3 Scripts/check-percentages.py RUN_DIR [RUN_DIR ...]

Reads, in each run directory, report.html (every table column headed "% of …", and any
"N% of peak/roofline/bandwidth" in the text, the roofline's titles included), report.md (the
same), certificate.html (the key figures' Value and Floor columns) and certificate.dsse.json (the
signed key figures), and run.json's percentOfPeak / percentOfRoofline. Prints each figure above
100 with where it is, and a count of the figures checked; exits 1 when one is above 100, 2 when
a run directory holds none of these files. Other percentages (CV, CI half-widths) may exceed 100
and are not looked at.
"""

import base64
import html.parser
import json
import os
import re
import sys

NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")
PHRASE = re.compile(r"(-?\d+(?:\.\d+)?)\s*%\)?\s+(?:\(ceiling below achieved\)\s+)?of\s+(?:the\s+)?(peak|roofline|bandwidth)")
HEADER = re.compile(r"^\s*(%\s+of\s+(peak|roofline|bandwidth)|value|floor)\s*$", re.IGNORECASE)


class Tables(html.parser.HTMLParser):
    """Every table as rows of cell texts, and all text of the page."""

    def __init__(self):
        super().__init__()
        self.tables, self.text, self.cell = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def column_figures(rows, where):
    """(where, value) for each cell under a "% of …", "Value" or "Floor" header."""
    found = []
    if not rows:
        return found
    header = rows[0]
    columns = [index for index, title in enumerate(header) if HEADER.match(title)]
    for number, row in enumerate(rows[1:], start=2):
        for index in columns:
            if index < len(row):
                match = NUMBER.search(row[index])
                if match:
                    found.append((f"{where}, row {number}, column '{header[index]}'", float(match.group(1))))
    return found


def phrase_figures(text, where):
    return [(f"{where}: '{match.group(0)}'", float(match.group(1))) for match in PHRASE.finditer(text)]


def markdown_tables(text):
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def figures_in(directory):
    figures, seen = [], 0
    for name in ("report.html", "certificate.html"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            seen += 1
            parser = Tables()
            parser.feed(open(path, encoding="utf-8").read())
            for number, rows in enumerate(parser.tables, start=1):
                figures += column_figures(rows, f"{path} table {number}")
            figures += phrase_figures(" ".join(parser.text), path)
    path = os.path.join(directory, "report.md")
    if os.path.exists(path):
        seen += 1
        text = open(path, encoding="utf-8").read()
        for number, rows in enumerate(markdown_tables(text), start=1):
            figures += column_figures(rows, f"{path} table {number}")
        figures += phrase_figures(text, path)
    path = os.path.join(directory, "certificate.dsse.json")
    if os.path.exists(path):
        seen += 1
        statement = json.loads(base64.b64decode(json.load(open(path))["payload"]))
        for figure in statement["predicate"]["keyFigures"]:
            figures.append((f"{path} keyFigures {figure['caseID']} value", figure["value"]))
            if figure.get("floor") is not None:
                figures.append((f"{path} keyFigures {figure['caseID']} floor", figure["floor"]))
    path = os.path.join(directory, "run.json")
    if os.path.exists(path):
        seen += 1
        for case in json.load(open(path)).get("cases", []):
            performance = case.get("performance") or {}
            for key in ("percentOfPeak", "percentOfRoofline"):
                value = performance.get(key)
                if isinstance(value, (int, float)):
                    figures.append((f"{path} {case['id']} {key}", float(value)))
    return figures, seen


def main(directories):
    total, bad = 0, 0
    for directory in directories:
        figures, seen = figures_in(directory)
        if seen == 0:
            print(f"{directory}: no report, certificate or run record", file=sys.stderr)
            return 2
        total += len(figures)
        for where, value in figures:
            if value > 100:
                bad += 1
                print(f"above 100%: {value:g} at {where}")
    print(f"{total} percentages of peak, roofline or bandwidth checked, {bad} above 100")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
