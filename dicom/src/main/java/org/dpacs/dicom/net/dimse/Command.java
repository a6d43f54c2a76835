package org.dpacs.dicom.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.data.Vr;
import org.dpacs.dicom.io.AttributesCollector;
import org.dpacs.dicom.io.DicomParseException;
import org.dpacs.dicom.io.DicomReader;
import org.dpacs.dicom.io.ReadOptions;
import org.dpacs.dicom.io.WriteOptions;

/**
 * A DIMSE command set (PS3.7 6.3, 9.3, E.1): group 0000 elements, always implicit VR little endian, starting with
 * the Command Group Length. Typed accessors for the fields the services use; the elements themselves are in
 * {@link #attributes()}.
 */
public record Command(Attributes attributes) {
    /** PS3.7 E.1: Command Data Set Type when no data set follows; any other value means one does. */
    public static final int NO_DATASET = 0x0101;
    /** PS3.7 9.1.1.1.1 Priority: medium. */
    public static final int PRIORITY_MEDIUM = 0x0000;
    /** Error Comment is LO: at most 64 characters (PS3.7 C.4). */
    private static final int MAX_COMMENT = 64;

    public Optional<CommandField> field() {
        return CommandField.of(attributes.integer(CommandTag.CommandField, -1));
    }

    public int commandFieldCode() {
        return attributes.integer(CommandTag.CommandField, -1);
    }

    public int messageId() {
        return attributes.integer(CommandTag.MessageID, 0);
    }

    public int messageIdBeingRespondedTo() {
        return attributes.integer(CommandTag.MessageIDBeingRespondedTo, 0);
    }

    public Optional<String> affectedSopClassUid() {
        return attributes.string(CommandTag.AffectedSOPClassUID);
    }

    public Optional<String> affectedSopInstanceUid() {
        return attributes.string(CommandTag.AffectedSOPInstanceUID);
    }

    public boolean hasDataset() {
        return attributes.integer(CommandTag.CommandDataSetType, NO_DATASET) != NO_DATASET;
    }

    public int status() {
        return attributes.integer(CommandTag.Status, -1);
    }

    public Optional<String> errorComment() {
        return attributes.string(CommandTag.ErrorComment);
    }

    public int priority() {
        return attributes.integer(CommandTag.Priority, PRIORITY_MEDIUM);
    }

    public Optional<String> moveOriginatorAeTitle() {
        return attributes.string(CommandTag.MoveOriginatorApplicationEntityTitle);
    }

    /** PS3.7 9.3.5: C-ECHO-RQ. */
    public static Command cEchoRq(int messageId) {
        return new Command(new Attributes.Builder()
                .setString(CommandTag.AffectedSOPClassUID, Vr.UI, "1.2.840.10008.1.1")
                .setInts(CommandTag.CommandField, Vr.US, CommandField.C_ECHO_RQ.code())
                .setInts(CommandTag.MessageID, Vr.US, messageId)
                .setInts(CommandTag.CommandDataSetType, Vr.US, NO_DATASET)
                .build());
    }

    /** PS3.7 9.3.1: C-STORE-RQ; a data set follows. */
    public static Command cStoreRq(int messageId, String sopClassUid, String sopInstanceUid, int priority) {
        return new Command(new Attributes.Builder()
                .setString(CommandTag.AffectedSOPClassUID, Vr.UI, sopClassUid)
                .setInts(CommandTag.CommandField, Vr.US, CommandField.C_STORE_RQ.code())
                .setInts(CommandTag.MessageID, Vr.US, messageId)
                .setInts(CommandTag.Priority, Vr.US, priority)
                .setInts(CommandTag.CommandDataSetType, Vr.US, 0x0000)
                .setString(CommandTag.AffectedSOPInstanceUID, Vr.UI, sopInstanceUid)
                .build());
    }

    /**
     * This C-STORE-RQ as a sub-operation of a C-MOVE (PS3.7 9.3.1.1, PS3.4 C.4.2.3.1): with the AE title that asked
     * for the move and the message ID of its C-MOVE-RQ.
     */
    public Command withMoveOriginator(String aeTitle, int moveMessageId) {
        return new Command(attributes.toBuilder()
                .setString(CommandTag.MoveOriginatorApplicationEntityTitle, Vr.AE, aeTitle)
                .setInts(CommandTag.MoveOriginatorMessageID, Vr.US, moveMessageId)
                .build());
    }

