package io.nodesizer.kube;

/**
 * A string that is not a Kubernetes quantity, or one out of range for its use. Readers catch it
 * and rethrow it as an {@code InputException} with the file and line; the message says what was
 * expected and never includes a location itself.
 */
public final class QuantityFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param expected what a valid value looks like ("expected a whole number")
     * @param reason   what is wrong with this one, short enough to follow another sentence
     */
    public QuantityFormatException(String expected, String found, String reason) {
        super(expected + "; found '" + found + "'" + (reason.isEmpty() ? "" : ": " + reason));
        this.reason = reason.isEmpty() ? "found '" + found + "'" : reason;
    }

    /** Why the value was rejected, without the "expected" part (callers state that themselves). */
    public String reason() {
        return reason;
    }
}
