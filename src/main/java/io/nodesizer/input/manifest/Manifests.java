package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;

/** Typed access to located YAML nodes, with messages that name the YAML path. */
final class Manifests {
    private Manifests() {
    }

    /**
     * Whether a pod is a static pod's mirror by its {@code kubernetes.io/config.mirror} annotation (kubelet
     * {@code IsMirrorPod}), whether or not a Node owns it; {@code path} is its metadata's.
     */
    static boolean mirrorPod(YamlNode.Mapping metadata, String path) {
        return annotation(metadata, "kubernetes.io/config.mirror", path) != null;
    }

    /** The value of annotation {@code key} in {@code metadata} (at {@code path}), or null when it has none. */
    static YamlNode annotation(YamlNode.Mapping metadata, String key, String path) {
        YamlNode.Mapping annotations = metadata == null ? null : optionalMapping(metadata, "annotations", path);
        return annotations == null ? null : annotations.get(key);
    }

    /** The API group of an apiVersion: {@code apps} of {@code apps/v1}, the core group ("") of {@code v1}. */
    static String apiGroup(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    static YamlNode.Mapping mapping(YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        throw new InputException(node.at(), "The value at " + path + " must be a mapping (key: value); found " + describe(node) + ".");
    }

    /** The sequence under {@code key}, or null when absent or null. */
    static YamlNode.Sequence sequence(YamlNode.Mapping parent, String key, String path) {
        YamlNode n = parent.get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        if (n instanceof YamlNode.Sequence seq) {
            return seq;
        }
        throw new InputException(n.at(), "The value at " + path + "." + key + " must be a list; found " + describe(n) + ".");
    }

    /** The mapping under {@code key}, or null when absent or null. */
    static YamlNode.Mapping optionalMapping(YamlNode.Mapping parent, String key, String path) {
        YamlNode n = parent.get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        return mapping(n, path + "." + key);
    }

    static YamlNode.Mapping requiredMapping(YamlNode.Mapping parent, String key, String path) {
        YamlNode.Mapping m = optionalMapping(parent, key, path);
        if (m == null) {
            throw new InputException(parent.at(), "The object needs " + path + "." + key + ".");
        }
        return m;
    }

    /**
     * A boolean field under {@code key}: false when absent or null. kubectl sends YAML 1.1's forms
     * ({@code yes}, {@code on}, {@code True}) as JSON booleans; a quoted "true" or a number is a
     * string or number the API server refuses for a boolean field, and so is it here.
     */
    static boolean flag(YamlNode.Mapping parent, String key, String path) {
        YamlNode n = parent.get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return false;
        }
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.Type.BOOL) {
            return KubectlScalars.isTrue(s.text());
        }
        String found = n instanceof YamlNode.Scalar s && s.isString() ? "the string \"" + s.text() + "\" (quoted)" : describe(n);
        throw new InputException(n.at(), "The value at " + path + "." + key + " must be true or false; found " + found
                + ", which the API server refuses for a boolean field.");
    }

    /**
     * The text of a string field under {@code key} (a label's value, a node selector's, a
     * toleration's), or null when absent or null. An unquoted {@code true}, {@code yes} or {@code 1}
     * is a boolean or a number to kubectl (YAML 1.1), which the API server refuses for a string
     * ("cannot unmarshal bool into Go struct field … of type string"): the whole object is refused,
     * so no pod of it runs.
     */
    static String string(YamlNode.Mapping parent, String key, String path) {
        String text = text(parent, key, path);
        if (text != null && parent.get(key) instanceof YamlNode.Scalar s) {
            requireString(s, path + "." + key);
        }
        return text;
    }

    /** Fails unless {@code s} (at {@code path}) is a string or null to kubectl; see {@link #string}. */
    static void requireString(YamlNode.Scalar s, String path) {
        if (!s.isNull() && !s.isString()) {
            throw new InputException(s.at().withField(path), "The value at " + path + " must be a string; found "
                    + (s.type() == YamlNode.Type.BOOL ? "the boolean " : "the number ") + s.text() + " (unquoted), which kubectl sends "
                    + "as such and the API server refuses for a string field. Write it in quotes (\"" + s.text() + "\").");
        }
    }

    /** The scalar text under {@code key}, or null when absent or null. */
    static String text(YamlNode.Mapping parent, String key, String path) {
        YamlNode n = parent.get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YamlNode.Scalar s) {
            return s.text();
        }
        throw new InputException(n.at(), "The value at " + path + "." + key + " must be a scalar; found " + describe(n) + ".");
    }

    /**
     * A non-negative integer field (int32 in the API) under {@code key}, or {@code defaultValue}
     * when absent or null: read as {@link #integerText} reads it.
     */
    static int integer(YamlNode.Mapping parent, String key, String path, int defaultValue) {
        return nonNegative(parent, key, path, integerText(parent, key, path), defaultValue);
    }

    /**
     * A non-negative integer written in a string field (an annotation such as KEDA's
     * {@code paused-replicas: "2"}), or {@code defaultValue} when absent.
     */
    static int integerInString(YamlNode.Mapping parent, String key, String path, int defaultValue) {
        return nonNegative(parent, key, path, text(parent, key, path), defaultValue);
    }

    private static int nonNegative(YamlNode.Mapping parent, String key, String path, String t, int defaultValue) {
        if (t == null) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(t.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            // A whole number past int32 is out of range, not "not an integer" (QA 60b F6: 2147483648 was told it must be one).
            boolean whole = t.trim().matches("[+]?[0-9]+");
            throw new InputException(parent.get(key).at(), "The " + path + "." + key + " (" + shown(parent, key) + ") must be "
                    + (whole ? "at most 2147483647 (the API's int32)." : "a non-negative integer."));
        }
    }

    /**
     * The value of an integer field (int32 or int64 in the API) under {@code key} as the API
     * server decodes it, or null when absent or null. kubectl sends an unquoted number, in any
     * form YAML 1.1 knows, as a JSON number: this returns that number ({@code 16} for
     * {@code 0x10}, {@code 1} for {@code 1.0}, {@code 1.5} as it is). A quoted number is a JSON
     * string, which the API server refuses for an integer field ("cannot unmarshal string into Go
     * struct field … of type int32"): it is refused here, naming the field and the value. Any other
     * value (a word, a boolean) is returned as written, for the caller to refuse in its own words.
     */
    static String integerText(YamlNode.Mapping parent, String key, String path) {
        String t = text(parent, key, path);
        if (t == null) {
            return null;
        }
        YamlNode.Scalar s = (YamlNode.Scalar) parent.get(key);
        if (s.isString() && quotedNumber(s)) {
            throw new InputException(s.at().withField(path + "." + key), "The " + path + "." + key + " must be an integer; found the string \""
                    + t + "\" (quoted), which the API server refuses for an integer field. Write it without quotes (" + t.strip() + ").");
        }
        return s.number() != null ? s.number() : t;
    }

    /** Whether a string is a number once its quotes are gone (" 3", "0x10", "1.5"). */
    static boolean quotedNumber(YamlNode.Scalar s) {
        return !s.text().isBlank() && KubectlScalars.resolve(s.text().strip(), s.at()).type() == YamlNode.Type.NUMBER;
    }

    /** How a message names the scalar under {@code key}: as written, and what kubectl reads it as where that differs. */
    static String shown(YamlNode.Mapping parent, String key) {
        return parent.get(key) instanceof YamlNode.Scalar s && !s.isNull() ? s.shown() : describe(parent.get(key));
    }

    static String describe(YamlNode n) {
        if (n instanceof YamlNode.Mapping) {
            return "a mapping";
        }
        if (n instanceof YamlNode.Sequence) {
            return "a list";
        }
        YamlNode.Scalar s = (YamlNode.Scalar) n;
        if (s.isNull()) {
            return "null";
        }
        String text = s.text();
        // A whole file read as one plain scalar (a table, a log) is not echoed back whole.
        String shown = text.length() > 80 ? text.substring(0, 60).replaceAll("\\s+", " ") + "…" : text;
        String table = text.startsWith("NAME ") || text.startsWith("NAMESPACE ") ? " (kubectl's table output, as kubectl get prints "
                + "without -o: export with -o json or -o yaml)" : "";
        return "'" + shown + "'" + table;
    }
}
