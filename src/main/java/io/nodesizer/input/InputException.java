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
        super(printable(Objects.requireNonNull(location, "location") + ": " + Objects.requireNonNull(problem, "problem")));
        this.location = location;
        this.problem = printable(problem);
    }

    /**
     * {@code text} with its control characters but the line feed escaped ({@code \x00}, {@code \t}, {@code \r}): a message
     * echoes what a file holds, and a UTF-16 file read as UTF-8 put NULs on the terminal (a line feed is a message's own).
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' || c >= 0x7f && c < 0xa0;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    out.append(String.format(java.util.Locale.ROOT, "\\x%02X", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
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
