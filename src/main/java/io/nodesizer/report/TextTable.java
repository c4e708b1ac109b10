package io.nodesizer.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of already formatted cells that renders as aligned terminal text, Markdown or CSV.
 * Numbers are right-aligned; a missing value is the cell "n/a", never 0.
 */
public record TextTable(List<Column> columns, List<List<String>> rows) {

    public enum Align { LEFT, RIGHT }

    public record Column(String header, Align align) {
        public static Column left(String header) {
            return new Column(header, Align.LEFT);
        }

        public static Column right(String header) {
            return new Column(header, Align.RIGHT);
        }
    }

    public TextTable {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, table has " + columns.size() + " columns");
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /** Columns padded to their widest cell, separated by two spaces, header underlined. */
    public String renderAligned() {
        int[] width = widths();
        StringBuilder sb = new StringBuilder();
        List<String> headers = columns.stream().map(Column::header).toList();
        appendAligned(sb, headers, width);
        for (int c = 0; c < columns.size(); c++) {
            sb.append("-".repeat(width[c]));
            sb.append(c + 1 < columns.size() ? "  " : "\n");
        }
        for (List<String> row : rows) {
            appendAligned(sb, row, width);
        }
        return sb.toString();
    }

    private void appendAligned(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            int pad = width[c] - displayWidth(cell);
            boolean last = c + 1 == cells.size();
            if (columns.get(c).align() == Align.RIGHT) {
                sb.append(" ".repeat(pad)).append(cell);
            } else {
                sb.append(cell);
                if (!last) {
                    sb.append(" ".repeat(pad));
                }
            }
            sb.append(last ? "\n" : "  ");
        }
    }

    private int[] widths() {
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = displayWidth(columns.get(c).header());
        }
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], displayWidth(row.get(c)));
            }
        }
        return width;
    }

    /**
     * The columns {@code s} takes on a terminal: a wide (CJK, fullwidth, emoji) character two, a
     * combining mark or a zero-width format character none, any other one. {@code String.length()}
     * counts UTF-16 units, so a scenario named ショップ (4 units, 8 columns) pushed its row's later
     * columns out of line. The wide ranges are the East Asian Wide and Fullwidth blocks, as wcwidth has them.
     */
    static int displayWidth(String s) {
        int width = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
                continue;
            }
            width += wide(cp) ? 2 : 1;
        }
        return width;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F680 && cp <= 0x1F6FF)
                || (cp >= 0x1F900 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }

    public String renderMarkdown() {
        StringBuilder sb = new StringBuilder("|");
        for (Column c : columns) {
            sb.append(' ').append(MarkdownText.escape(c.header())).append(" |");
        }
        sb.append("\n|");
        for (Column c : columns) {
            sb.append(c.align() == Align.RIGHT ? "---:|" : "---|");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append('|');
            for (String cell : row) {
                // Cells are plain text (names, figures): none is meant as Markdown.
                sb.append(' ').append(MarkdownText.escape(cell)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A figure, signed, perhaps a percentage or points ("-3", "+20.0 %", "+5.0 pp"): what a leading sign is not neutralised for. */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?( ?(%|pp))?");

    /**
     * A cell a spreadsheet would run as a formula (a pod, workload or shape name from the user's input starting with
     * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) with an apostrophe in front, as OWASP's CSV
     * injection advice has it; figures, signed ones and percentages too ("-3", "+20.0 %": compare's deltas), stay as they are.
     */
    static String inert(String cell) {
        if (cell == null || cell.length() < 2 && !cell.equals("=") && !cell.equals("@")) {
            return cell; // "" and a lone sign ("-" for none) are text to every spreadsheet
        }
        char c = cell.charAt(0);
        boolean formula = c == '=' || c == '@' || c == '\t' || c == '\r' || (c == '-' || c == '+') && !NUMBER.matcher(cell).matches();
        return formula ? "'" + cell : cell;
    }

    /**
     * RFC 4180 CSV with a header row, each cell by {@link CsvCell}: quoted where a reader needs it (a comma, a quote, a
     * line break, white space at either end) and nowhere else. Jackson's writer quoted by its own check (its default one
     * any cell past 24 characters, QA 73 F9: one node name was quoted and another not by its length alone; its strict one
     * never a cell with a space at an end, which readers that trim lose); a row is only cells and commas, so it is
     * written here.
     */
    public String renderCsv() {
        StringBuilder out = new StringBuilder();
        // Headers too: compare's are the reports' file names, which may start like a formula (QA 67c F8).
        csvRow(out, columns.stream().map(Column::header).toList());
        for (List<String> row : rows) {
            csvRow(out, row);
        }
        return out.toString();
    }

    private static void csvRow(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(CsvCell.of(inert(cells.get(i))));
        }
        out.append('\n');
    }
}
