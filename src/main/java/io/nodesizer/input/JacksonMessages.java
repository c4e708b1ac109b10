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
        // A bare NaN or Infinity: Jackson's advice is to enable one of its features (QA 68c F5); the user's is to quote a value.
        m = m.replaceAll("Non-standard token '([^']*)': enable `[^`]*` to allow\\.?",
                "$1 is not a JSON value: write a number, or a quantity as a string such as \"500m\" or \"1.5Gi\"");
        m = m.replaceAll(":? ?enable `[A-Za-z]+Feature\\.[A-Z_]+` to allow\\.?", "");
        return m.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    }
}
