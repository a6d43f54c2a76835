#!/usr/bin/python3
"""Reference DICOM JSON from pydicom for the dPACS interop test.

Usage: pydicom_json.py OUTPUT.json ROOT [ROOT ...]

Walks every regular file under each ROOT and writes one JSON document:
{"pydicom": "<version>", "files": {"<path>": RESULT, ...}} where RESULT is either
{"json": <Dataset.to_json_dict() without file meta>, "forced": bool, "failedTags": [...]}
or {"error": "<exception type>: <message>"}.

* No bulk data handler is given, so every binary value is written as InlineBinary.
* Files without the PS3.10 preamble are read again with force=True ("forced": true), so bare data
  sets are compared too; the test decides what a forced read means.
* An element whose to_json_dict() raises is left out and its tag listed in "failedTags", so one
  value pydicom cannot convert does not hide the rest of the file.
"""
import json
import os
import sys
import warnings

import pydicom
from pydicom.errors import InvalidDicomError


def convert(ds):
    out = {}
    failed = []
    for key in ds.keys():
        tag = "{:08X}".format(key)
        try:
            out[tag] = ds[key].to_json_dict(None, 2 ** 62)
        except Exception as exc:  # pydicom raises many types for bad values
            failed.append({"tag": tag, "error": type(exc).__name__ + ": " + str(exc)})
    return out, failed


def read(path):
    forced = False
    try:
        ds = pydicom.dcmread(path)
    except InvalidDicomError:
        ds = pydicom.dcmread(path, force=True)
        forced = True
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    # dcmread with force can leave group 0002 in the data set itself; Annex F has no place for it.
    for key in [k for k in ds.keys() if k.group == 0x0002]:
        del ds[key]
    data, failed = convert(ds)
    return {"json": data, "forced": forced, "failedTags": failed}


def main():
    output = sys.argv[1]
    files = {}
    for root in sys.argv[2:]:
        for directory, _, names in os.walk(root):
            for name in sorted(names):
                path = os.path.join(directory, name)
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        result = read(path)
                    except Exception as exc:
                        result = {"error": type(exc).__name__ + ": " + str(exc)}
                    result["warnings"] = [str(w.message) for w in caught]
                files[path] = result
    with open(output, "w", encoding="utf-8") as f:
        json.dump({"pydicom": pydicom.__version__, "files": files}, f, ensure_ascii=False, allow_nan=True)


if __name__ == "__main__":
    main()
