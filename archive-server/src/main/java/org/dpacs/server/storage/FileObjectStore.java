package org.dpacs.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ObjectStore}: one file per object under a root directory, the key being the relative path.
 * Writes go to a temporary file in {@code <root>/.tmp/} and become visible only through an atomic rename after
 * fsync (see {@link ObjectWrite}), so readers never see a partial object and a crash loses only unfinished
 * writes; their temporary files are removed when the store is next opened. Thread-safe: the only shared state
 * is immutable or concurrent, and every read opens its own channel.
 */
public final class FileObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileObjectStore.class);

    private static final int PUBLISH_ATTEMPTS = 4;

    private final Path root;
    private final Path tmp;
    /** Keeps temporary names unique even if two stores (two processes) ever shared a root by mistake. */
    private final String tempPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "-";
    private final AtomicLong tempCounter = new AtomicLong();
    /** Directories created by a commit whose own name may not be on disk yet; see {@link #syncNewDirectories}. */
    private final Set<Path> unsyncedDirectories = ConcurrentHashMap.newKeySet();
    private volatile boolean directorySyncSupported = true;
    private volatile boolean closed;

    /** Opens (creating if needed) the store under {@code root} and removes writes left unfinished by a crash. */
    public FileObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(ObjectKeys.RESERVED);
        Files.createDirectories(tmp);
        int removed = removeLeftovers();
        if (removed > 0) {
            LOG.info("Removed {} unfinished object write(s) left in {} by an earlier crash", removed, tmp);
        }
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public ObjectWrite begin(String key) throws IOException {
        ensureOpen();
        ObjectKeys.requireKey(key);
        Path temp = tmp.resolve(tempPrefix + tempCounter.incrementAndGet() + ".part");
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw checkFull(e);
        }
        return new FileObjectWrite(this, key, temp, channel);
    }

    @Override
    public InputStream open(String key) throws IOException {
        FileChannel channel = openChannel(key);
        return new RangeInputStream(channel, 0, channel.size());
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw DpacsException.badRequest("range of object '" + key + "' must have offset >= 0 and length >= 0,"
                    + " got offset " + offset + ", length " + length);
        }
        FileChannel channel = openChannel(key);
        try {
            long size = channel.size();
            if (offset > size || length > size - offset) {
                throw DpacsException.badRequest("range [" + offset + ", " + offset + " + " + length
                        + ") is outside object '" + key + "', which has " + size + " bytes");
            }
            return new RangeInputStream(channel, offset, length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
        ensureOpen();
        Path file = resolve(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile()
                    ? Optional.of(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the object, then its directories that became empty (up to the root, best effort). Deleting an
     * absent key does nothing, as in S3, so a retried clean-up never fails. A delete is not fsynced: after a
     * power loss the object may reappear, which the catalog (the record of what is stored) tolerates.
     */
    @Override
    public void delete(String key) throws IOException {
        ensureOpen();
        Path file = resolve(key);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.deleteIfExists(file);
        for (Path dir = file.getParent(); !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            } catch (IOException e) {
                LOG.debug("Could not remove empty directory {}: {}", dir, e.toString());
                break;
            }
        }
    }

    /** Walks only the directory named by the prefix's whole segments, lazily; the caller closes the stream. */
    @Override
    public Stream<String> list(String prefix) throws IOException {
        ensureOpen();
        ObjectKeys.requirePrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path base = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            return Stream.empty();
        }
        KeyWalker walker = new KeyWalker(root, base, tmp);
        return walker.stream().filter(key -> key.startsWith(prefix));
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Renames the fsynced temporary file to the object's final name and makes the rename durable. If the rename
     * succeeds but the directory fsync fails, the object is visible and complete yet its name may not survive a
     * power loss; the caller sees the exception and must not acknowledge it.
     */
    void publish(Path temp, String key) throws IOException {
        Path target = resolve(key);
        Path parent = target.getParent();
        for (int attempt = 1; ; attempt++) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                break;
            } catch (NoSuchFileException e) {
                // The parent is missing: a first object of its series, or a concurrent delete removed the
                // directory just emptied. Create it and retry.
                if (attempt == PUBLISH_ATTEMPTS || !Files.exists(temp)) {
                    throw e;
                }
                createDirectories(parent);
            } catch (IOException e) {
                throw checkFull(e);
            }
        }
        syncDirectory(parent);
        if (!unsyncedDirectories.isEmpty()) {
            syncNewDirectories(parent);
        }
    }

    /** The exception to throw for {@code e}: {@code OUT_OF_RESOURCES} when the disk is full, else {@code e}. */
    IOException checkFull(IOException e) {
        if (isDiskFull(e)) {
            throw new DpacsException(FailureKind.OUT_OF_RESOURCES, "object store " + root
                    + " is out of space (" + e.getMessage() + "); free space or add storage", e);
        }
        return e;
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t instanceof FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : t.getMessage();
            // ENOSPC and EDQUOT, as the JDK reports them on Linux and macOS.
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private FileChannel openChannel(String key) throws IOException {
        ensureOpen();
        Path file = resolve(key);
        try {
            // A key may name a directory (a study's prefix): that is not an object.
            if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
                throw notFound(key);
            }
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw notFound(key);
        }
    }

    private Path resolve(String key) {
        return root.resolve(ObjectKeys.requireKey(key));
    }

    private void createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; !d.equals(root) && Files.notExists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing.add(d);
        }
        // Registered before they exist, so a writer that finds one of them already there knows its name may not
        // be durable yet and syncs it itself instead of trusting the creator to have finished.
        unsyncedDirectories.addAll(missing);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw checkFull(e);
        }
    }

    /** Makes durable the name of each newly created directory on the path from {@code dir} up to the root. */
    private void syncNewDirectories(Path dir) throws IOException {
        for (Path d = dir; !d.equals(root); d = d.getParent()) {
            if (unsyncedDirectories.contains(d)) {
                syncDirectory(d.getParent());
                unsyncedDirectories.remove(d);
            }
        }
    }

    /** fsync of a directory makes the names in it durable (POSIX; Linux honours it). */
    private void syncDirectory(Path dir) throws IOException {
        if (!directorySyncSupported) {
            return;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            // Some systems (Windows) cannot open a directory; renames there are durable by other means.
            directorySyncSupported = false;
            LOG.warn("This system cannot open directories to fsync them ({}); object names rely on the"
                    + " filesystem's own ordering for durability", e.toString());
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    private int removeLeftovers() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                try {
                    if (Files.deleteIfExists(entry)) {
                        removed++;
                    }
                } catch (DirectoryNotEmptyException e) {
                    // Not ours: the store only ever writes plain files here.
                    LOG.warn("Leaving unexpected directory {} in {}", entry.getFileName(), tmp);
                }
            }
        }
        return removed;
    }

    private static DpacsException notFound(String key) {
        return DpacsException.notFound("no object is stored under key '" + key + "'");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("object store " + root + " is closed");
        }
    }
}
