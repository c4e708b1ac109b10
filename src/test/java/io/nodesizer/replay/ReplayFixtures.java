package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;

import java.util.ArrayList;
import java.util.List;

/** Small hand-made replays: pods with explicit times on inline shapes without reservations. */
public final class ReplayFixtures {
    public static final long GIB = Fixtures.GIB;

    private ReplayFixtures() {
    }

    /** A pod spec for {@link #stream}: request, arrival, departure (PodStream.STAYS to stay). */
    record P(long cpuMillis, long memoryBytes, long arrive, long depart) {
    }

    static PodStream stream(long horizon, List<P> pods) {
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            groups.add(Fixtures.group("p" + i, pods.get(i).cpuMillis, pods.get(i).memoryBytes, 1));
        }
        DemandTable table = DemandTable.of(Workload.of(groups));
        PodStream.Builder b = new PodStream.Builder(table, TimePoints.DEFAULT_ORIGIN, horizon);
        for (int i = 0; i < pods.size(); i++) {
            b.add(i, 0, pods.get(i).arrive, pods.get(i).depart);
        }
        return b.build();
    }

    /**
     * {@code pods} pods of {@code groups} picked at random, arriving at random over {@code horizon}
     * seconds and living up to 3 h (one in five, and those that would outlive the horizon, stay).
     */
    static PodStream randomArrivals(List<PodGroup> groups, java.util.SplittableRandom r, int pods, long horizon) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, horizon);
        int[] serial = new int[groups.size()];
        for (int i = 0; i < pods; i++) {
            int g = r.nextInt(groups.size());
            long a = r.nextLong(horizon);
            long d = a + r.nextLong(1, 3 * 3600);
            b.add(g, serial[g]++, a, r.nextInt(5) == 0 || d >= horizon ? PodStream.STAYS : d);
        }
        return b.build();
    }

    /**
     * Five plain groups (no placement rules) with random requests, {@code pods} pods of them arriving
     * at random over {@code horizon} seconds ({@link #randomArrivals}).
     */
    public static PodStream plainStream(long seed, int pods, long horizon) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < 5; g++) {
            groups.add(new PodGroup("w" + g, "test", new Resources(r.nextLong(50, 1800), r.nextLong(1, 10) * GIB / 4, 1, 0, 0),
                    1, false, null, new io.nodesizer.model.SourceRef("test", 1), List.of(), null, io.nodesizer.model.Placement.ANY));
        }
        return randomArrivals(groups, r, pods, horizon);
    }

    static List<P> same(int n, long cpuMillis, long memoryBytes, long arrive, long depart) {
        List<P> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new P(cpuMillis, memoryBytes, arrive, depart));
        }
        return out;
    }

    public static Pool pool(int index, String name, long cpuMillis, long memoryBytes, Double price) {
        NodeShape s = Fixtures.shape(name, cpuMillis, memoryBytes, 110, price);
        return Pool.of(index, s, Resources.ZERO);
    }

    /** {@code replay} run with the replay's self-checks on ({@code -Dnodesizer.checkScores=true}: a failed check throws). */
    static ReplayResult checked(java.util.function.Supplier<ReplayResult> replay) {
        String key = "nodesizer.checkScores";
        System.setProperty(key, "true");
        try {
            return replay.get();
        } finally {
            System.clearProperty(key);
        }
    }

    static ReplayResult run(PodStream stream, List<Pool> pools, Autoscaler a, long delay) {
        // Cold start: the hand-computed scenarios start from an empty cluster.
        return Replay.run(stream, pools, a, Replay.Settings.defaults(ProvisionDelay.fixed(delay), 1).cold());
    }
}
