package org.dpacs.bench.web;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.Supplier;

/**
 * One STOW-RS request: how many instances it carries and, made only when it is sent, one body per instance.
 * Making the bodies late keeps a 20,000-instance fill out of the driver's heap. {@code sopUids} lists the
 * SOP Instance UIDs sent, in part order, when the caller wants to know where they were stored (else empty).
 */
record StowBatch(int instances, Supplier<List<HttpRequest.BodyPublisher>> parts, List<String> sopUids) {
}
