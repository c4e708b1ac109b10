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
        return parse(option, text, text, knownKeys);
    }

    /**
     * As above, where {@code text} is what is left of the spec the user wrote, {@code shown}, once some keys are read apart
     * (--node's labels= and taints=): the messages quote the spec as given, not one the user did not write (QA 68c F2).
     */
    public static KeyValueSpec parse(String option, String text, String shown, List<String> knownKeys) {
        checkItems(option, shown);
        Map<String, List<String>> values = new LinkedHashMap<>();
        String current = null;
        for (String raw : text.split(",", -1)) {
            String token = raw.trim();
            int eq = token.indexOf('=');
            if (eq >= 0) {
                current = token.substring(0, eq).trim();
                if (!knownKeys.contains(current)) {
                    throw new InputException(SourceLocation.ofFile(option), "The key '" + current + "' in '" + shown
                            + "' is not known; expected " + String.join(", ", knownKeys) + ".");
                }
                if (values.containsKey(current)) {
                    throw new InputException(SourceLocation.ofFile(option), "The key '" + current + "' appears twice in '" + shown + "'.");
                }
                values.put(current, new ArrayList<>(List.of(token.substring(eq + 1).trim())));
            } else if (current == null) {
                throw new InputException(SourceLocation.ofFile(option), "The spec '" + shown + "' must be key=value pairs such as "
                        + knownKeys.get(0) + "=…; found '" + token + "'.");
            } else {
                values.get(current).add(token);
            }
        }
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (e.getValue().stream().anyMatch(String::isEmpty)) {
                throw new InputException(SourceLocation.ofFile(option), "The key '" + e.getKey() + "' in '" + shown + "' has an empty value.");
            }
        }
        return new KeyValueSpec(option, shown, values);
    }

    /**
     * Refuses an empty item of the spec where it is: a token without '=' continues the previous key's list, so a stray comma
     * (cpu=8,memory=32Gi, or cpu=8,,memory=32Gi) was an empty value of the key before it, and the message blamed that key, which
     * was given (QA 68c F2). A blank spec is left to the caller's "must be key=value pairs".
     */
    public static void checkItems(String option, String text) {
        List<String> tokens = List.of(text.split(",", -1));
        if (tokens.stream().allMatch(String::isBlank)) {
            return;
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isBlank()) {
                String where = i > 0 ? "after '" + tokens.get(i - 1).trim() + "'"
                        : "before '" + tokens.stream().filter(t -> !t.isBlank()).findFirst().orElseThrow().trim() + "'";
                throw new InputException(SourceLocation.ofFile(option), "The spec '" + text + "' has an empty item " + where
                        + " (a stray comma?).");
            }
        }
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
