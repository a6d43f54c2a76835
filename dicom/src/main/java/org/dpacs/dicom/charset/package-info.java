/**
 * Specific Character Set (0008,0005): converting the character-set-dependent text VRs (SH, LO, ST, LT, PN, UC,
 * UT) between bytes and Unicode, per PS3.5 6.1 and the Defined Terms of PS3.3 C.12.1.1.2.
 *
 * <p>{@link org.dpacs.dicom.charset.SpecificCharacterSet} is the entry point. Single-byte sets, UTF-8, GB18030
 * and GBK decode with one JDK call; values that use ISO/IEC 2022 code extensions (Japanese, Korean, Chinese
 * GB 2312, mixed ISO 8859 parts) go through our own escape-sequence state machine, which resets to value 1's
 * set at the delimiters listed in PS3.5 6.1.2.5.3. Decoding is lenient and never throws, since its input comes
 * from untrusted files.
 */
package org.dpacs.dicom.charset;
