/**
 * The DICOM data dictionary (PS3.6 elements, including the command group and repeating groups such as 60xx), a
 * vendor private dictionary, and the PS3.6 UID registry.
 *
 * <p>This package answers "what does PS3.6 say about this tag or UID": VR, VM, keyword, name, retired status.
 * It is what an implicit VR parser consults for VRs and what dumps and JSON/XML writers use for keywords. It is not
 * an IOD or module model, does not validate data sets, and does not resolve ambiguous VRs such as "US or SS"; the
 * codec does that from Pixel Representation and friends.
 *
 * <p>The tables are generated resources ({@code elements.tsv}, {@code private.tsv}, {@code uids.tsv}) derived from
 * pydicom's copies of PS3.6 and of GDCM's private dictionary. Do not edit them by hand; regenerate from the
 * repository root with {@code /usr/bin/python3 dicom/tools/gen-dictionary.py}, which needs Debian's
 * python3-pydicom and produces byte-identical output for the same pydicom version.
 */
package org.dpacs.dicom.dict;
