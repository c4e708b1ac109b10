package io.nodesizer.input;

import java.util.Objects;

/**
 * A mistake in the user's input: the CLI prints {@link #getMessage()} (which starts with
 * {@code file:line[:column]:}) and exits 2, with no stack trace. Anything else that escapes a
 * reader is a bug.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SourceLocation location;
    private final String problem;

    /**
     * @param problem what is wrong, in the shape "The X (value) must Y; found Z. Maybe …"; if the
     *                location has a field it is named by the caller in this text
     */
    public InputException(SourceLocation location, String problem) {
        super(Objects.requireNonNull(location, "location") + ": " + Objects.requireNonNull(problem, "problem"));
        this.location = location;
        this.problem = problem;
    }

    public InputException(SourceLocation location, String problem, Throwable cause) {
        this(location, problem);
        initCause(cause);
    }

    public SourceLocation location() {
        return location;
    }

    /** The message without the location prefix. */
    public String problem() {
        return problem;
    }
}