    /**
     * The response to {@code request} (PS3.7 9.3): its command field with the response bit, the message ID it
     * answers, the affected SOP class (from the request, else {@code sopClassUid}) and instance, the status and,
     * when given, an Error Comment cut to the 64 characters LO allows.
     */
    public static Command response(Command request, String sopClassUid, int status, Optional<String> comment) {
        Attributes.Builder b = new Attributes.Builder()
                .setString(CommandTag.AffectedSOPClassUID, Vr.UI, request.affectedSopClassUid().orElse(sopClassUid))
                .setInts(CommandTag.CommandField, Vr.US, request.commandFieldCode() | 0x8000)
                .setInts(CommandTag.MessageIDBeingRespondedTo, Vr.US, request.messageId())
                .setInts(CommandTag.CommandDataSetType, Vr.US, NO_DATASET)
                .setInts(CommandTag.Status, Vr.US, status);
        comment.map(Command::loValue).filter(s -> !s.isEmpty())
                .ifPresent(c -> b.setString(CommandTag.ErrorComment, Vr.LO, c));
        request.affectedSopInstanceUid()
                .ifPresent(uid -> b.setString(CommandTag.AffectedSOPInstanceUID, Vr.UI, uid));
        return new Command(b.build());
    }

    /** LO: no backslash or control characters, at most 64 characters. */
    private static String loValue(String s) {
        String clean = s.replace('\\', '/').replaceAll("[\\p{Cntrl}]", " ").strip();
        return clean.length() <= MAX_COMMENT ? clean : clean.substring(0, MAX_COMMENT - 3) + "...";
    }

    /** The command set in implicit VR little endian, Command Group Length first (PS3.7 E.1). */
    public byte[] encode() {
        ByteArrayOutputStream rest = new ByteArrayOutputStream(256);
        try {
            // The writer leaves out group lengths; (0000,0000) is computed here over what it wrote.
            org.dpacs.dicom.io.DicomWriter.writeDataset(rest, attributes, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                    WriteOptions.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        int n = rest.size();
        byte[] out = new byte[12 + n];
        out[4] = 4; // tag (0000,0000), length 4, value n: all little endian
        out[8] = (byte) n;
        out[9] = (byte) (n >>> 8);
        out[10] = (byte) (n >>> 16);
        out[11] = (byte) (n >>> 24);
        System.arraycopy(rest.toByteArray(), 0, out, 12, n);
        return out;
    }

    /**
     * Decodes a command set; fails when it is not implicit VR little endian group 0000 or lacks a Command Field.
     */
    public static Command decode(byte[] bytes) throws DicomParseException {
        AttributesCollector collected = new AttributesCollector();
        try {
            DicomReader.forDataset(new ByteArrayInputStream(bytes), "command",
                    TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, ReadOptions.DEFAULT.withMaxBytes(bytes.length + 1024L))
                    .parse(collected);
        } catch (DicomParseException e) {
            throw e;
        } catch (IOException e) {
            throw new DicomParseException("Unreadable command set: " + e.getMessage(), 0, -1, e);
        }
        Attributes a = collected.dataset();
        for (int i = 0; i < a.size(); i++) {
            if (Tag.group(a.tagAt(i)) != 0x0000) {
                throw new DicomParseException("Command set holds an element outside group 0000", 0, a.tagAt(i));
            }
        }
        if (!a.contains(CommandTag.CommandField)) {
            throw new DicomParseException("Command set has no Command Field", 0, CommandTag.CommandField);
        }
        return new Command(a);
    }

    @Override
    public String toString() {
        return field().map(Object::toString).orElse(String.format("command 0x%04X", commandFieldCode()))
                + "[id=" + (attributes.contains(CommandTag.MessageID) ? messageId() : messageIdBeingRespondedTo())
                + (attributes.contains(CommandTag.Status) ? ", status=" + DimseStatus.toHex(status()) : "")
                + affectedSopInstanceUid().map(u -> ", " + u).orElse("") + "]";
    }
}
