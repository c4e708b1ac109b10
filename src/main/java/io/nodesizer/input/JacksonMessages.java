package io.nodesizer.input;

/**
 * Jackson's parse errors in a user's words: its message without where Jackson says the source is (a reader's own
 * location says file, line and column) and without the names of its settings ("Source: REDACTED
 * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)" reached a user in QA 51c).
 */
public final class JacksonMessages {
    private JacksonMessages() {
    }

    /** {@code message} (Jackson's original message, or null) as one plain line. */
    public static String plain(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.replaceAll("\\s*\\(?start marker at \\[Source:[^\\]]*\\]\\)?", "")
                .replaceAll("\\s*(at )?\\[Source:[^\\]]*\\]", "");
        // Jackson names its own setting in limit messages; the user needs the limit, not the API.
        m = m.replaceAll(",? ?from `[^`]*`", "");
        return m.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }
}
