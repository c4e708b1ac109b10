package io.nodesizer.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Pods grouped by reason as the human reports list them (pack's unschedulable pods, replay's):
 * most pods first, the first {@value #SHOWN}, then how many reasons are left out. An openb trace
 * gives some seventy reasons, one per GPU share, which listed in full in first-seen order buried
 * the largest groups (QA 52a F4); JSON keeps every one.
 */
final class ReasonLines {
    static final int SHOWN = 10;

    private ReasonLines() {
    }

    /** One line per reason ({@code bullet} then {@code line}), by {@code pods} descending (ties in their given order). */
    static <T> void append(StringBuilder sb, Collection<T> reasons, ToLongFunction<T> pods, Function<T, String> line, String bullet) {
        List<T> sorted = new ArrayList<>(reasons);
        sorted.sort(Comparator.comparingLong(pods).reversed()); // List.sort is stable
        for (T reason : sorted.subList(0, Math.min(SHOWN, sorted.size()))) {
            sb.append(bullet).append(line.apply(reason)).append('\n');
        }
        if (sorted.size() > SHOWN) {
            sb.append(bullet).append("… ").append(sorted.size() - SHOWN).append(" more reasons (-o json lists them)\n");
        }
    }
}
