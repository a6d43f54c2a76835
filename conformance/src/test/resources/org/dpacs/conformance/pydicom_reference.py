"""pydicom as the reference reader of the conformance suite.

Run as `python3 pydicom_reference.py COMMAND` with a JSON request on stdin; prints a JSON answer on stdout.
One process serves a whole batch of files, so the suite starts Python a handful of times, not once per file.

Commands:
  scan      classify sample files (valid = pydicom reads it without force=True and it has the four UIDs)
  compare   a retrieved Part 10 file against its original: every element outside group 0002, and the pixel data
  metadata  a DICOM JSON object (PS3.18 Annex F) plus its resolved BulkDataURIs against the original file
  frames    the expected bytes of given frames, written to files
  identify  the SOP Instance UID and transfer syntax of retrieved Part 10 files
  rewrite   write copies of files with new UIDs (stable per salt) or another Patient's Name
"""
import base64
import json
import math
import os
import struct
import sys
import uuid
import warnings

import pydicom
from pydicom import encaps
from pydicom.dataset import Dataset
from pydicom.tag import Tag
from pydicom.uid import UID

PIXEL_DATA = 0x7FE00010
TRAILING_PADDING = 0xFFFCFFFC
BINARY_VRS = {"OB", "OD", "OF", "OL", "OV", "OW", "UN"}
# Bytes per word of each VR whose value is swapped between little and big endian (PS3.5 7.3).
WORD_SIZE = {"OW": 2, "US": 2, "SS": 2, "OF": 4, "OL": 4, "UL": 4, "SL": 4, "FL": 4, "AT": 2,
             "OD": 8, "OV": 8, "FD": 8, "SV": 8, "UV": 8}
