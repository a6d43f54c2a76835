#!/usr/bin/python3
"""Canonical pydicom dump of DICOM files, for DicomRoundTripInteropTest.

Reads one file path per line on stdin and prints, for each file, a block of tab-separated lines:

    FILE  <path>
    ERROR <message>                                   (pydicom could not read the file)
    TS    <little|big> <implicit|explicit>
    S     <tag path> <number of items> <SQ|SQ-from-UN>  (a sequence; its items' elements follow)
    E     <tag path> <VR> <value> <raw> <stored VR>   (any other element)
    PIXEL <raw sha256> <pixel_array sha256 or '-'> <fragment count or '-'> <VR>
    END

<tag path> is GGGGEEEE, or GGGGEEEE/<item index>/GGGGEEEE... inside sequences.
<value> is pydicom's interpretation of the value: repr() of the converted value, or for byte values the
sha256 of the bytes in little-endian order (OW/OF/OL/OD/OV of big-endian files are swapped back by their
unit size) padded to even length with NUL, since writers pad odd values (PS3.5 7.1.1).
<raw> is the sha256 of the raw value bytes as stored, turned into little-endian order by the element's VR
and stripped of trailing space/NUL padding. <stored VR> is the VR written in the file ('-' in implicit VR);
pydicom replaces a stored UN by the dictionary VR, so <VR> may differ from it. The Java side compares <raw>
instead of <value> where the VR legitimately changed between two files (implicit VR turns unknown private
VRs into UN) or was stored as UN (whose bytes no syntax swaps).

A UN value that starts with an item tag is decoded as the implicit VR little endian sequence PS3.5 6.2.2
says it holds and reported as 'SQ-from-UN': a private sequence of an unknown creator read from implicit VR
with defined length can only be kept as such bytes, and the items must still be the same.

Pixel Data (7FE0,0010) at the top level is reported by the PIXEL line only:
  * native: sha256 of the bytes in little-endian order, big-endian files swapped by the unit of the VR
    (OW: 16-bit words, OF: 32-bit, OD: 64-bit; PS3.5 7.3), padded to even length; plus the sha256 of
    ds.pixel_array in little-endian byte order when numpy can decode it (pydicom's numpy handler swaps
    big-endian data by Bits Allocated instead, which agrees with the VR unit up to 16 bits);
  * encapsulated: sha256 over the items (Basic Offset Table included), each padded to even length, and
    the item count.

One process handles a whole batch, so the test pays the interpreter start-up once.
"""
import hashlib
import io
import sys
import warnings

import pydicom
from pydicom import config
from pydicom.dataelem import RawDataElement
from pydicom.filereader import read_sequence

try:
    import numpy
except ImportError:  # pixel_array comparisons are then skipped (reported as '-')
    numpy = None

warnings.simplefilter("ignore")
config.settings.reading_validation_mode = config.IGNORE if hasattr(config, "IGNORE") else 0

# Size of one value for the VRs whose bytes are swapped in big endian (PS3.5 7.3).
UNIT = {"US": 2, "SS": 2, "OW": 2, "AT": 2, "UL": 4, "SL": 4, "FL": 4, "OF": 4, "OL": 4,
        "FD": 8, "OD": 8, "SV": 8, "UV": 8, "OV": 8}
PIXEL_DATA = 0x7FE00010
ITEM = b"\xfe\xff\x00\xe0"


def sha(b):
    return hashlib.sha256(b).hexdigest()[:24]


def swap(b, unit):
    if unit <= 1:
        return b
    n = len(b) - len(b) % unit
    out = bytearray(b)
    for i in range(0, n, unit):
        out[i:i + unit] = b[i:i + unit][::-1]
    return bytes(out)


def pad_even(b):
    return b + b"\0" if len(b) % 2 else b


def vr_name(vr):
    """pydicom 2.x mixes plain strings and the VR enum, whose str() is 'VR.UN'."""
    return str(getattr(vr, "value", vr)) if vr is not None else ""


def tag_hex(tag):
    return "%08X" % int(tag)


def raw_canonical(raw, little):
    value = raw.value
    if value is None:  # zero length, or a value pydicom already converted to nothing
        value = b""
    if not isinstance(value, (bytes, bytearray)):
        return "-"
    vr = vr_name(raw.VR)
    if not little:
        value = swap(value, UNIT.get(vr, 1))
    return sha(value.rstrip(b" \0"))


