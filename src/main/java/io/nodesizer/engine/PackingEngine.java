package io.nodesizer.engine;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one strategy on one {@link PackingProblem} and returns a verified {@link PackingResult}.
 * The lower bound depends only on the problem, so callers that try several strategies on one
 * shape compute it once and pass it in.
 */
public final class PackingEngine {
    private PackingEngine() {
    }

    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed) {
        return pack(problem, strategy, seed, LowerBounds.compute(problem), true);
    }

    /**
     * @param verify run {@link PackingVerifier} on the result (always on in the CLI; benchmarks
     *               measure the strategy alone)
     */
    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed,
                                     LowerBound bound, boolean verify) {
        DemandTable table = problem.table();
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        NodeLedger ledger = new NodeLedger(problem.podCapacity(), Math.max(16, bound.value() + bound.value() / 4),
                NodeLedger.devicesFor(problem), table.conflicts(), table.caps(), table.zones(), table.zoneSkew(), table.zoneFloor());
        long start = System.nanoTime();
        java.util.BitSet withheld = RulePacking.withheld(problem);
        List<PackingProblem.Unschedulable> unschedulable = problem.unschedulable();
        if (withheld == null) {
            strategy.pack(problem, ledger, assignment, new SplittableRandom(seed));
        } else {
            // Required pod affinity: the strategy packs the rest, then the groups it ties together
            // go where their targets are; pods that find no room there stay unplaced by the rule.
            strategy.pack(problem.withoutGroups(withheld), ledger, assignment, new SplittableRandom(seed));
            List<PackingProblem.Unschedulable> left = RulePacking.place(problem, withheld, ledger, assignment);
            if (!left.isEmpty()) {
                unschedulable = new ArrayList<>(problem.unschedulable());
                unschedulable.addAll(left);
                // The bound counted the pods left out; the pods every packing places still bound it.
                bound = LowerBounds.compute(problem.withoutGroups(RulePacking.constrained(problem)));
            }
        }
        long elapsed = System.nanoTime() - start;
        int nodes = ledger.nodeCount();
        long[] load = new long[nodes * DemandTable.D];
        long[] cap = problem.podCapacity();
        for (int node = 0; node < nodes; node++) {
            for (int r = 0; r < DemandTable.D; r++) {
                load[node * DemandTable.D + r] = cap[r] - ledger.free(node, r);
            }
        }
        int[] zones = null;
        if (table.zones() > 1) {
            zones = new int[nodes];
            for (int node = 0; node < nodes; node++) {
                zones[node] = ledger.zoneOf(node);
            }
        }
        PackingResult result = new PackingResult(problem, strategy.name(), nodes, assignment, load,
                unschedulable, bound, elapsed, loggedDevices(table, ledger, assignment), zones);
        if (verify) {
            PackingVerifier.verify(result);
        }
        return result;
    }

    /**
     * A verified result from an assignment made outside the strategies (the optimizer): node
     * loads are summed from the assignment, which must use nodes 0..nodes-1.
     */
    public static PackingResult fromAssignment(PackingProblem problem, String strategy, int nodes, int[] assignment,
                                               LowerBound bound, long elapsedNanos) {
        DemandTable table = problem.table();
        long[] load = new long[nodes * DemandTable.D];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0 && node < nodes) {
                    for (int r = 0; r < DemandTable.D; r++) {
                        load[node * DemandTable.D + r] += table.demand(g, r);
                    }
                }
            }
        }
        long[] devices = deviceMasks(problem, nodes, assignment);
        if (devices == null) {
            throw new VerificationException("Packing verification failed (strategy " + strategy + ", shape " + problem.shape().name()
                    + "): some node's GPU pods do not fit its GPU devices. This is a bug in nodesizer; please report it with the input.");
        }
        PackingResult result = new PackingResult(problem, strategy, nodes, assignment.clone(), load,
                problem.unschedulable(), bound, elapsedNanos, devices.length == 0 ? null : devices);
        PackingVerifier.verify(result);
        return result;
    }

    /**
     * GPU devices for an assignment made elsewhere: per node, {@link GpuDevices#assign}. Returns an
     * empty array when no placed pod requests GPUs, and null when some node's pods do not fit its
     * devices in that order.
     */
    public static long[] deviceMasks(PackingProblem problem, int nodes, int[] assignment) {
        DemandTable table = problem.table();
        int gpu = io.nodesizer.model.Resource.GPU.ordinal();
        int devices = GpuDevices.count(problem.podCapacity()[gpu]);
        java.util.List<java.util.List<Integer>> gpuPods = new java.util.ArrayList<>();
        boolean any = false;
        for (int node = 0; node < nodes; node++) {
            gpuPods.add(new java.util.ArrayList<>());
        }
        for (int g = 0; g < table.groupCount(); g++) {
            if (table.demand(g, gpu) == 0) {
                continue;
            }
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                if (assignment[pod] >= 0 && assignment[pod] < nodes) {
                    gpuPods.get(assignment[pod]).add(pod);
                    any = true;
                }
            }
        }
        if (!any) {
            return new long[0];
        }
        long[] masks = new long[table.podCount()];
        for (java.util.List<Integer> pods : gpuPods) {
            if (pods.isEmpty()) {
                continue;
            }
            long[] requests = new long[pods.size()];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = table.demand(table.groupOfPod(pods.get(i)), gpu);
            }
            long[] m = GpuDevices.assign(requests, devices);
            if (m == null) {
                return null;
            }
            for (int i = 0; i < m.length; i++) {
                masks[pods.get(i)] = m[i];
            }
        }
        return masks;
    }

    /**
     * Per pod the devices the ledger logged: the log says "a pod of group g on node n got mask m"
     * in placement order; the pods of g on n are identical, so they take the masks in pod order.
     */
    private static long[] loggedDevices(DemandTable table, NodeLedger ledger, int[] assignment) {
        int n = ledger.logged();
        if (n == 0) {
            return null;
        }
        // Log entries by (group, node), placement order within; pods by (group, node, index).
        Integer[] entries = new Integer[n];
        for (int i = 0; i < n; i++) {
            entries[i] = i;
        }
        Arrays.sort(entries, (x, y) -> {
            int c = Integer.compare(ledger.loggedGroup(x), ledger.loggedGroup(y));
            if (c == 0) {
                c = Integer.compare(ledger.loggedNode(x), ledger.loggedNode(y));
            }
            return c != 0 ? c : Integer.compare(x, y);
        });
        long[] masks = new long[table.podCount()];
        int e = 0;
        while (e < n) {
            int g = ledger.loggedGroup(entries[e]);
            int first = table.firstPod(g);
            Integer[] pods = new Integer[table.replicas(g)];
            for (int i = 0; i < pods.length; i++) {
                pods[i] = first + i;
            }
            Arrays.sort(pods, (x, y) -> {
                int c = Integer.compare(assignment[x], assignment[y]);
                return c != 0 ? c : Integer.compare(x, y);
            });
            int p = 0;
            while (p < pods.length && assignment[pods[p]] < 0) {
                p++;
            }
            for (; e < n && ledger.loggedGroup(entries[e]) == g; e++, p++) {
                masks[pods[p]] = ledger.loggedMask(entries[e]);
            }
        }
        return masks;
    }
}
