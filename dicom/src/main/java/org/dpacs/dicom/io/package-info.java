/**
 * The streaming Part 10 codec. {@link org.dpacs.dicom.io.DicomReader} parses a file or stream and emits
 * {@link org.dpacs.dicom.io.DicomHandler} events; {@link org.dpacs.dicom.io.AttributesCollector} builds an
 * in-memory data set from them and {@link org.dpacs.dicom.io.DicomWriter} writes them back out, in any of
 * implicit VR LE, explicit VR LE, explicit VR BE, deflated explicit VR LE or an encapsulated syntax.
 *
 * <p>The parser never trusts a length: each is checked against the bytes left (files) or read in chunks
 * (streams), and every failure is a {@link org.dpacs.dicom.io.DicomParseException} with the byte offset and
 * tag. Pixel data is skipped and referenced unless {@link org.dpacs.dicom.io.ReadOptions#loadPixelData()}.
 *
 * <p>Not for: networking (DIMSE), JSON or XML (see {@code org.dpacs.dicom.json} and {@code .xml}).
 */
package org.dpacs.dicom.io;
