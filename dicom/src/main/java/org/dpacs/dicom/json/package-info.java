/**
 * DICOM JSON Model (PS3.18 Annex F.2): a streaming writer ({@link org.dpacs.dicom.json.DicomJsonWriter}, a
 * {@link org.dpacs.dicom.io.DicomHandler}) and a reader ({@link org.dpacs.dicom.json.DicomJsonReader}) that encodes
 * values back to their VR's bytes.
 *
 * <p>{@link org.dpacs.dicom.json.JsonOptions} decides what happens to bulk data: written inline, referenced by a
 * BulkDataURI that a {@link org.dpacs.dicom.json.BulkDataUriFunction} builds from the attribute's
 * {@link org.dpacs.dicom.json.TagPath}, or left out. The Native DICOM Model XML writer in
 * {@code org.dpacs.dicom.xml} shares the options and the helpers {@link org.dpacs.dicom.json.WriterState},
 * {@link org.dpacs.dicom.json.ValueFormat} and {@link org.dpacs.dicom.json.BulkDataStreams}.
 *
 * <p>Where Annex F leaves a choice, the choice and its reason are documented on the writer. How the output
 * compares with pydicom's {@code Dataset.to_json_dict()} on pydicom's own test files is in
 * {@code docs/dicom-json-vs-pydicom.md}.
 */
package org.dpacs.dicom.json;
