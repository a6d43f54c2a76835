package org.dpacs.bench.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends STOW-RS requests ({@code multipart/related; type="application/dicom"}, one part per instance) from
 * {@code clients} threads that take the next batch from a shared list, so every client stays busy until the
 * list is empty. A request counts as stored only when the server answers 200 or 202 and its response
 * references every instance sent and fails none; anything else stops the phase, because a throughput of
 * failures says nothing. Where each instance was stored goes to {@link StoredUids}.
 */
final class StowRunner {
    /** Failed SOP Sequence (0008,1198): items for refused instances (Orthanc sends it empty when none). */
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    /** Referenced SOP Sequence (0008,1199): one item per stored instance. */
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final JsonFactory JSON = new JsonFactory();

    /** When a request finished (nanoTime), what it carried, and how long it took. */
    record Completion(long endNanos, int instances, long bytes, long nanos) {
    }

    /** All completions of a phase, with its wall-clock span. */
    record Outcome(long startNanos, long endNanos, List<Completion> completions, Samples latencies) {
        long instances() {
            return completions.stream().mapToLong(Completion::instances).sum();
        }

        long bytes() {
            return completions.stream().mapToLong(Completion::bytes).sum();
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        /**
         * Instances per second between the moments the stored count passed {@code fromShare} and
         * {@code toShare} of the total (0 is the phase start): the ingest rate of a slice of the fill.
         */
        double rateBetween(double fromShare, double toShare) {
            List<Completion> sorted = completions.stream()
                    .sorted(Comparator.comparingLong(Completion::endNanos)).toList();
            long total = instances();
            long from = startNanos;
            long to = endNanos;
            long fromCount = 0;
            long toCount = total;
            long seen = 0;
            for (Completion c : sorted) {
                seen += c.instances();
                if (fromShare > 0 && fromCount == 0 && seen >= fromShare * total) {
                    from = c.endNanos();
                    fromCount = seen;
                }
                if (seen >= toShare * total) {
                    to = c.endNanos();
                    toCount = seen;
                    break;
                }
            }
            return (toCount - fromCount) / ((to - from) / 1e9);
        }
    }

    /** Retrieve URL (0008,1190) of a Referenced SOP Sequence item. */
    private static final String RETRIEVE_URL = "00081190";

    private final Http http;
    private final StoredUids stored;

    StowRunner(Http http, StoredUids stored) {
        this.http = http;
        this.stored = stored;
    }

    Outcome run(List<StowBatch> batches, int clients) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        ConcurrentLinkedQueue<Completion> done = new ConcurrentLinkedQueue<>();
        Samples latencies = new Samples();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("stow-client-" + c).start(() -> {
                for (int i = next.getAndIncrement(); i < batches.size() && failure.get() == null;
                     i = next.getAndIncrement()) {
                    try {
                        Completion completion = send(batches.get(i));
                        done.add(completion);
                        latencies.add(completion.nanos());
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        if (failure.get() != null) {
            Exception e = failure.get();
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
        return new Outcome(start, end, List.copyOf(done), latencies);
    }

    private Completion send(StowBatch batch) throws IOException, InterruptedException {
        String boundary = "dpacs-bench-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> body = new ArrayList<>();
        long instanceBytes = 0;
        for (HttpRequest.BodyPublisher part : batch.parts().get()) {
            body.add(ascii("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
            body.add(part);
            body.add(ascii("\r\n"));
            instanceBytes += part.contentLength();
        }
        body.add(ascii("--" + boundary + "--\r\n"));
        Http.Posted r = http.post("/studies",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary,
                HttpRequest.BodyPublishers.concat(body.toArray(HttpRequest.BodyPublisher[]::new)));
        // 202: stored with warnings, such as dPACS's note that de-identification changed values (B000).
        List<String> urls = (r.status() == 200 || r.status() == 202) && items(r.body(), FAILED_SOP_SEQUENCE) == 0
                ? referencedUrls(r.body()) : List.of();
        if (urls.size() != batch.instances()) {
            String text = r.body().replaceAll("\\s+", " ");
            throw new IOException("STOW-RS of " + batch.instances() + " instances answered " + r.status() + ": "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text));
        }
        // Items come in the order of the parts (PS3.18 does not say so, but dPACS and Orthanc keep it).
        for (int i = 0; i < batch.sopUids().size(); i++) {
            stored.put(batch.sopUids().get(i), urls.get(i));
        }
        return new Completion(System.nanoTime(), batch.instances(), instanceBytes, r.nanos());
    }

    /** Items in the Value of top-level attribute {@code tag} of a DICOM JSON object; 0 when absent or empty. */
    static int items(String json, String tag) throws IOException {
        int[] n = {0};
        eachItem(json, tag, p -> {
            n[0]++;
            p.skipChildren();
        });
        return n[0];
    }

    /** The Retrieve URL of each Referenced SOP Sequence item, in order ("" for an item without one). */
    static List<String> referencedUrls(String json) throws IOException {
        List<String> urls = new ArrayList<>();
        eachItem(json, REFERENCED_SOP_SEQUENCE, p -> {
            String url = "";
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String tag = p.currentName();
                p.nextToken();
                if (tag.equals(RETRIEVE_URL)) {
                    url = firstString(p);
                } else {
                    p.skipChildren();
                }
            }
            urls.add(url);
        });
        return urls;
    }

    /** What to do with a parser positioned on the START_OBJECT of an item; it must leave it on the END_OBJECT. */
    private interface ItemVisitor {
        void visit(JsonParser p) throws IOException;
    }

    private static void eachItem(String json, String tag, ItemVisitor visitor) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the Store Instances Response is not a DICOM JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals(tag)) {
                    p.skipChildren();
                    continue;
                }
                for (JsonToken a = p.nextToken(); a == JsonToken.FIELD_NAME; a = p.nextToken()) {
                    String key = p.currentName();
                    p.nextToken();
                    if (key.equals("Value")) {
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            visitor.visit(p);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                return;
            }
        }
    }

    /** The first string of the Value of the attribute object the parser is on. */
    private static String firstString(JsonParser p) throws IOException {
        String value = "";
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (key.equals("Value") && v == JsonToken.START_ARRAY) {
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e == JsonToken.VALUE_STRING && value.isEmpty()) {
                        value = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    private static HttpRequest.BodyPublisher ascii(String s) {
        return HttpRequest.BodyPublishers.ofByteArray(s.getBytes(StandardCharsets.US_ASCII));
    }
}
