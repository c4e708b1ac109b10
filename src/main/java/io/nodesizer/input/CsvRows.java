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
    }

    private final String file;
    private final Reader reader;
    private final MappingIterator<List<String>> rows;
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
            throw new InputException(SourceLocation.ofFile(file), "The file is empty; expected a CSV header line.");
        }
        this.headerLine = currentLine();
        this.header = List.copyOf(rows.nextValue());
    }

    /** Opens {@code path}; the header row is read at once. */
    public static CsvRows open(Path path, String displayName) {
        return open(displayName, () -> {
            BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            return reader;
        });
    }

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
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(SourceLocation.ofFile(displayName), "The file is not UTF-8 text; expected a CSV file.");
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(displayName), "The file could not be read: " + describe(e) + ".");
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

    /** Column index of {@code name}, or -1. */
    public int column(String name) {
        return header.indexOf(name);
    }

    /** Calls {@code action} for each data row, in order; rows with the wrong number of fields are errors. */
    public void forEach(Consumer<Row> action) {
        forEach(action, Inputs.MAX_PODS);
    }

    /** As {@link #forEach(Consumer)}, for files whose rows are samples rather than pods: at most {@code maxRows}. */
    public void forEach(Consumer<Row> action, long maxRows) {
        try {
            long count = 0;
            while (rows.hasNextValue()) {
                List<String> cells = rows.nextValue();
                int line = currentLine();
                if (++count > maxRows) {
                    throw new InputException(SourceLocation.of(file, line), "The file has more than " + String.format(java.util.Locale.ROOT, "%,d", maxRows)
                            + " rows, the most nodesizer reads in one run. Maybe split or sample the input.");
                }
                if (cells.size() != header.size()) {
                    throw new InputException(SourceLocation.of(file, line), "The row has " + cells.size() + " fields; expected "
                            + header.size() + " (" + String.join(",", header) + "). Maybe a value contains a comma and needs quotes.");
                }
                action.accept(new Row(line, cells));
            }
        } catch (IOException e) {
            throw new InputException(SourceLocation.of(file, currentLine()), "The CSV could not be parsed: " + describe(e) + ".");
        } catch (RuntimeException e) {
            if (e instanceof InputException) {
                throw e;
            }
            throw new InputException(SourceLocation.of(file, currentLine()), "The CSV could not be parsed: " + describe(e) + ".");
        }
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
        try {
            rows.close();
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists the header names not in {@code known}. */
    public List<String> unknownColumns(List<String> known) {
        List<String> out = new ArrayList<>();
        for (String h : header) {
            if (!known.contains(h)) {
                out.add(h);
            }
        }
        return out;
    }
}
