package io.nodesizer.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Output formats, chosen with {@code -o}: the user-facing name maps to the renderer a report uses. */
public enum ReportFormat {
    TABLE, JSON, CSV, MARKDOWN, HTML;

    public String formatName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReportFormat byName(String name) {
        for (ReportFormat f : values()) {
            if (f.formatName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The format a report file's extension names (.json, .csv, .md or .markdown, .html or .htm), or null. */
    public static ReportFormat byExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".json") ? JSON : name.endsWith(".csv") ? CSV : name.endsWith(".md") || name.endsWith(".markdown") ? MARKDOWN
                : name.endsWith(".html") || name.endsWith(".htm") ? HTML : null;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ReportFormat::formatName).toList();
    }
}
