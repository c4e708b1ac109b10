package io.nodesizer.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams the data rows of a headed CSV file with their line numbers, for the CSV-based readers.
 * Jackson's CSV parser does the RFC 4180 work (quotes, embedded commas, CRLF); this class adds
 * what our readers need on top: a UTF-8 BOM is skipped, lines starting with {@code #} and blank
 * lines are comments, the header is checked, and a row with the wrong number of fields is an error
 * at its line rather than a silently shifted record.
 */
public final class CsvRows implements AutoCloseable {

    /** One data row: its 1-based line, the cells by header position. */
    public record Row(int line, List<String> cells) {
        public String get(int column) {
            return cells.get(column);
        }

        /**
         * The cell's value when it is a plain run of 1 to 18 ASCII digits no greater than {@code max}, else -1 (then the
         * caller reads {@link #get} for its own parsing and message). A plain file's cell is read in place: a 150,000-row
         * trace made ~1.2 million strings for its numbers, a quarter of a cold pack's allocation.
         */
        public long digits(int column, long max) {
            if (cells instanceof PlainCells plainCells) {
                return plainCells.digits(column, max);
            }
            String text = cells.get(column);
            return CsvRows.digits(text, 0, text.length(), max);
        }

        /** Whether the cell is empty (no character at all). */
        public boolean isEmpty(int column) {
            return cells instanceof PlainCells plainCells ? plainCells.length(column) == 0 : cells.get(column).isEmpty();
        }

        /** Whether the cell, stripped of white space, is {@code value} (a plain file's cells have none to strip). */
        public boolean is(int column, String value) {
            return cells instanceof PlainCells plainCells ? plainCells.is(column, value) : cells.get(column).strip().equals(value);
        }
    }

    /** {@link Row#digits} of text[from, to). */
    private static long digits(CharSequence text, int from, int to, long max) {
        int len = to - from;
        if (len <= 0 || len > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    private final String file;
    /** Jackson's path: the open reader and the rows over it; both null for a plain file. */
    private final Reader reader;
    private final MappingIterator<List<String>> rows;
    /** A plain file's whole text (see {@link #openWhole}) and where its data rows start; null for Jackson's path. */
    private final String plain;
    private final int plainStart;
    private final List<String> header;
    private final int headerLine;

    private CsvRows(String file, Reader reader) throws IOException {
        this.file = file;
        this.reader = reader;
        CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.ALLOW_COMMENTS).enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                .enable(CsvParser.Feature.TRIM_SPACES).build();
        CsvSchema schema = CsvSchema.emptySchema().withComments();
        this.rows = mapper.readerForListOf(String.class).with(schema).readValues(reader);
        if (!rows.hasNextValue()) {
            throw new InputException(SourceLocation.ofFile(file), RunInputs.emptyInput(file) + "; expected a CSV header line.");
        }
        this.header = List.copyOf(rows.nextValue());
        // The header row's line once read: before it the parser has no token yet (line -1, read as 1), whatever comment or
        // blank lines come first (review 75b #6: a ';'-separated copy of a commented sample was named at line 1).
        this.headerLine = currentLine();
        this.plain = null;
        this.plainStart = 0;
        checkSeparator(file, headerLine, header);
    }

    /**
     * Refuses a header of one field that holds a ';' or a tab: a file separated by them (a spreadsheet saves CSV with ';'
     * where the decimal separator is a comma, as in much of Europe; a tab-separated export), which every reader's column
     * check then reported as a header lacking a column it visibly starts with (QA 75b F6: "The header (time;workload;replicas)
     * lacks the column time"). Here, for every CSV input (demand, pods, usage, catalog, trace, fleet), before the readers' checks;
     * InputFormat asks it of a pods file's header before it tells the format.
     */
    static void checkSeparator(String file, int line, List<String> header) {
        if (header.size() != 1) {
            return;
        }
        String only = header.get(0);
        String by = only.indexOf(';') >= 0 ? "';'" : only.indexOf('\t') >= 0 ? "tabs" : null;
        if (by != null) {
            throw new InputException(SourceLocation.of(file, line), "The header (" + only.replace("\t", "\\t") + ") is one column: the file "
                    + "is separated by " + by + (by.equals("';'") ? " (as a spreadsheet saves CSV where a comma is the decimal separator)"
                    : "") + ", but it is read as comma-separated; save it with ',' between the values.");
        }
    }

    private CsvRows(String file, String text, int start) {
        this.file = file;
        this.reader = null;
        this.rows = null;
        this.plain = text;
        int eol = lineEnd(text, start);
        this.header = List.copyOf(new PlainCells(text, fieldStarts(text, start, eol)));
        this.headerLine = 1;
        this.plainStart = Math.min(text.length(), eol + 1);
        checkSeparator(file, headerLine, header);
    }

    /** Files up to this size may be read whole by {@link #openWhole}: 64 MiB, about a million openb rows. */
    static final long WHOLE_MAX_BYTES = 64L << 20;

    /**
     * As {@link #open(Path, String)}, reading a plain file whole and splitting it here: for pod
     * lists, where Jackson's per-cell work was about half of a cold 150,000-row read. Plain means UTF-8
     * text with no quote, no '#', no blank line and no character at or below a space but the line
     * feed, so that splitting at commas and line feeds gives exactly Jackson's rows, cells and line
     * numbers (with comments, blank lines and trimming enabled, none of them applies). Any other
     * file, or one above {@link #WHOLE_MAX_BYTES}, or one that fails to read, goes to {@link
     * #open(Path, String)}, which parses it (and words its errors) as before.
     */
    public static CsvRows openWhole(Path given, String displayName) {
        Path path = RunInputs.file(given, displayName); // a pipe's copy, read once per run
        String text = null;
        try {
            if (Files.size(path) <= WHOLE_MAX_BYTES) {
                text = Files.readString(path, StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            text = null; // Jackson's path reads it again and says what is wrong
        }
        int start = text != null && text.startsWith("\uFEFF") ? 1 : 0;
        if (text != null && start < text.length() && isPlain(text, start)) {
            return new CsvRows(displayName, text, start);
        }
        return open(path, displayName);
    }

    /** Whether {@code text} from {@code start} is plain CSV (see {@link #openWhole}). */
    static boolean isPlain(String text, int start) {
        char previous = '\n'; // a line feed first would be a blank first line
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ') {
                if (c != '\n' || previous == '\n') {
                    return false;
                }
            } else if (c == '"' || c == '#') {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static int lineEnd(String text, int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol;
    }

    /**
     * Start offsets of the fields of the line [from, eol), then eol + 1 (so field k ends one before
     * start k + 1). Sized for the header's {@code expected} fields and filled in one pass of
     * {@code indexOf} (a search the JIT vectorises; counting first and then testing every char
     * was two passes over the 10 MB of a 150,000-row trace); a row with another count is counted
     * again, for the error.
     */
    private static int[] fieldStarts(String text, int from, int eol, int expected) {
        int[] starts = new int[expected + 1];
        int k = 1;
        int i = text.indexOf(',', from);
        for (; i >= 0 && i < eol && k < expected; i = text.indexOf(',', i + 1)) {
            starts[k++] = i + 1;
        }
        if (k < expected || i >= 0 && i < eol) {
            return fieldStarts(text, from, eol);
        }
        starts[0] = from;
        starts[expected] = eol + 1;
        return starts;
    }

    /** {@link #fieldStarts(String, int, int, int)} for any count of fields. */
    private static int[] fieldStarts(String text, int from, int eol) {
        int fields = 1;
        for (int i = text.indexOf(',', from); i >= 0 && i < eol; i = text.indexOf(',', i + 1)) {
            fields++;
        }
        int[] starts = new int[fields + 1];
        int k = 1;
        for (int i = text.indexOf(',', from); i >= 0 && i < eol; i = text.indexOf(',', i + 1)) {
            starts[k++] = i + 1;
        }
        starts[0] = from;
        starts[fields] = eol + 1;
        return starts;
    }

    /** The cells of one plain line, made into strings as they are read (readers skip most trace columns). */
    private static final class PlainCells extends java.util.AbstractList<String> implements java.util.RandomAccess {
        private final String text;
        private final int[] starts;

        PlainCells(String text, int[] starts) {
            this.text = text;
            this.starts = starts;
        }

        @Override
        public String get(int index) {
            java.util.Objects.checkIndex(index, size());
            return text.substring(starts[index], starts[index + 1] - 1);
        }

        @Override
        public int size() {
            return starts.length - 1;
        }

        long digits(int index, long max) {
            java.util.Objects.checkIndex(index, size());
            return CsvRows.digits(text, starts[index], starts[index + 1] - 1, max);
        }

        int length(int index) {
            java.util.Objects.checkIndex(index, size());
            return starts[index + 1] - 1 - starts[index];
        }

        boolean is(int index, String value) {
            return length(index) == value.length() && text.startsWith(value, starts[index]);
        }
    }

    /** Opens {@code path}; the header row is read at once. */
    public static CsvRows open(Path given, String displayName) {
        Path path = RunInputs.file(given, displayName); // a pipe's copy, read once per run
        try {
            CsvRows rows = open(displayName, () -> new BufferedReader(TextFiles.reader(path, displayName)));
            rows.source = path;
            return rows;
        } catch (InputException e) {
            if (TextFiles.notTextCause(e.getCause())) {
                throw TextFiles.notText(path, displayName);
            }
            throw e;
        }
    }

    /** The file read, for a message at the line of a byte that is not UTF-8; null for a stream. */
    private Path source;

    /** Reads an already open stream (the caller's buffering); the header row is read at once. */
    public static CsvRows open(Reader reader, String displayName) {
        return open(displayName, () -> reader);
    }

    /** Where the text comes from; opening it may fail like reading it. */
    private interface ReaderSource {
        Reader open() throws IOException;
    }

    private static CsvRows open(String displayName, ReaderSource source) {
        try {
            return new CsvRows(displayName, source.open());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException(SourceLocation.ofFile(displayName), "The file is not UTF-8 text; expected a CSV file.", e);
        } catch (IOException e) {
            throw Unreadable.file(displayName, e);
        } catch (RuntimeException e) {
            if (e instanceof InputException) {
                throw e;
            }
            throw new InputException(SourceLocation.ofFile(displayName), "The file is not valid CSV: " + describe(e) + ".");
        }
    }

    public List<String> header() {
        return header;
    }

    public int headerLine() {
        return headerLine;
    }

    public String file() {
        return file;
    }

    /**
     * Column index of {@code name}, or -1. A column the header gives twice is an error at the header: the first copy was
     * read and the second ignored without a word, whatever it held (QA 77c F1: an export with cpu_milli twice, the second
     * the one meant). Asked here, so every reader refuses it for the columns it reads, checkColumns or not.
     */
    public int column(String name) {
        int first = header.indexOf(name);
        int last = first < 0 ? -1 : header.lastIndexOf(name);
        if (last != first) {
            throw new InputException(SourceLocation.of(file, headerLine), "The column '" + name + "' appears twice in the header (columns "
                    + (first + 1) + " and " + (last + 1) + "): keep the one meant.");
        }
        return first;
    }

    /** Calls {@code action} for each data row, in order; rows with the wrong number of fields are errors. */
    public void forEach(Consumer<Row> action) {
        forEach(action, Inputs.MAX_PODS);
    }

    /** As {@link #forEach(Consumer)}, for files whose rows are samples rather than pods: at most {@code maxRows}. */
    public void forEach(Consumer<Row> action, long maxRows) {
        if (plain != null) {
            forEachPlain(action, maxRows);
            return;
        }
        try {
            long count = 0;
            while (rows.hasNextValue()) {
                List<String> cells = rows.nextValue();
                int line = currentLine();
                action.accept(checkedRow(line, cells, ++count, maxRows));
            }
        } catch (IOException e) {
            if (source != null && TextFiles.notTextCause(e)) {
                throw TextFiles.notText(source, file);
            }
            throw new InputException(SourceLocation.of(file, currentLine()), "The CSV could not be parsed: " + describe(e) + ".");
        } catch (RuntimeException e) {
            if (e instanceof InputException) {
                throw e;
            }
            throw new InputException(SourceLocation.of(file, currentLine()), "The CSV could not be parsed: " + describe(e) + ".");
        }
    }

    /** {@link #forEach(Consumer, long)} over a plain file: the same checks, in the same order, with the same messages. */
    private void forEachPlain(Consumer<Row> action, long maxRows) {
        String text = plain;
        int line = headerLine;
        try {
            long count = 0;
            for (int from = plainStart; from < text.length(); ) {
                line++;
                int eol = lineEnd(text, from);
                List<String> cells = new PlainCells(text, fieldStarts(text, from, eol, header.size()));
                action.accept(checkedRow(line, cells, ++count, maxRows));
                from = eol + 1;
            }
        } catch (RuntimeException e) {
            if (e instanceof InputException) {
                throw e;
            }
            throw new InputException(SourceLocation.of(file, line), "The CSV could not be parsed: " + describe(e) + ".");
        }
    }

    /** Row {@code count} at {@code line}, after the checks both readers make: at most {@code maxRows} rows, one cell per header column. */
    private Row checkedRow(int line, List<String> cells, long count, long maxRows) {
        if (count > maxRows) {
            throw new InputException(SourceLocation.of(file, line), "The file has more than " + String.format(java.util.Locale.ROOT, "%,d", maxRows)
                    + " rows, the most nodesizer reads in one run. Maybe split or sample the input.");
        }
        if (cells.size() != header.size()) {
            throw new InputException(SourceLocation.of(file, line), "The row has " + cells.size() + " fields; expected "
                    + header.size() + " (" + String.join(",", header) + "). Maybe a value contains a comma and needs quotes.");
        }
        return new Row(line, cells);
    }

    private int currentLine() {
        JsonParser parser = rows.getParser();
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = m.indexOf("\n at [Source");
        return (cut > 0 ? m.substring(0, cut) : m).replace('\n', ' ').trim();
    }

    @Override
    public void close() {
        if (plain != null) {
            return;
        }
        try {
            rows.close();
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails at the header when a column is not in {@code known}, or appears twice: a column nothing reads was ignored,
     * so a misnamed one (a catalog's price_per_hour for price_per_hour_usd) changed the results without a word (QA 62
     * item 5). Names the known column meant when one is near: two edits away, or one the column begins (max_pods).
     */
    public void checkColumns(List<String> known) {
        SourceLocation at = SourceLocation.of(file, headerLine);
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            if (h.isBlank() && !known.contains(h)) {
                // review 62: a spreadsheet's trailing comma read as "The column '' is not known".
                throw new InputException(at, "Column " + (i + 1) + " of the header has no name"
                        + (i == header.size() - 1 ? " (a trailing comma?)" : "") + "; expected only " + String.join(", ", known) + ".");
            }
            if (!known.contains(h)) {
                String near = io.nodesizer.model.NameLists.nearest(h, known);
                if (near == null && h.length() >= 4) {
                    near = known.stream().filter(k -> k.startsWith(h) || h.startsWith(k)).findFirst().orElse(null);
                }
                throw new InputException(at, "The column '" + h + "' is not known" + (near == null ? "" : " (did you mean " + near + "?)")
                        + "; expected only " + String.join(", ", known) + ".");
            }
            column(h); // refuses a column given twice
        }
    }
}
