package org.dpacs.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy depth-first walk that yields the keys of the regular files under a directory. Unlike
 * {@link Files#walk}, a directory that disappears during the walk (a concurrent delete removing an emptied
 * series) is skipped rather than failing the whole listing, and the store's temporary directory is pruned.
 */
final class KeyWalker implements Iterator<String> {

    private final Path root;
    private final Path skip;
    private final Deque<DirectoryStream<Path>> open = new ArrayDeque<>();
    private final Deque<Iterator<Path>> pending = new ArrayDeque<>();
    private String next;

    KeyWalker(Path root, Path base, Path skip) {
        this.root = root;
        this.skip = skip;
        enter(base);
    }

    Stream<String> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false).onClose(this::closeAll);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !pending.isEmpty()) {
            Iterator<Path> entries = pending.peek();
            if (!entries.hasNext()) {
                pending.pop();
                closeQuietly(open.pop());
                continue;
            }
            Path entry = entries.next();
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("could not list " + entry, e);
            }
            if (attrs.isDirectory()) {
                if (!entry.equals(skip)) {
                    enter(entry);
                }
            } else if (attrs.isRegularFile()) {
                next = key(entry);
            }
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String key = next;
        next = null;
        return key;
    }

    private void enter(Path dir) {
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(dir);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            closeAll();
            throw new UncheckedIOException("could not list " + dir, e);
        }
        open.push(stream);
        pending.push(stream.iterator());
    }

    private String key(Path file) {
        Path relative = root.relativize(file);
        if (relative.getNameCount() == 1) {
            return relative.toString();
        }
        StringBuilder key = new StringBuilder();
        for (Path name : relative) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(name);
        }
        return key.toString();
    }

    private void closeAll() {
        while (!open.isEmpty()) {
            closeQuietly(open.pop());
        }
        pending.clear();
    }

    private static void closeQuietly(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Closing a directory handle releases it whatever the outcome; nothing to recover.
        }
    }
}