NUMBER_FORMAT = {"US": "H", "SS": "h", "UL": "L", "SL": "l", "FL": "f", "FD": "d", "SV": "q", "UV": "Q"}
STRING_VRS = {"AE", "AS", "CS", "DA", "DT", "LO", "LT", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
TEXT_VRS = {"LT", "ST", "UT", "UR"}  # leading spaces are significant (PS3.5 6.2)
MAX_DIFFERENCES = 20
# Starts the error of a frame no reader can cut out: the server must refuse it, not invent it.
INCONSISTENT = "inconsistent pixel data: "


def read(path):
    """Reads like the suite's definition of a valid file: no force, warnings collected, not raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = pydicom.dcmread(path)
    return ds, [str(w.message) for w in caught]


def transfer_syntax(ds):
    meta = getattr(ds, "file_meta", None)
    ts = meta.get("TransferSyntaxUID") if meta is not None else None
    return str(ts) if ts else None


def is_encapsulated(ds):
    ts = transfer_syntax(ds)
    return bool(ts) and UID(ts).is_compressed


def person_name_json(value):
    """The DICOM JSON form of a PN value (PS3.18 F.2.2): component groups, empty ones left out."""
    if value is None:
        return None
    groups = value.components if hasattr(value, "components") else str(value).split("=")
    out = {}
    for name, group in zip(("Alphabetic", "Ideographic", "Phonetic"), groups):
        if group:
            out[name] = group
    return out


def text(value):
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------------------- scan

def scan(request):
    records = []
    for directory in request["dirs"]:
        for root, _dirs, files in sorted(os.walk(directory)):
            for name in sorted(files):
                records.append(scan_file(os.path.join(root, name)))
    return records


def scan_file(path):
    rec = {"path": path, "valid": False}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ds = pydicom.dcmread(path)
            for _ in ds.iterall():  # values are decoded lazily: decode them all so their warnings show too
                pass
    except Exception as e:  # anything pydicom refuses without force=True is not in the corpus
        rec["reason"] = "pydicom: %s: %s" % (type(e).__name__, e)
        return rec
    rec["warnings"] = sorted({str(w.message) for w in caught})
    uids = {k: text(ds.get(k)) for k in ("SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID")}
    missing = [k for k, v in uids.items() if not v]
    if missing:
        rec["reason"] = "missing " + ", ".join(missing)
        return rec
    rec["valid"] = True
    rec.update({
        "sopClassUid": uids["SOPClassUID"],
        "sopInstanceUid": uids["SOPInstanceUID"],
        "studyInstanceUid": uids["StudyInstanceUID"],
        "seriesInstanceUid": uids["SeriesInstanceUID"],
        "transferSyntax": transfer_syntax(ds),
        "patientId": text(ds.get("PatientID")),
        "patientName": person_name_json(ds.get("PatientName")) if ds.get("PatientName") else None,
        "patientNameString": text(ds.get("PatientName")),
        "studyDate": text(ds.get("StudyDate")),
        "studyDescription": text(ds.get("StudyDescription")),
        "modality": text(ds.get("Modality")),
        "specificCharacterSet": charsets(ds),
        "hasPixelData": PIXEL_DATA in ds,
        "encapsulated": is_encapsulated(ds) and PIXEL_DATA in ds,
        "numberOfFrames": number_of_frames(ds),
        "rows": int(ds.get("Rows") or 0),
        "columns": int(ds.get("Columns") or 0),
        "bitsAllocated": int(ds.get("BitsAllocated") or 0),
        "samplesPerPixel": int(ds.get("SamplesPerPixel") or 1),
    })
    return rec


def charsets(ds):
    value = ds.get("SpecificCharacterSet")
    if not value:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def number_of_frames(ds):
    try:
        n = int(ds.get("NumberOfFrames") or 1)
        return n if n > 0 else 1
    except (TypeError, ValueError):
        return 1


# ------------------------------------------------------------------------------------------------------- compare

def raw_bytes(ds, tag):
    """The value bytes of an element as they were encoded, without letting pydicom convert them."""
    elem = ds.get_item(tag)
    value = elem.value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return None


def to_little_endian(data, vr, little_endian):
    """PS3.5 7.3: words of OW/OF/... are swapped in big endian; OB and UN are byte streams."""
    size = WORD_SIZE.get(vr, 1)
    if little_endian or size == 1 or data is None:
        return data
    out = bytearray(len(data))
    for i in range(0, len(data) - len(data) % size, size):
        out[i:i + size] = data[i:i + size][::-1]
    return bytes(out)


def frames_of(ds):
    value = ds.get_item(PIXEL_DATA).value
    return list(encaps.generate_pixel_data_frame(value, number_of_frames(ds)))


def compare_pixel_data(a, b, out):
    ts_a, ts_b = transfer_syntax(a), transfer_syntax(b)
    enc_a, enc_b = is_encapsulated(a), is_encapsulated(b)
    if enc_a and enc_b and ts_a == ts_b:
        fa, fb = frames_of(a), frames_of(b)
        if len(fa) != len(fb):
            out.append("PixelData: %d frames, retrieved %d" % (len(fa), len(fb)))
        for i, (x, y) in enumerate(zip(fa, fb)):
            if x.rstrip(b"\0") != y.rstrip(b"\0"):
                out.append("PixelData frame %d: %d bytes differ from the retrieved %d bytes" % (i + 1, len(x), len(y)))
        return
    if not enc_a and not enc_b and a.is_little_endian != b.is_little_endian and int(a.get("BitsAllocated") or 0) > 1:
        # Byte order changed: compare by the PS3.5 rule (see native_pixels_little_endian), not pixel_array.
        if native_pixels_little_endian(a) != native_pixels_little_endian(b):
            out.append("PixelData: native bytes differ after transcoding %s -> %s" % (ts_a, ts_b))
        return
    if not enc_a and not enc_b and a.is_little_endian == b.is_little_endian:
        xa, xb = raw_bytes(a, PIXEL_DATA), raw_bytes(b, PIXEL_DATA)
        if xa != xb:
            out.append("PixelData: %d native bytes (%s) differ from the retrieved %d bytes (%s)"
                       % (len(xa or b""), ts_a, len(xb or b""), ts_b))
        return
    # Byte order or compression changed: only decoded pixels can be compared, which needs a codec pydicom has
    # (native either endian, RLE, deflate).
    try:
        if not (a.pixel_array == b.pixel_array).all():
            out.append("PixelData: decoded pixels differ after transcoding %s -> %s" % (ts_a, ts_b))
    except Exception as e:
        out.append("PixelData: transcoded %s -> %s and pydicom cannot decode to verify it (%s)" % (ts_a, ts_b, e))


def values_equal(va, vb):
    if isinstance(va, (list, pydicom.multival.MultiValue)) or isinstance(vb, (list, pydicom.multival.MultiValue)):
        la = list(va) if isinstance(va, (list, pydicom.multival.MultiValue)) else [va]
        lb = list(vb) if isinstance(vb, (list, pydicom.multival.MultiValue)) else [vb]
        return len(la) == len(lb) and all(values_equal(x, y) for x, y in zip(la, lb))
    if isinstance(va, float) and isinstance(vb, float) and math.isnan(va) and math.isnan(vb):
        return True
    if hasattr(va, "components") or hasattr(vb, "components"):
        return str(va) == str(vb)
    return va == vb


def vr_matches(vr_a, vr_b):
    if vr_a == vr_b:
        return True
    # pydicom keeps "US or SS" style VRs for implicit VR files; either concrete VR is right.
    return vr_b in vr_a.split(" or ") or vr_a in vr_b.split(" or ")


def compare_datasets(a, b, path, out, top):
    tags = sorted(set(a.keys()) | set(b.keys()))
    for tag in tags:
        if len(out) >= MAX_DIFFERENCES:
            return
        tag = Tag(tag)
        if top and tag.group == 0x0002:
            continue  # the File Meta Information is rewritten by whoever writes the file (PS3.10 7.1)
        if tag.element == 0x0000 or tag == TRAILING_PADDING:
            continue  # group lengths are retired (PS3.5 7.2), trailing padding has no meaning (PS3.10 7.2)
        name = "%s(%04X,%04X)" % (path, tag.group, tag.element)
        if tag not in b:
            out.append(name + " missing in the retrieved object")
            continue
        if tag not in a:
            out.append(name + " added in the retrieved object")
            continue
        if top and tag == PIXEL_DATA:
            compare_pixel_data(a, b, out)
            continue
        ra, rb = raw_bytes(a, tag), raw_bytes(b, tag)
        try:
            ea, eb = a[tag], b[tag]
        except Exception as e:
            if ra != rb:
                out.append("%s unreadable (%s) and raw bytes differ" % (name, e))
            continue
        if ea.VR == "SQ" or eb.VR == "SQ":
            if ea.VR != eb.VR:
                out.append("%s VR %s, retrieved %s" % (name, ea.VR, eb.VR))
                continue
            if len(ea.value) != len(eb.value):
                out.append("%s %d items, retrieved %d" % (name, len(ea.value), len(eb.value)))
                continue
            for i, (ia, ib) in enumerate(zip(ea.value, eb.value)):
                compare_datasets(ia, ib, "%s[%d]" % (name, i), out, False)
            continue
        if not vr_matches(ea.VR, eb.VR):
            if "UN" in (ea.VR, eb.VR) and ra is not None and rb is not None:
                if ra != rb:
                    out.append("%s VR %s vs %s and value bytes differ" % (name, ea.VR, eb.VR))
                continue
            out.append("%s VR %s, retrieved %s" % (name, ea.VR, eb.VR))
            continue
        if ea.VR in BINARY_VRS:
            xa = to_little_endian(ea.value, ea.VR, a.is_little_endian)
            xb = to_little_endian(eb.value, eb.VR, b.is_little_endian)
            if xa != xb:
                out.append("%s %s value of %d bytes differs (retrieved %d bytes)"
                           % (name, ea.VR, len(xa or b""), len(xb or b"")))
            continue
        if not values_equal(ea.value, eb.value):
            out.append("%s %s %r, retrieved %r" % (name, ea.VR, shorten(ea.value), shorten(eb.value)))


def shorten(value):
    s = str(value)
    return s if len(s) <= 80 else s[:77] + "..."


def compare(request):
    answers = []
    for pair in request["pairs"]:
        out = []
        ts = None
        try:
            a, _ = read(pair["original"])
            b, _ = read(pair["retrieved"])
            ts = transfer_syntax(b)
            compare_datasets(a, b, "", out, True)
        except Exception as e:
            out.append("cannot compare: %s: %s" % (type(e).__name__, e))
        answers.append({"original": pair["original"], "retrieved": pair["retrieved"], "transferSyntax": ts,
                        "differences": out})
    return answers


# ------------------------------------------------------------------------------------------------------ metadata

def json_values(entry):
    return entry.get("Value") or []


def bulk_bytes(entry, bulk):
    """Bytes of an InlineBinary or the retrieved parts of a BulkDataURI (PS3.18 F.2.6, F.2.7)."""
    if "InlineBinary" in entry:
        return [base64.b64decode(entry["InlineBinary"])]
    if "BulkDataURI" in entry:
        files = bulk.get(entry["BulkDataURI"])
        if files is None:
            return None
        parts = []
        for f in files:
            with open(f, "rb") as fh:
                parts.append(fh.read())
        return parts
    return None


def expected_strings(elem):
    value = elem.value
    if value is None or value == "":
        return []
    items = list(value) if isinstance(value, (list, pydicom.multival.MultiValue)) else [value]
    return [normalise_string(str(v), elem.VR) for v in items]


def normalise_string(s, vr):
    s = s.rstrip(" \0")
    return s if vr in TEXT_VRS else s.strip(" ")


def compare_json(ds, obj, bulk, path, out, top, little_endian, encapsulated):
    for tag in sorted(ds.keys()):
        if len(out) >= MAX_DIFFERENCES:
            return
        tag = Tag(tag)
        if (top and tag.group == 0x0002) or tag.element == 0x0000 or tag == TRAILING_PADDING:
            continue
        key = "%04X%04X" % (tag.group, tag.element)
        name = "%s(%04X,%04X)" % (path, tag.group, tag.element)
        entry = obj.get(key)
        if entry is None:
            out.append(name + " missing from the metadata")
            continue
        raw = raw_bytes(ds, tag)
        try:
            elem = ds[tag]
        except Exception:
            continue  # a value pydicom cannot read itself is not a reference to judge the server by
        vr = entry.get("vr")
        if elem.VR == "UN" or vr == "UN":
            # The original's VR is unknown (implicit VR private element) or the server did not know it:
            # only the bytes can be compared, and only when the server sent bytes.
            got = bulk_bytes(entry, bulk)
            if got is not None and raw is not None and b"".join(got) != raw:
                out.append("%s UN bytes differ" % name)
            continue
        if not vr_matches(elem.VR, vr or ""):
            out.append("%s vr %s, metadata says %s" % (name, elem.VR, vr))
            continue
        if elem.VR == "SQ":
            items = json_values(entry)
            if len(items) != len(elem.value):
                out.append("%s %d items, metadata has %d" % (name, len(elem.value), len(items)))
                continue
            for i, (item, jitem) in enumerate(zip(elem.value, items)):
                compare_json(item, jitem or {}, bulk, "%s[%d]" % (name, i), out, False, little_endian, False)
            continue
        if top and tag == PIXEL_DATA and encapsulated:
            got = bulk_bytes(entry, bulk)
            if got is None:
                out.append("%s has neither InlineBinary nor a resolvable BulkDataURI" % name)
                continue
            frames = frames_of(ds)
            # PS3.18 8.7.3.3.2: compressed bulk data is sent frame by frame, without the fragment items.
            if [g.rstrip(b"\0") for g in got] != [f.rstrip(b"\0") for f in frames]:
                out.append("%s bulk data is %d part(s) of %s bytes; expected %d frame(s) of %s bytes"
                           % (name, len(got), [len(g) for g in got], len(frames), [len(f) for f in frames]))
            continue
        if "BulkDataURI" in entry or "InlineBinary" in entry:
            got = bulk_bytes(entry, bulk)
            if got is None:
                out.append("%s BulkDataURI %s did not resolve" % (name, entry.get("BulkDataURI")))
                continue
            data = b"".join(got)
            if elem.VR in BINARY_VRS or elem.VR in NUMBER_FORMAT:
                if top and tag == PIXEL_DATA:
                    try:
                        want = native_pixels_little_endian(ds)
                    except ValueError:
                        continue  # 1-bit big endian: nothing agreed to compare with
                else:
                    want = to_little_endian(raw, elem.VR, little_endian) if raw is not None else None
                if want is None:
                    fmt = "<%d%s" % (len(elem.value) if isinstance(elem.value, (list, pydicom.multival.MultiValue))
                                     else 1, NUMBER_FORMAT[elem.VR])
                    vals = elem.value if isinstance(elem.value, (list, pydicom.multival.MultiValue)) else [elem.value]
                    want = struct.pack(fmt, *vals)
                if data != want and data.rstrip(b"\0") != want.rstrip(b"\0"):
                    out.append("%s %s bulk data of %d bytes differs from the original %d bytes"
                               % (name, elem.VR, len(data), len(want)))
            elif raw is not None and data.rstrip(b" \0") != raw.rstrip(b" \0"):
                out.append("%s %s bulk data differs from the original value" % (name, elem.VR))
            continue
        compare_json_value(elem, entry, name, out)


def compare_json_value(elem, entry, name, out):
    got = json_values(entry)
    vr = elem.VR
    if vr == "PN":
        items = list(elem.value) if isinstance(elem.value, (list, pydicom.multival.MultiValue)) else [elem.value]
        want = [person_name_json(v) for v in items if v is not None and str(v) != ""]
        have = [{k: v for k, v in (g or {}).items() if v} for g in got]
        if want != have:
            out.append("%s PN %s, metadata %s" % (name, want, have))
        return
    if vr == "AT":
        items = list(elem.value) if isinstance(elem.value, (list, pydicom.multival.MultiValue)) else [elem.value]
        want = ["%08X" % int(Tag(v)) for v in items if v is not None]
        if [str(g).upper() for g in got] != want:
            out.append("%s AT %s, metadata %s" % (name, want, got))
        return
    if vr in NUMBER_FORMAT or vr in ("DS", "IS"):
        value = elem.value
        items = list(value) if isinstance(value, (list, pydicom.multival.MultiValue)) else (
            [] if value is None or value == "" else [value])
        if len(items) != len(got) or not all(number_equal(x, y, vr) for x, y in zip(items, got)):
            out.append("%s %s %s, metadata %s" % (name, vr, shorten(items), shorten(got)))
        return
    want = expected_strings(elem)
    have = [normalise_string("" if g is None else str(g), vr) for g in got]
    # An empty value may be sent as no Value or as [null]/[""] (PS3.18 F.2.5).
    if want == have or (not any(want) and not any(have)):
        return
    out.append("%s %s %s, metadata %s" % (name, vr, shorten(want), shorten(have)))


def number_equal(x, y, vr):
    if y is None:
        return x is None or str(x).strip() == ""
    try:
        fx, fy = float(x), float(y)
    except (TypeError, ValueError):
        return str(x).strip() == str(y).strip()
    if math.isnan(fx) and math.isnan(fy):
        return True
    if vr in ("FL", "OF"):
        # Equal when they name the same float32: the shortest decimal of a float32 (1.4e-45) is a correct
        # encoding, though it is far from pydicom's double-precision rendering in relative terms.
        try:
            return struct.pack("<f", fx) == struct.pack("<f", fy)
        except OverflowError:
            return False
    return fx == fy or abs(fx - fy) <= 1e-12 * max(abs(fx), abs(fy))


def metadata(request):
    answers = []
    for item in request["items"]:
        out = []
        try:
            ds, _ = read(item["original"])
            with open(item["json"], encoding="utf-8") as fh:
                obj = json.load(fh)
            bulk = item.get("bulk") or {}
            compare_json(ds, obj, bulk, "", out, True, ds.is_little_endian, is_encapsulated(ds))
        except Exception as e:
            out.append("cannot compare: %s: %s" % (type(e).__name__, e))
        answers.append({"original": item["original"], "json": item["json"], "differences": out})
    return answers


# -------------------------------------------------------------------------------------------------------- frames

def frames(request):
    answers = []
    for req in request["requests"]:
        try:
            ds, _ = read(req["file"])
            ts = transfer_syntax(ds)
            all_frames = frames_of(ds) if is_encapsulated(ds) else native_frames(ds)
        except Exception as e:
            for n in req["frames"]:
                answers.append({"file": req["file"], "frame": n, "error": "%s: %s" % (type(e).__name__, e)})
            continue
        for n in req["frames"]:
            path = os.path.join(req["outDir"], "%s.frame%d" % (os.path.basename(req["file"]), n))
            with open(path, "wb") as fh:
                fh.write(all_frames[n - 1])
            answers.append({"file": req["file"], "frame": n, "path": path, "transferSyntax": ts,
                            "encapsulated": is_encapsulated(ds)})
    return answers


def native_pixels_little_endian(ds):
    """Native Pixel Data as Explicit VR Little Endian carries it. Big endian data is swapped as PS3.5 7.3 and
    8.1.1 say, by the words of its VR (OW: 16-bit words, OB: not at all), which dPACS follows; pydicom swaps
    whole pixel cells instead, and the two differ for Bits Allocated 32 in OW (rtdose_expb.dcm), see
    docs/dicom-json-vs-pydicom.md."""
    data = raw_bytes(ds, PIXEL_DATA)
    if ds.is_little_endian:
        return data
    if int(ds.BitsAllocated) == 1:
        raise ValueError("1-bit big endian pixel data has no agreed little endian form to compare with")
    return to_little_endian(data, ds[PIXEL_DATA].VR, False)


def native_frames(ds):
    """Frames of native pixel data in Explicit VR Little Endian, the transfer syntax of application/octet-stream
    (PS3.18 Table 8.7.3-4)."""
    bits = int(ds.BitsAllocated)
    data = native_pixels_little_endian(ds)
    samples = int(ds.get("SamplesPerPixel") or 1)
    if str(ds.get("PhotometricInterpretation", "")).strip() == "YBR_FULL_422":
        samples = 2  # native 4:2:2 keeps two chroma values per pixel pair (PS3.3 C.7.6.3.1.2)
    length = int(ds.Rows) * int(ds.Columns) * samples * bits
    n = number_of_frames(ds)
    if length % 8 and n > 1:
        raise ValueError("frames of %d bits are not byte aligned" % length)
    size = (length + 7) // 8
    raw_frames = ds.get("NumberOfFrames")
    if raw_frames not in (None, "") and not str(raw_frames).strip().lstrip("+").isdigit():
        raise ValueError(INCONSISTENT + "Number of Frames %r is not a number" % str(raw_frames))
    if len(data or b"") < size * n:
        raise ValueError(INCONSISTENT + "Pixel Data holds %d bytes, %d frame(s) need %d" % (len(data or b""), n, size * n))
    return [data[i * size:(i + 1) * size] for i in range(n)]


# ------------------------------------------------------------------------------------------------------ identify

def identify(request):
    answers = []
    for f in request["files"]:
        try:
            ds, _ = read(f)
            answers.append({"file": f, "sopInstanceUid": text(ds.get("SOPInstanceUID")),
                            "transferSyntax": transfer_syntax(ds)})
        except Exception as e:
            answers.append({"file": f, "error": "%s: %s" % (type(e).__name__, e)})
    return answers


# ------------------------------------------------------------------------------------------------------- rewrite

def new_uid(salt, role):
    """A UUID-derived UID (PS3.5 B.2), the same for the same salt, so reruns against a deployment are idempotent."""
    return "2.25.%d" % uuid.uuid5(uuid.NAMESPACE_OID, "%s/%s" % (salt, role)).int


def rewrite(request):
    """Copies of files with new UIDs and/or another Patient's Name; everything else as pydicom read it."""
    answers = []
    for item in request["items"]:
        try:
            ds, _ = read(item["source"])
            # Raw elements read as implicit VR from a file that claims explicit VR (SC_rgb_jpeg.dcm) carry no VR,
            # and writing them explicit then fails; iterating converts every element and so gives each its VR.
            for _ in ds.iterall():
                pass
            uids = dict(item.get("uids") or {})
            salt = item.get("salt")
            if salt:
                uids.setdefault("study", new_uid(salt, "study"))
                uids.setdefault("series", new_uid(salt, "series"))
                uids.setdefault("sop", new_uid(salt, "sop"))
            if "study" in uids:
                ds.StudyInstanceUID = uids["study"]
            if "series" in uids:
                ds.SeriesInstanceUID = uids["series"]
            if "sop" in uids:
                ds.SOPInstanceUID = uids["sop"]
                ds.file_meta.MediaStorageSOPInstanceUID = uids["sop"]
            if item.get("patientName"):
                ds.PatientName = item["patientName"]
            ds.save_as(item["out"], write_like_original=True)
            rec = scan_file(item["out"])
        except Exception as e:
            rec = {"path": item["out"], "valid": False, "reason": "rewrite: %s: %s" % (type(e).__name__, e)}
        rec["source"] = item["source"]
        answers.append(rec)
    return answers


COMMANDS = {"scan": scan, "compare": compare, "metadata": metadata, "frames": frames, "identify": identify,
            "rewrite": rewrite}

if __name__ == "__main__":
    answer = COMMANDS[sys.argv[1]](json.load(sys.stdin))
    json.dump(answer, sys.stdout, ensure_ascii=False)
