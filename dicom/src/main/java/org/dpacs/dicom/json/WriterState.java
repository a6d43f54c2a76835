package org.dpacs.dicom.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import org.dpacs.dicom.charset.SpecificCharacterSet;
import org.dpacs.dicom.data.Tag;
import org.dpacs.dicom.data.TextValues;
import org.dpacs.dicom.data.Vr;

/**
 * What a streaming writer must remember while handler events go by, and nothing more: per nesting level the
 * Specific Character Set and private creators in force, per open sequence its tag and item count (for
 * {@link TagPath}s), and whether it is inside an attribute that is not written. Shared by the JSON and XML writers.
 */
public final class WriterState {
    private static final class Level {
        SpecificCharacterSet charset;
        int[] creatorTags = new int[0];
        String[] creators = new String[0];

        Level(SpecificCharacterSet charset) {
            this.charset = charset;
        }
    }

    private static final class Seq {
        final int tag;
        int items;

        Seq(int tag) {
            this.tag = tag;
        }
    }

    private final ArrayDeque<Level> levels = new ArrayDeque<>();
    private final ArrayDeque<Seq> sequences = new ArrayDeque<>();
    private int skipDepth;

    public WriterState() {
        levels.push(new Level(SpecificCharacterSet.DEFAULT));
    }

    /**
     * Attributes neither model carries: group lengths (PS3.18 F.2.2, PS3.19 A.1.1) and File Meta Information,
     * which is not part of the data set (PS3.10 7.1).
     */
    public static boolean excluded(int tag) {
        return Tag.isGroupLength(tag) || Tag.group(tag) == 0x0002;
    }

    /** True inside a sequence that is being left out; events there must be ignored. */
    public boolean skipping() {
        return skipDepth > 0;
    }

    /** Call on startSequence; false when the sequence is not to be written (then ignore events until its end). */
    public boolean enterSequence(int tag) {
        if (skipDepth > 0 || excluded(tag)) {
            skipDepth++;
            return false;
        }
        sequences.push(new Seq(tag));
        return true;
    }

    /** Call on endSequence; false when it closed a sequence that was left out. */
    public boolean exitSequence() {
        if (skipDepth > 0) {
            skipDepth--;
            return false;
        }
        sequences.pop();
        return true;
    }

    /** Call on startItem (when not skipping); returns the 0-based item index. */
    public int startItem() {
        levels.push(new Level(levels.peek().charset));
        return sequences.peek().items++;
    }

    public void endItem() {
        levels.pop();
    }

    /** The number of items started so far in the innermost open sequence. */
    public int itemCount() {
        return sequences.peek().items;
    }

    /** Records what later elements of this level depend on: the character set and private creators. */
    public void noteElement(int tag, Vr vr, byte[] value) {
        if (tag == Tag.SpecificCharacterSet) {
            levels.peek().charset = SpecificCharacterSet.of(
                    TextValues.split(new String(value, StandardCharsets.ISO_8859_1), Vr.CS));
        } else if (Tag.isPrivateCreator(tag) && vr.isText()) {
            Level level = levels.peek();
            level.creatorTags = Arrays.copyOf(level.creatorTags, level.creatorTags.length + 1);
            level.creators = Arrays.copyOf(level.creators, level.creators.length + 1);
            level.creatorTags[level.creatorTags.length - 1] = tag;
            level.creators[level.creators.length - 1] =
                    TextValues.trimEnd(new String(value, StandardCharsets.ISO_8859_1)).strip();
        }
    }

    /** The character set for text of the current level. */
    public SpecificCharacterSet charset() {
        return levels.peek().charset;
    }

    /** The creator reserving the block of a private data element at the current level (PS3.5 7.8.1). */
    public Optional<String> privateCreator(int tag) {
        if (!Tag.isPrivate(tag) || Tag.isPrivateCreator(tag) || Tag.element(tag) < 0x1000) {
            return Optional.empty();
        }
        int creatorTag = Tag.privateCreatorOf(tag);
        Level level = levels.peek();
        for (int i = level.creatorTags.length - 1; i >= 0; i--) {
            if (level.creatorTags[i] == creatorTag) {
                return Optional.of(level.creators[i]);
            }
        }
        return Optional.empty();
    }

    /** The path of {@code tag} at the current position. */
    public TagPath path(int tag) {
        int n = sequences.size();
        int[] tags = new int[n + 1];
        int[] items = new int[n];
        Iterator<Seq> outermostFirst = sequences.descendingIterator();
        for (int i = 0; i < n; i++) {
            Seq s = outermostFirst.next();
            tags[i] = s.tag;
            items[i] = s.items - 1;
        }
        tags[n] = tag;
        return new TagPath(tags, items);
    }
}
