/**
 * Native DICOM Model XML (PS3.19 Annex A.1): {@link org.dpacs.dicom.xml.NativeXmlWriter}, a streaming
 * {@link org.dpacs.dicom.io.DicomHandler} that writes a data set as the XML infoset the A.1.6 schema describes,
 * with bulk data handled by the same {@link org.dpacs.dicom.json.JsonOptions} as the DICOM JSON writer.
 */
package org.dpacs.dicom.xml;
