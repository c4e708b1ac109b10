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
}