def value_canonical(elem, little):
    value = elem.value
    if isinstance(value, (bytes, bytearray)):
        b = bytes(value)
        if not little:
            vr = vr_name(elem.VR)
            b = swap(b, UNIT.get(vr, 1) if vr.startswith("O") else 1)
        return "bytes:" + sha(pad_even(b))
    text = repr(value)
    return text if len(text) <= 200 else "repr:" + sha(text.encode("utf-8", "backslashreplace"))


def un_as_sequence(raw_value, encoding):
    """An implicit VR LE defined-length private sequence reads back as UN; decode it as the items it holds."""
    try:
        seq = read_sequence(io.BytesIO(raw_value), True, True, len(raw_value), encoding)
        return seq if len(seq) > 0 else None
    except Exception:
        return None


def dump_dataset(ds, prefix, little, implicit, out, top):
    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        raw_canon = raw_canonical(raw, little)
        stored = vr_name(raw.VR) if isinstance(raw, RawDataElement) and raw.VR is not None else "-"
        path = prefix + tag_hex(tag)
        if top and int(tag) == PIXEL_DATA:
            continue  # reported by the PIXEL line
        elem = ds[tag]
        vr = vr_name(elem.VR)
        if vr == "SQ":
            out.append("S\t%s\t%d\tSQ" % (path, len(elem.value)))
            for i, item in enumerate(elem.value):
                dump_dataset(item, "%s/%d/" % (path, i), little, implicit, out, False)
            continue
        if vr == "UN" and isinstance(elem.value, bytes) and elem.value[:4] == ITEM:
            seq = un_as_sequence(elem.value, getattr(ds, "_character_set", None) or ["iso8859"])
            if seq is not None:
                out.append("S\t%s\t%d\tSQ-from-UN" % (path, len(seq)))
                for i, item in enumerate(seq):  # the items are implicit VR little endian, whatever the file
                    dump_dataset(item, "%s/%d/" % (path, i), True, True, out, False)
                continue
        out.append("E\t%s\t%s\t%s\t%s\t%s" % (path, vr, value_canonical(elem, little), raw_canon, stored))


def fragments(value):
    items = []
    pos = 0
    while pos + 8 <= len(value):
        tag = value[pos:pos + 4]
        length = int.from_bytes(value[pos + 4:pos + 8], "little")
        pos += 8
        if tag != ITEM:
            break
        items.append(value[pos:pos + length])
        pos += length
    return items


def pixel_line(ds, little):
    if PIXEL_DATA not in ds:
        return None
    value = ds.PixelData
    ts = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    if ts is not None and ts.is_compressed:
        items = fragments(value)
        h = hashlib.sha256()
        for item in items:
            h.update(sha(pad_even(item)).encode())
        return "PIXEL\t%s\t-\t%d\t%s" % (h.hexdigest()[:24], len(items), vr_name(ds["PixelData"].VR))
    b = bytes(value)
    if not little:
        b = swap(b, UNIT.get(vr_name(ds["PixelData"].VR), 1))
    array = "-"
    if numpy is not None:
        try:
            arr = ds.pixel_array
            array = sha(numpy.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<")).tobytes())
        except Exception:
            array = "-"
    return "PIXEL\t%s\t%s\t-\t%s" % (sha(pad_even(b)), array, vr_name(ds["PixelData"].VR))


def dump(path):
    out = ["FILE\t" + path]
    try:
        ds = pydicom.dcmread(path, force=True)
        little = ds.is_little_endian if ds.is_little_endian is not None else True
        implicit = bool(ds.is_implicit_VR)
        out.append("TS\t%s\t%s" % ("little" if little else "big", "implicit" if implicit else "explicit"))
        body = []
        dump_dataset(ds, "", little, implicit, body, True)
        out.extend(body)
        pixel = pixel_line(ds, little)
        if pixel:
            out.append(pixel)
    except Exception as e:  # reported, the Java side decides
        out = ["FILE\t" + path, "ERROR\t%s: %s" % (type(e).__name__, str(e).replace("\t", " ").replace("\n", " "))]
    out.append("END")
    return out


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if path:
            sys.stdout.write("\n".join(dump(path)) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
