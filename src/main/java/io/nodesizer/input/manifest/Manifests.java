package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;

/** Typed access to located YAML nodes, with messages that name the YAML path. */
final class Manifests {
    private Manifests() {
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

    /** A non-negative integer under {@code key}, or {@code defaultValue} when absent. */
    static int integer(YamlNode.Mapping parent, String key, String path, int defaultValue) {
        String t = text(parent, key, path);
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
            throw new InputException(parent.get(key).at(), "The " + path + "." + key + " (" + t + ") must be a non-negative integer.");
        }
    }

    static String describe(YamlNode n) {
        if (n instanceof YamlNode.Mapping) {
            return "a mapping";
        }
        if (n instanceof YamlNode.Sequence) {
            return "a list";
        }
        YamlNode.Scalar s = (YamlNode.Scalar) n;
        return s.isNull() ? "null" : "'" + s.text() + "'";
    }
}
