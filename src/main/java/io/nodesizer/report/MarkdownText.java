package io.nodesizer.report;

/**
 * Plain text, such as a workload, pod or shape name, written into Markdown so that it shows as
 * written: every character GitHub's Markdown would read as formatting or HTML gets a backslash
 * (CommonMark lets any ASCII punctuation be escaped so). A catalog's "*star*_type_" rendered in
 * italics and a pod named "<b>x</b>" in bold; only "|" was escaped, and only in table cells.
 */
final class MarkdownText {
    /** Emphasis, code, links and images, raw HTML and entities, table cells, strikethrough, and the escape itself. */
    private static final String SPECIAL = "\\`*_[]<>|~&";

    private MarkdownText() {
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                // A line break would end a table row or start a paragraph: a name with one (a YAML block scalar) stays on its line.
                sb.append(c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? "" : " ");
                continue;
            }
            if (SPECIAL.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@code s} escaped for Markdown, or as it is for the terminal table. */
    static String of(boolean markdown, String s) {
        return markdown ? escape(s) : s;
    }
}
