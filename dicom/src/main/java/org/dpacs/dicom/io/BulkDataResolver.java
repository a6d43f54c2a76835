package org.dpacs.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dpacs.dicom.data.BulkDataRef;

/** Opens the bytes a {@link BulkDataRef} points at, so a writer can copy them without holding them in memory. */
@FunctionalInterface
public interface BulkDataResolver {

    /** A stream of exactly {@code ref.length()} bytes starting at {@code ref.offset()} of {@code ref.source()}. */
    InputStream open(BulkDataRef ref) throws IOException;

    /** Resolves sources as file system paths, the reader's default source naming for files. */
    BulkDataResolver FILES = ref -> {
        FileChannel channel = FileChannel.open(Path.of(ref.source()), StandardOpenOption.READ);
        channel.position(ref.offset());
        return new BoundedInputStream(Channels.newInputStream(channel), ref.length());
    };

    /** Stops after {@code limit} bytes, so a resolver never hands out more than the reference covers. */
    final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        public BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
