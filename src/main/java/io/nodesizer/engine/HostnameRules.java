package io.nodesizer.engine;

import java.util.Map;

/**
 * The hostname rules for one more pod on a node whose pods are known per group (moves made outside
 * the ledger: zone balancing, mixed-pool drains): required anti-affinity either way — a group the
 * pod repels, or one that repels it (the scheduler checks the incoming pod's terms and the existing
 * pods' terms alike) — and each group's cap per node (anti-affinity among its replicas, hostname
 * spread), from {@link DemandTable#conflicts()} and {@link DemandTable#caps()}.
 */
public final class HostnameRules {
    private HostnameRules() {
    }

    /**
     * Whether the node admits one more pod of g, with one pod of {@code out} (-1: none) taken off it.
     *
     * @param onNode the node's pods per group (groups without pods there absent)
     */
    public static boolean admits(DemandTable table, Map<Integer, Integer> onNode, int g, int out) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null) {
            return true;
        }
        if (conflicts[g] != null) {
            for (int h : conflicts[g]) {
                int c = onNode.getOrDefault(h, 0) - (h == out ? 1 : 0);
                if (h == g ? c + 1 > table.caps()[g] : c > 0) {
                    return false;
                }
            }
        }
        for (var e : onNode.entrySet()) {
            int h = e.getKey();
            int c = e.getValue() - (h == out ? 1 : 0);
            if (h != g && c > 0 && conflicts[h] != null && java.util.Arrays.stream(conflicts[h]).anyMatch(x -> x == g)) {
                return false;
            }
        }
        return true;
    }
}
