package io.nodesizer.input;

import java.util.Objects;

/**
 * Where in the user's input something is: a file, and when known a 1-based line, a 1-based
 * column and a field (CSV column name or YAML path). {@code line == 0} means the file as a whole
 * (for example an empty file); {@code column == 0} means the column is not known.
 */
public record SourceLocation(String file, int line, int column, String field) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }

    public static SourceLocation ofFile(String file) {
        return new SourceLocation(file, 0, 0, null);
    }

    public static SourceLocation of(String file, int line) {
        return new SourceLocation(file, line, 0, null);
    }

    public static SourceLocation of(String file, int line, int column, String field) {
        return new SourceLocation(file, line, column, field);
    }

    public SourceLocation withField(String newField) {
        return new SourceLocation(file, line, column, newField);
    }

    /** {@code file:line:column}, leaving out what is not known. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }
}
