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

    /** The JSON type kubectl sends a scalar as ({@link KubectlScalars}). */
    enum Type { STRING, NUMBER, BOOL, NULL }

    /**
     * A scalar's text as written ({@code 1}, {@code 500m}, {@code true}); {@code null} for YAML
     * null. {@code type} is what kubectl sends it as; {@code number}, for a {@link Type#NUMBER}, the
     * JSON number it sends ({@code 8} for {@code 010}, {@code 1} for {@code 1.0}), null for one
     * that is not finite ({@code .inf}, which kubectl cannot send) and for every other type.
     */
    record Scalar(String text, SourceLocation at, Type type, String number) implements YamlNode {
        /** A string (a null one is YAML null). */
        public Scalar(String text, SourceLocation at) {
            this(text, at, text == null ? Type.NULL : Type.STRING, null);
        }

        public boolean isNull() {
            return text == null;
        }

        public boolean isString() {
            return type == Type.STRING;
        }

        /**
         * The text a quantity field parses: the number kubectl sends, else the text without the
         * spaces around it (Quantity.UnmarshalJSON trims them).
         */
        public String quantity() {
            return number != null ? number : text.strip();
        }

        /** The text as written, and what kubectl reads it as where that differs ({@code 0x10, which kubectl reads as 16}). */
        public String shown() {
            return number == null || number.equals(text.strip()) ? text : text + ", which kubectl reads as " + number;
        }
    }
}
