"""pydicom as the independent reader of what came back: `python3 pydicom_compare.py` with a JSON list of
[original, retrieved] paths on stdin prints a line per pair: the retrieved path, a tab, the differing tags.

What a sender may change on the way is not a difference (dcmtk's own storescp receives the same): group 0002,
group lengths, Data Set Trailing Padding, odd lengths padded, trailing spaces or NULs of values."""
import json
import sys

import pydicom
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence


def norm(value):
    if isinstance(value, Sequence):
        return [norm_ds(item) for item in value]
    if isinstance(value, (list, MultiValue)):
        return [norm(v) for v in value]
    if isinstance(value, bytes):
        return value.rstrip(b"\0")
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return str(value).rstrip(" \0")


def norm_ds(ds):
    out = {}
    for elem in ds:
        tag = int(elem.tag)
        if (tag >> 16) == 0x0002 or (tag & 0xFFFF) == 0 or tag == 0xFFFCFFFC:
            continue
        out[tag] = norm(elem.value)
    return out


def main():
    for original, retrieved in json.load(sys.stdin):
        a = norm_ds(pydicom.dcmread(original, force=False))
        b = norm_ds(pydicom.dcmread(retrieved, force=False))
        diffs = ["(%04X,%04X)" % (t >> 16, t & 0xFFFF) for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]
        print(retrieved + "\t" + " ".join(diffs))


main()
