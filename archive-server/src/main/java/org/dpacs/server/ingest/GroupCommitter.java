package org.dpacs.server.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dpacs.dicom.data.Attributes;
import org.dpacs.server.catalog.Catalog;
import org.dpacs.server.catalog.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: ingest threads hand over records of objects already durable in storage; one thread commits
 * whatever has queued up in one catalog transaction, indexes the batch, and only then releases the waiting
 * ingests. The catalog's durable commit (its fsync) is paid once per batch, not once per instance, so
 * throughput grows with concurrency instead of being capped by commit latency.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int MAX_BATCH = 256;
    private static final long INDEX_COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Pending(InstanceRecord record, Attributes header, CompletableFuture<InstanceRecord> done) {
    }

    private final Catalog catalog;
    private final CommitListener listener;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long lastIndexCommit = System.nanoTime();
    private boolean indexDirty;

    GroupCommitter(Catalog catalog, CommitListener listener) {
        this.catalog = catalog;
        this.listener = listener;
        this.thread = Thread.ofPlatform().name("dpacs-group-commit").daemon(false).start(this::run);
    }

    /** Completes with the committed record (its seq assigned) once it is durable in the catalog and indexed. */
    CompletableFuture<InstanceRecord> submit(InstanceRecord record, Attributes header) {
        CompletableFuture<InstanceRecord> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("The server is shutting down; retry the store"));
            return done;
        }
        queue.add(new Pending(record, header, done));
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    commit(batch);
                    batch.clear();
                }
                maybeCommitIndex(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("Group commit loop failed; continuing", e);
            }
        }
        maybeCommitIndex(true);
    }

    private void commit(List<Pending> batch) {
        List<InstanceRecord> committed;
        try {
            committed = catalog.commit(batch.stream().map(Pending::record).toList());
        } catch (RuntimeException e) {
            LOG.error("Catalog commit of {} instances failed", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        List<CommitListener.Committed> done = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            done.add(new CommitListener.Committed(committed.get(i), batch.get(i).header()));
        }
        try {
            listener.committed(done);
            indexDirty = true;
        } catch (Exception e) {
            // The catalog is the truth and the instances are durable; the index catches up from it on restart.
            LOG.error("Indexing {} committed instances failed; they are stored and will be indexed on restart",
                    batch.size(), e);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(committed.get(i));
        }
    }

    private void maybeCommitIndex(boolean force) {
        if (indexDirty && (force || System.nanoTime() - lastIndexCommit > INDEX_COMMIT_INTERVAL_NANOS)) {
            try {
                listener.flush();
                indexDirty = false;
            } catch (Exception e) {
                LOG.warn("Index commit failed; will retry", e);
            }
            lastIndexCommit = System.nanoTime();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
