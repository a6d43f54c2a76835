package org.dpacs.server.dicomweb;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.dpacs.server.error.DpacsException;
import org.dpacs.server.error.FailureKind;

/**
 * Picks the representation of a resource that best fits an Accept header (RFC 7231 5.3.2, PS3.18 8.7.5 and 8.7.8).
 * Every range is read with its parameters: {@code type} of {@code multipart/related}, {@code transfer-syntax}
 * and {@code q}. An offer's quality is that of the most specific range matching it, so
 * {@code multipart/related; type="image/jpeg"; q=0} can refuse JPEG while {@code * / *} accepts the rest.
 * Offers are then ranked by quality, then by the specificity of that range, then by the resource's own order.
 *
 * <p>A range without {@code transfer-syntax} means the media type's default transfer syntax (PS3.18 8.7.3.3),
 * except for an offer marked {@link Offer#storedForm()}: the stored form the server cannot transcode, which
 * PS3.18 8.7.3.3 lets the server return when it has no other ({@code transfer-syntax=*} always matches).
 */
public final class MediaNegotiation {
    private static final String ANY = "*";

    private MediaNegotiation() {
    }

    /**
     * One representation a resource can produce.
     *
     * @param mediaType      the media type of the response, e.g. {@code multipart/related} or
     *                       {@code application/dicom+json}
     * @param partType       for multipart: the media type of its parts (the {@code type} parameter)
     * @param transferSyntax the transfer syntax of the (part) content, when it has one
     * @param storedForm     true when this is the stored form and no transcoding to the default exists
     */
    public record Offer(String mediaType, Optional<String> partType, Optional<String> transferSyntax,
                        boolean storedForm) {
        public Offer {
            mediaType = mediaType.toLowerCase(Locale.ROOT);
            partType = partType.map(t -> t.toLowerCase(Locale.ROOT));
            Objects.requireNonNull(transferSyntax, "transferSyntax");
        }

        /** A single-part representation without transfer syntax, e.g. {@code application/dicom+json}. */
        public static Offer of(String mediaType) {
            return new Offer(mediaType, Optional.empty(), Optional.empty(), false);
        }

        /** {@code multipart/related; type=partType} without transfer syntax, e.g. for XML metadata. */
        public static Offer multipart(String partType) {
            return new Offer(DicomMediaTypes.MULTIPART_RELATED, Optional.of(partType), Optional.empty(), false);
        }

        /** {@code multipart/related; type=partType; transfer-syntax=ts}. */
        public static Offer multipart(String partType, String ts, boolean storedForm) {
            return new Offer(DicomMediaTypes.MULTIPART_RELATED, Optional.of(partType), Optional.of(ts), storedForm);
        }

        /** A single-part representation in a transfer syntax, e.g. one frame as {@code image/jpeg}. */
        public static Offer single(String mediaType, String ts, boolean storedForm) {
            return new Offer(mediaType, Optional.empty(), Optional.of(ts), storedForm);
        }

        public boolean isMultipart() {
            return partType.isPresent();
        }

        /** The media type of the content itself: the part type for multipart, else the media type. */
        public String contentType() {
            return partType.orElse(mediaType);
        }

        /** The Content-Type of one part (or of the single-part body): content type and transfer syntax. */
        public String contentTypeHeader() {
            return contentType() + transferSyntax.map(ts -> "; transfer-syntax=" + ts).orElse("");
        }

        /** The header form, as listed in a 406 answer. */
        @Override
        public String toString() {
            return partType.map(p -> mediaType + "; type=\"" + p + "\"").orElse(mediaType)
                    + transferSyntax.map(ts -> "; transfer-syntax=" + ts).orElse("");
        }
    }

    /**
     * The best offer for {@code accept} (null or blank means any); {@code offers} in the resource's order of
     * preference.
     *
     * @throws DpacsException {@link FailureKind#NOT_ACCEPTABLE} naming what was asked and what is offered
     */
    public static Offer select(String accept, List<Offer> offers, String resource) {
        List<MediaRange> ranges = accept == null || accept.isBlank()
                ? List.of(MediaRange.of("*/*")) : MediaRange.parseAll(accept);
        Offer best = null;
        double bestQ = 0;
        int bestSpecificity = -1;
        for (Offer offer : offers) {
            double q = 0;
            int specificity = -1;
            for (MediaRange range : ranges) {
                int s = specificity(range, offer);
                // RFC 7231 5.3.2: the most specific matching range decides; equal ones take the best q.
                if (s > specificity || (s == specificity && s >= 0 && range.quality() > q)) {
                    specificity = s;
                    q = range.quality();
                }
            }
            if (specificity >= 0 && q > 0 && (q > bestQ || (q == bestQ && specificity > bestSpecificity))) {
                best = offer;
                bestQ = q;
                bestSpecificity = specificity;
            }
        }
        if (best == null) {
            throw new DpacsException(FailureKind.NOT_ACCEPTABLE, "Accept '" + (accept == null ? "" : accept)
                    + "' names no representation of " + resource + " that dPACS can send; it offers: "
                    + offers.stream().map(Offer::toString).collect(Collectors.joining(", ")));
        }
        return best;
    }

    /** How specifically {@code range} names {@code offer}: -1 when it does not match it at all. */
    static int specificity(MediaRange range, Offer offer) {
        if (!range.covers(offer.mediaType())) {
            return -1;
        }
        int score = range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1 : 2;
        boolean concrete = !range.isWildcardSubtype();
        Optional<String> type = concrete ? range.parameter("type") : Optional.empty();
        if (type.isPresent() && offer.isMultipart()) {
            Optional<MediaRange> wanted = MediaRange.parse(type.get());
            if (wanted.isEmpty() || !wanted.get().covers(offer.contentType())) {
                return -1;
            }
            score += wanted.get().isWildcardSubtype() ? 1 : 2;
        }
        if (offer.transferSyntax().isEmpty()) {
            return score;
        }
        Optional<String> ts = concrete ? range.parameter("transfer-syntax") : Optional.empty();
        if (ts.isPresent() && ts.get().equals(ANY)) {
            return score + 1;
        }
        if (ts.isPresent()) {
            return ts.get().equals(offer.transferSyntax().get()) ? score + 2 : -1;
        }
        boolean isDefault = DicomMediaTypes.defaultTransferSyntax(offer.contentType())
                .filter(d -> d.equals(offer.transferSyntax().get())).isPresent();
        return isDefault || offer.storedForm() ? score : -1;
    }
}
