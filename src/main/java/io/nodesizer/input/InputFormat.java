package io.nodesizer.input;

import io.nodesizer.input.csv.CsvProfileReader;
import io.nodesizer.input.manifest.ManifestReader;
import io.nodesizer.input.trace.openb.OpenbTraceReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The input formats: user-facing name → reader, and detection from extension and header. */
public enum InputFormat {
    CSV("csv", "CSV what-if profile (header name,cpu,memory[,replicas,gpu,ephemeral-storage,pods,…])", CsvProfileReader::new),
    MANIFEST("manifest", "Kubernetes manifests (.yaml, .yml, .json)", ManifestReader::new),
    OPENB("openb", "Alibaba openb pod list (header name,cpu_milli,memory_mib,num_gpu,…)", OpenbTraceReader::new);

    private final String formatName;
    private final String description;
    private final Supplier<WorkloadReader> factory;

    InputFormat(String formatName, String description, Supplier<WorkloadReader> factory) {
        this.formatName = formatName;
        this.description = description;
        this.factory = factory;
    }

    public String formatName() {
        return formatName;
    }

    public WorkloadReader reader() {
        return factory.get();
    }

    public static String accepted() {
        return String.join("; ", Arrays.stream(values()).map(f -> f.description).toList());
    }

    /** True for files a directory scan picks up. */
    static boolean candidate(Path path) {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".csv") || n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    /** Detects the format of one file, or fails naming the file and the accepted formats. */
    public static InputFormat detect(Path path, String displayName) {
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) {
            return MANIFEST;
        }
        boolean csv = n.endsWith(".csv");
        FirstLine first = null;
        if (!csv) {
            // No known extension (`helm template . > rendered`, standard input): told by the content.
            first = firstLine(path, displayName);
            String text = first.text();
            if (text.startsWith("---") || text.startsWith("%YAML") || text.startsWith("{") || text.startsWith("[")
                    || text.matches("(- )?[A-Za-z][\\w.-]*:(\\s.*)?")) {
                return MANIFEST;
            }
            csv = text.contains(",");
        }
        if (csv) {
            FirstLine at = first != null ? first : firstLine(path, displayName);
            String header = at.text();
            List<String> columns = Arrays.stream(header.split(",")).map(s -> s.trim().replace("\"", "")).toList();
            // A ';'-separated profile said so, not "no known format" (QA 75b F6), at the header's own line past comments (review 75b #6).
            CsvRows.checkSeparator(displayName, at.line(), columns);
            if (OpenbTraceReader.recognises(columns)) {
                return OPENB;
            }
            // A header with name and cpu or memory is a profile, even when a column is missing: the
            // profile reader then says exactly which one.
            if (columns.contains("name") && (columns.contains("cpu") || columns.contains("memory"))) {
                return CSV;
            }
            List<String> lower = columns.stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();
            // Only where the lower-cased header would be read as it stands (a missing column is another mistake).
            boolean onlyCase = lower.containsAll(io.nodesizer.input.csv.CsvProfileReader.REQUIRED) || OpenbTraceReader.recognises(lower);
            throw new InputException(SourceLocation.of(displayName, at.line()), "The CSV header (" + header
                    + ") matches no known format; expected one of: " + accepted() + "."
                    + (onlyCase ? " Column names are lower case (" + String.join(",", lower) + "): only their case differs here." : ""));
        }
        throw new InputException(SourceLocation.ofFile(displayName), "The file type is not known (by its extension or its first line); "
                + "expected one of: " + accepted() + ".");
    }

    /** A file's first line that is not blank or a comment, and its number (1-based). */
    private record FirstLine(String text, int line) {
    }

    /** The first line that is not blank or a comment ({@link TextFiles#reader} has skipped a byte-order mark). */
    private static FirstLine firstLine(Path path, String displayName) {
        try (BufferedReader r = new BufferedReader(TextFiles.reader(path, displayName))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    return new FirstLine(line, number);
                }
            }
            // Standard input and pipes are where manifests come without an extension to say so (helm template . | nodesizer …,
            // --pods <(helm template .)).
            throw new InputException(SourceLocation.ofFile(displayName), RunInputs.emptyInput(displayName) + "; expected "
                    + (RunInputs.kind(displayName).equals("file") ? "" : "Kubernetes manifests or ") + "a CSV header line.");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw TextFiles.notText(path, displayName);
        } catch (IOException e) {
            throw Unreadable.file(displayName, e);
        }
    }
}
