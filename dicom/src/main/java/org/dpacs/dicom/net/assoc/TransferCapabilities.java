package org.dpacs.dicom.net.assoc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.dpacs.dicom.data.TransferSyntax;
import org.dpacs.dicom.dict.UidEntry;
import org.dpacs.dicom.dict.UidRegistry;
import org.dpacs.dicom.net.pdu.PresentationContextAc;
import org.dpacs.dicom.net.pdu.PresentationContextRq;

/**
 * What an acceptor supports, as a conformance statement lists it: for each abstract syntax (SOP class), which
 * transfer syntaxes. {@link #negotiate} answers one proposed presentation context by accepting the first
 * proposed transfer syntax we support (the requestor's order is its preference).
 *
 * <pre>{@code
 * TransferCapabilities caps = TransferCapabilities.builder()
 *         .add(TransferCapabilities.VERIFICATION, TransferCapabilities.NATIVE::contains)
 *         .addAll(TransferCapabilities.storageSopClasses(), TransferSyntax::isKnown)
 *         .build();
 * }</pre>
 */
public final class TransferCapabilities {
    /** PS3.4 A.4: the Verification SOP class (C-ECHO). */
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    /** The three uncompressed transfer syntaxes, default first (PS3.5 10.1). */
    public static final Set<String> NATIVE = Set.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(),
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid());

    private final Map<String, Predicate<String>> bySyntax;
    private final Optional<Predicate<String>> unknownAbstractSyntaxes;

    private TransferCapabilities(Map<String, Predicate<String>> bySyntax,
                                 Optional<Predicate<String>> unknownAbstractSyntaxes) {
        this.bySyntax = Map.copyOf(bySyntax);
        this.unknownAbstractSyntaxes = unknownAbstractSyntaxes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every storage SOP class of the UID registry (PS3.6 Annex A; PS3.4 B.5), retired ones included: what a
     * modality may send us. Storage Commitment and the Media Storage Directory are not storage classes.
     */
    public static List<String> storageSopClasses() {
        return UidRegistry.ofType("SOP Class").stream().filter(TransferCapabilities::isStorage).map(UidEntry::uid)
                .toList();
    }

    private static boolean isStorage(UidEntry e) {
        String k = e.keyword();
        if (k.isEmpty()) {
            // Two retired storage classes of PS3.6 have lost their names; their UIDs still say storage.
            return e.uid().startsWith("1.2.840.10008.5.1.4.1.1.");
        }
        return k.contains("Storage") && !k.startsWith("StorageCommitment") && !k.equals("MediaStorageDirectoryStorage");
    }

    /** Whether an abstract syntax has an entry (or would fall under the unknown-abstract-syntax rule). */
    public boolean supports(String abstractSyntax) {
        return acceptorFor(abstractSyntax).isPresent();
    }

    private Optional<Predicate<String>> acceptorFor(String abstractSyntax) {
        Predicate<String> p = bySyntax.get(abstractSyntax);
        if (p != null) {
            return Optional.of(p);
        }
        // Only UIDs nobody registered (private SOP classes): a registered Query/Retrieve class is never "unknown".
        return UidRegistry.lookup(abstractSyntax).isEmpty() ? unknownAbstractSyntaxes : Optional.empty();
    }

    /** PS3.8 9.3.3.2: accept with the first proposed transfer syntax we support, or say why not. */
    public PresentationContextAc negotiate(PresentationContextRq rq) {
        String first = rq.transferSyntaxes().isEmpty() ? "" : rq.transferSyntaxes().get(0);
        Optional<Predicate<String>> accepts = acceptorFor(rq.abstractSyntax());
        if (accepts.isEmpty()) {
            return new PresentationContextAc(rq.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, first);
        }
        for (String ts : rq.transferSyntaxes()) {
            if (accepts.get().test(ts)) {
                return new PresentationContextAc(rq.id(), PresentationContextAc.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextAc(rq.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, first);
    }

    public static final class Builder {
        private final Map<String, Predicate<String>> bySyntax = new LinkedHashMap<>();
        private Optional<Predicate<String>> unknown = Optional.empty();

        /** Supports {@code abstractSyntax} in the transfer syntaxes {@code transferSyntaxes} accepts. */
        public Builder add(String abstractSyntax, Predicate<String> transferSyntaxes) {
            bySyntax.put(abstractSyntax, transferSyntaxes);
            return this;
        }

        public Builder addAll(List<String> abstractSyntaxes, Predicate<String> transferSyntaxes) {
            abstractSyntaxes.forEach(a -> add(a, transferSyntaxes));
            return this;
        }

        /**
         * Also supports abstract syntaxes that are not in the UID registry at all (private storage SOP classes),
         * in the transfer syntaxes {@code transferSyntaxes} accepts.
         */
        public Builder acceptUnknownAbstractSyntaxes(Predicate<String> transferSyntaxes) {
            unknown = Optional.of(transferSyntaxes);
            return this;
        }

        public TransferCapabilities build() {
            return new TransferCapabilities(bySyntax, unknown);
        }
    }
}
