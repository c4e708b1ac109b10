package io.nodesizer.report;

/**
 * One CSV cell as every report writes it (through {@link TextTable#renderCsv}): RFC 4180's quoting where a reader needs
 * it and nowhere else. RFC 4180 quotes a cell holding a comma, a double quote or a line break (its quotes doubled); a
 * cell starting or ending with white space is quoted too, since RFC 4180 keeps spaces as part of the field but many
 * readers trim an unquoted field (Python's csv with {@code skipinitialspace}, pandas' {@code skipinitialspace}, most
 * spreadsheets' import options), so a pod named " web" would come back as "web". A name cannot start with a space in
 * Kubernetes, but a CSV profile's or a trace's may, and free text (reasons, notes) ends where it ends.
 */
final class CsvCell {
    private CsvCell() {
    }

    /** {@code cell} as written between the commas ("" for null). */
    static String of(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        return needsQuotes(cell) ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    private static boolean needsQuotes(String cell) {
        // A first '#': readers that take comments (this tool's own CSV readers, pandas' comment='#') would drop the row
        // (review 74 #7: a sweep scenario named "#1 baseline").
        if (blank(cell.charAt(0)) || blank(cell.charAt(cell.length() - 1)) || cell.charAt(0) == '#') {
            return true;
        }
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            // RFC 4180's TEXTDATA is printable: a tab or another control character inside is quoted too.
            if (c == ',' || c == '"' || c < ' ' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** What a trimming reader drops: control characters and spaces (String.trim), and Unicode white space (String.strip, NBSP). */
    private static boolean blank(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
