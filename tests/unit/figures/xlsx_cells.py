#!/usr/bin/python3
"""Prints an .xlsx workbook's cells as JSON, read with the standard library only (zipfile and
xml.etree; no openpyxl): {"sheets": [{"name", "cells": {"A1": value}, "formats": {"C7":
"0.0%"}, "merged": ["A1:M1"]}]}. A value is a number, or the text of a shared or inline
string. Used by the figures unit test and the report.export process test to check that the
workbook holds the report's figures."""

import json
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


def text_of(si):
    return "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))


def main(path):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    shared = []
    if "xl/sharedStrings.xml" in names:
        shared = [text_of(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    styles = ET.fromstring(z.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", NS)}
    xf_formats = []
    for xf in styles.findall("m:cellXfs/m:xf", NS):
        fid = int(xf.get("numFmtId", "0"))
        xf_formats.append(custom.get(fid, BUILTIN_FORMATS.get(fid, str(fid))))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    workbook = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = []
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        target = rels[sheet.get("{%s}id" % NS["r"])]
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        root = ET.fromstring(z.read(part))
        cells, formats = {}, {}
        for c in root.iter("{%s}c" % NS["m"]):
            ref, kind = c.get("r"), c.get("t")
            v = c.find("m:v", NS)
            if kind == "s":
                value = shared[int(v.text)]
            elif kind == "inlineStr":
                value = text_of(c.find("m:is", NS))
            elif kind == "str":
                value = v.text if v is not None else ""
            elif v is not None:
                value = float(v.text)
            else:
                continue  # a styled blank (inside a merged range)
            cells[ref] = value
            formats[ref] = xf_formats[int(c.get("s", "0"))]
        merged = [m.get("ref") for m in root.findall("m:mergeCells/m:mergeCell", NS)]
        sheets.append({"name": sheet.get("name"), "cells": cells, "formats": formats, "merged": merged})
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
