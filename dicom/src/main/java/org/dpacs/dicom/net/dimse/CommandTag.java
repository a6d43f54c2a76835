package org.dpacs.dicom.net.dimse;

/** Tags of the command set elements (group 0000, PS3.7 E.1) that the DIMSE services use. */
public final class CommandTag {
    public static final int CommandGroupLength = 0x00000000;
    public static final int AffectedSOPClassUID = 0x00000002;
    public static final int RequestedSOPClassUID = 0x00000003;
    public static final int CommandField = 0x00000100;
    public static final int MessageID = 0x00000110;
    public static final int MessageIDBeingRespondedTo = 0x00000120;
    public static final int MoveDestination = 0x00000600;
    public static final int Priority = 0x00000700;
    public static final int CommandDataSetType = 0x00000800;
    public static final int Status = 0x00000900;
    public static final int ErrorComment = 0x00000902;
    public static final int AffectedSOPInstanceUID = 0x00001000;
    public static final int NumberOfRemainingSuboperations = 0x00001020;
    public static final int NumberOfCompletedSuboperations = 0x00001021;
    public static final int NumberOfFailedSuboperations = 0x00001022;
    public static final int NumberOfWarningSuboperations = 0x00001023;
    public static final int MoveOriginatorApplicationEntityTitle = 0x00001030;
    public static final int MoveOriginatorMessageID = 0x00001031;

    private CommandTag() {
    }
}
