package io.nodesizer.engine;

/** A packing broke an invariant: this is a bug in nodesizer, never a user mistake. */
public final class VerificationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }
}
