package io.nodesizer.input.manifest;

import io.nodesizer.input.SourceLocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML/JSON value with the place it was written, so that every message about a manifest can
 * name file:line:column. Built from Jackson's token stream by {@link ManifestParser}.
 */
public sealed interface YamlNode {
    SourceLocation at();

    record Mapping(Map<String, YamlNode> entries, SourceLocation at) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public YamlNode get(String key) {
            return entries.get(key);
        }
    }

    record Sequence(List<YamlNode> items, SourceLocation at) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A scalar's text as written ({@code 1}, {@code 500m}, {@code true}); {@code null} for YAML null. */
    record Scalar(String text, SourceLocation at) implements YamlNode {
        public boolean isNull() {
            return text == null;
        }
    }
}
