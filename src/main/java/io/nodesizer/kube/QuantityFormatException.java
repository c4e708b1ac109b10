package io.nodesizer.kube;

/**
 * A string that is not a Kubernetes quantity, or one out of range for its use. Readers catch it
 * and rethrow it as an {@code InputException} with the file and line; the message says what was
 * expected and never includes a location itself.
 */
public final class QuantityFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public QuantityFormatException(String message) {
        super(message);
    }
}
