"""Prints what the OHIF check should find for each DICOM file, as the reference readers decode it: patient name
groups, study/series/SOP UIDs, modality, frame count, and for the first and last frame the pixel values after the
Modality LUT (what cornerstone keeps for a monochrome image; colour images as RGB): min, max, mean and a GRID x GRID
grid of block means. dPACS is never asked, so what OHIF gets from it is checked against an independent decoder.

Usage: /usr/bin/python3 manifest.py FILE... > manifest.json   (Debian's python3-pydicom; dcmtk for 12-bit JPEG)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

GRID = 16
# Lossy transfer syntaxes: two correct decoders may give different values, so only the picture is compared.
LOSSY = {
    "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.203",
}


def decode(path):
    """The data set and its pixel array, by pydicom, else (12-bit JPEG, which Pillow cannot decode) from a copy
    that dcmtk's dcmdjpeg decompressed. Raises when neither can."""
    ds = pydicom.dcmread(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. Pillow on a J2K stream whose precision differs from Bits Stored
            return ds, ds.pixel_array, "pydicom"
    except Exception as first:
        if not shutil.which("dcmdjpeg"):
            raise first
        with tempfile.TemporaryDirectory() as tmp:
            plain = os.path.join(tmp, "plain.dcm")
            if subprocess.run(["dcmdjpeg", path, plain], capture_output=True).returncode != 0:
                raise first
            ds = pydicom.dcmread(plain)
            return ds, ds.pixel_array, "dcmtk dcmdjpeg"


def block_means(frame):
    """GRID x GRID means of the frame (colour samples averaged), row-major: the picture, without the detail."""
    if frame.ndim == 3:
        frame = frame.mean(axis=2)
    rows, cols = frame.shape
    r = [i * rows // GRID for i in range(GRID + 1)]
    c = [j * cols // GRID for j in range(GRID + 1)]
    return [round(float(frame[r[i]:max(r[i + 1], r[i] + 1), c[j]:max(c[j + 1], c[j] + 1)].mean()), 3)
            for i in range(GRID) for j in range(GRID)]


def frame_stats(path, frames):
    """Statistics of the first and last frames, or the reason they cannot be decoded here."""
    try:
        ds, pixels, decoder = decode(path)
    except Exception as e:  # no decoder for this transfer syntax in this install
        return {"unavailable": f"{type(e).__name__}: {e}"}
    if frames == 1:
        pixels = pixels[None, ...]
    monochrome = int(ds.get("SamplesPerPixel", 1)) == 1
    stats = {}
    for n in sorted({1, frames}):
        f = pixels[n - 1]
        f = (apply_modality_lut(f, ds) if monochrome else f).astype(np.float64)
        stats[str(n)] = {
            "rows": int(ds.Rows),
            "columns": int(ds.Columns),
            "samples": int(ds.get("SamplesPerPixel", 1)),
            "min": float(f.min()),
            "max": float(f.max()),
            "mean": float(f.mean()),
            "grid": block_means(f),
            "decoder": decoder,
        }
    return stats


def main(paths):
    out = []
    for path in paths:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        groups = list(ds.PatientName.components) if ds.get("PatientName") else []
        groups += [""] * (3 - len(groups))
        charset = ds.get("SpecificCharacterSet", [])
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        ts = str(ds.file_meta.TransferSyntaxUID)
        out.append({
            "file": os.path.basename(path),
            "patientName": {"Alphabetic": groups[0], "Ideographic": groups[1], "Phonetic": groups[2]},
            "patientId": str(ds.get("PatientID", "")),
            "studyInstanceUID": str(ds.StudyInstanceUID),
            "seriesInstanceUID": str(ds.SeriesInstanceUID),
            "sopInstanceUID": str(ds.SOPInstanceUID),
            "modality": str(ds.get("Modality", "")),
            "frames": frames,
            "transferSyntaxUID": ts,
            "lossy": ts in LOSSY,
            "specificCharacterSet": [charset] if isinstance(charset, str) else list(charset),
            "pixels": frame_stats(path, frames),
        })
    studies = [m["studyInstanceUID"] for m in out]
    if len(set(studies)) != len(studies):
        sys.exit("manifest.py: each file must be its own study, so that every study checked means one file")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
