package io.nodesizer.input;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value,key=value} specs of command-line options ({@code --node}, {@code --generic},
 * {@code --reserved}). A comma also separates list values: a token without {@code =} continues the
 * previous key's list, so {@code ratio=2,4,8} is one key with three values.
 */
public record KeyValueSpec(String option, String text, Map<String, List<String>> values) {

    public KeyValueSpec {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static KeyValueSpec parse(String option, String text, List<String> knownKeys) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String current = null;
        for (String raw : text.split(",", -1)) {
            String token = raw.trim();
            int eq = token.indexOf('=');
            if (eq >= 0) {
                current = token.substring(0, eq).trim();
                if (!knownKeys.contains(current)) {
                    throw new InputException(SourceLocation.ofFile(option), "The key '" + current + "' in '" + text
                            + "' is not known; expected " + String.join(", ", knownKeys) + ".");
                }
                if (values.containsKey(current)) {
                    throw new InputException(SourceLocation.ofFile(option), "The key '" + current + "' appears twice in '" + text + "'.");
                }
                values.put(current, new ArrayList<>(List.of(token.substring(eq + 1).trim())));
            } else if (current == null) {
                throw new InputException(SourceLocation.ofFile(option), "The spec '" + text + "' must be key=value pairs such as "
                        + knownKeys.get(0) + "=…; found '" + token + "'.");
            } else {
                values.get(current).add(token);
            }
        }
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (e.getValue().stream().anyMatch(String::isEmpty)) {
                throw new InputException(SourceLocation.ofFile(option), "The key '" + e.getKey() + "' in '" + text + "' has an empty value.");
            }
        }
        return new KeyValueSpec(option, text, values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The single value of {@code key}, or null when absent; a list is an error. */
    public String single(String key) {
        List<String> v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v.size() != 1) {
            throw new InputException(SourceLocation.ofFile(option), "The key '" + key + "' in '" + text + "' takes one value; found "
                    + String.join(",", v) + ".");
        }
        return v.get(0);
    }

    public List<String> list(String key) {
        return values.getOrDefault(key, List.of());
    }

    public SourceLocation at(String key) {
        return SourceLocation.of(option, 0, 0, key);
    }

    public InputException error(String problem) {
        return new InputException(SourceLocation.ofFile(option), problem);
    }
}
