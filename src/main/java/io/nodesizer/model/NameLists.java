package io.nodesizer.model;

import java.util.List;

/** Names in a message: the first few, then how many more ("a, b, c and 4 more"), as every note and warning lists them. */
public final class NameLists {
    private NameLists() {
    }

    /** The first {@code shown} of {@code names} joined by ", ", and " and N more" when there are more. */
    public static String firstOf(List<String> names, int shown) {
        String head = String.join(", ", names.subList(0, Math.min(names.size(), shown)));
        return names.size() > shown ? head + " and " + (names.size() - shown) + " more" : head;
    }

    /** The known name within two edits of {@code key} (one for short ones), the nearest first, ignoring case; or null. */
    public static String nearest(String key, java.util.Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance && d <= (k.length() >= 6 ? 2 : 1)) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * Edit distance counting two neighbours swapped as one edit (optimal string alignment), for "did you mean" suggestions
     * (inline shape keys, catalog families, manifest fields, kinds): a transposition is the commonest typo, and as two
     * Levenshtein edits {@code kind: Pdo} was no near miss of Pod and its item was dropped without a word (QA 78c F2).
     */
    public static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], before[j - 2] + 1);
                }
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
