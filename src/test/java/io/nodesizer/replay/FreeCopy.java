package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/** A plain copy of the nodes' free amounts (stride {@link DemandTable#D}, -1 for nodes that take no part), to recompute first fits by hand in tests. */
public final class FreeCopy {
    private static final int D = DemandTable.D;

    private FreeCopy() {
    }

    /** Free capacity per node number of the ready nodes (and the provisioning ones when {@code upcoming}); -1 for the others. */
    public static long[] of(Cluster cluster, boolean upcoming) {
        long[] free = new long[cluster.nodeCount() * D];
        Arrays.fill(free, -1);
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            byte s = cluster.state(node);
            if (s == Cluster.READY || upcoming && s == Cluster.PROVISIONING) {
                for (int r = 0; r < D; r++) {
                    free[node * D + r] = cluster.free(node, r);
                }
            }
        }
        return free;
    }

    /** Whether {@code node}'s free amounts hold the request at {@code o}. */
    public static boolean fits(long[] free, int node, long[] demand, int o) {
        for (int r = 0; r < D; r++) {
            if (demand[o + r] > free[node * D + r]) {
                return false;
            }
        }
        return true;
    }

    /** The first node numbered {@code from} or more, other than {@code except} (-1: none), that holds the request, or -1. */
    public static int firstFit(long[] free, long[] demand, int o, int from, int except) {
        for (int node = from; node * D < free.length; node++) {
            if (node != except && fits(free, node, demand, o)) {
                return node;
            }
        }
        return -1;
    }

    /** Takes the request from {@code node} ({@code sign} 1) or gives it back (-1). */
    public static void take(long[] free, int node, long[] demand, int o, int sign) {
        for (int r = 0; r < D; r++) {
            free[node * D + r] -= sign * demand[o + r];
        }
    }
}
