package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.demand.DemandSeries;

import java.time.Instant;
import java.util.Arrays;

/**
 * Every pod of a replay with its arrival and departure, in arrival order (ties in the order the
 * pods were generated). A pod is one replica of a group of the {@link DemandTable}, whose row is
 * its request. Departure {@link #STAYS} means the pod runs to the end of the run. Primitive arrays,
 * because a replay can hold millions of pods.
 */
public final class PodStream {
    public static final long STAYS = Long.MAX_VALUE;

    private final DemandTable table;
    private final Instant origin;
    private final long horizon;
    private final int[] group;
    private final int[] serial;
    private final long[] arrive;
    private final long[] depart;
    /** Null: pods leave at their departure. Else per pod how long it runs once started, -1 when it stays. */
    private final long[] runtime;

    private PodStream(DemandTable table, Instant origin, long horizon, int[] group, int[] serial, long[] arrive, long[] depart,
                      long[] runtime) {
        this.table = table;
        this.origin = origin;
        this.horizon = horizon;
        this.group = group;
        this.serial = serial;
        this.arrive = arrive;
        this.depart = depart;
        this.runtime = runtime;
    }

    /**
     * Whether pods leave a run time after their first start ({@link #runtime}) rather than at their departure: a trace
     * replayed with {@code --deletions after-start}, so that a job that waits for a node still does its work (QA 62c F7: at
     * their deletion times, 18 of 102 short jobs left while pending, their work gone and every SLO missed). Their
     * departures stay the trace's, for what reads the demand over time (the peak packing).
     */
    public boolean leavesAfterStart() {
        return runtime != null;
    }

    /**
     * How long {@code pod} runs in all from its first start, or -1 when it stays; only when {@link #leavesAfterStart()}. Its
     * clock stops while an eviction keeps it off a node ({@link RunClocks}).
     */
    public long runtime(int pod) {
        return runtime[pod];
    }

    /**
     * Whether the trace says {@code pod}'s run ended at its departure ({@link io.nodesizer.model.PodGroup.Lifetime#finished}:
     * openb's Succeeded or Failed), not that the trace was taken while it ran. A lookup through its group: asked only of the
     * pods that leave at the run's last instant ({@link RunClocks#holds}).
     */
    public boolean finishedInTrace(int pod) {
        io.nodesizer.model.PodGroup.Lifetime life = table.group(group[pod]).lifetime();
        return life != null && life.finished();
    }

    public DemandTable table() {
        return table;
    }

    /**
     * The same pods with the table whose pod rules see only the DaemonSets that run on a node of
     * one of {@code shapes} ({@link DemandTable#runningOn}); this stream when that is its table.
     */
    public PodStream runningOn(java.util.Collection<io.nodesizer.model.NodeShape> shapes) {
        DemandTable t = table.runningOn(shapes);
        return t == table ? this : new PodStream(t, origin, horizon, group, serial, arrive, depart, runtime);
    }

    public Instant origin() {
        return origin;
    }

    /** The end of the run, seconds from {@link #origin()}. */
    public long horizon() {
        return horizon;
    }

    public int size() {
        return group.length;
    }

    public int group(int pod) {
        return group[pod];
    }

    public long arrival(int pod) {
        return arrive[pod];
    }

    /** Departure in seconds, or {@link #STAYS}. */
    public long departure(int pod) {
        return depart[pod];
    }

    public String podName(int pod) {
        PodGroup g = table.group(group[pod]);
        return g.singlePod() ? g.name() : g.name() + "-" + serial[pod];
    }

    /**
     * A trace: every group with a lifetime is one pod arriving and leaving at its times; groups
     * without one arrive at 0 and stay. Pods arriving at or after {@code horizon} are left out: they spend no time in the
     * run (one arriving at its last instant was "pending at the end" having waited 0 s, and decided a ranking).
     *
     * @param horizon the end of the run, or null for the last arrival or departure in the trace
     */
    public static PodStream fromTrace(Workload workload, Instant origin, Long horizon) {
        return fromTrace(workload, origin, horizon, false);
    }

    /** As above; with {@code afterStart}, each pod runs as long as it ran in the trace from when the replay starts it ({@link #leavesAfterStart}). */
    public static PodStream fromTrace(Workload workload, Instant origin, Long horizon, boolean afterStart) {
        DemandTable table = DemandTable.of(workload);
        long end = 0;
        for (PodGroup g : workload.groups()) {
            if (g.lifetime() != null) {
                end = Math.max(end, g.lifetime().arrivalSeconds());
                if (g.lifetime().departureSeconds() != null) {
                    end = Math.max(end, g.lifetime().departureSeconds());
                }
            }
        }
        long h = horizon == null ? end : horizon;
        Builder b = new Builder(table, origin, h);
        if (afterStart) {
            b.runtimes();
        }
        for (int gi = 0; gi < table.groupCount(); gi++) {
            PodGroup g = table.group(gi);
            long a = g.lifetime() == null ? 0 : g.lifetime().arrivalSeconds();
            Long d = g.lifetime() == null ? null : g.lifetime().departureSeconds();
            Long run = g.lifetime() == null ? null : g.lifetime().runSeconds();
            if (a > h || a == h && h > 0) {
                continue; // a pod arriving at the end spends no time in the run (as fromDemand leaves it out): QA 60a F6
            }
            for (int i = 0; i < g.replicas(); i++) {
                int p = b.add(gi, i, a, d == null ? STAYS : d);
                if (afterStart) {
                    b.setRuntime(p, run == null ? -1 : run);
                }
            }
        }
        return b.build();
    }

    /**
     * A workload profile driven by a demand series. When a workload scales down, its newest pods
     * leave first (ReplicaSet scale-down prefers the most recently created of equally ranked pods).
     * Workloads the series does not mention keep their profile's replicas for the whole run.
     */
    public static PodStream fromDemand(Workload workload, DemandSeries series) {
        DemandTable table = DemandTable.of(workload);
        Builder b = new Builder(table, series.origin(), series.horizon());
        int[] alive = new int[16];
        for (int gi = 0; gi < table.groupCount(); gi++) {
            PodGroup g = table.group(gi);
            DemandSeries.Steps steps = series.steps().get(g.name());
            if (steps == null) {
                for (int i = 0; i < g.replicas(); i++) {
                    b.add(gi, i, 0, STAYS);
                }
                continue;
            }
            int live = 0;
            int serial = 0;
            for (int s = 0; s < steps.size(); s++) {
                long t = steps.times()[s];
                if (t >= series.horizon()) {
                    break; // a pod arriving at the end spends no time in the run
                }
                int want = steps.replicas()[s];
                while (live < want) {
                    if (live == alive.length) {
                        alive = Arrays.copyOf(alive, alive.length * 2);
                    }
                    alive[live++] = b.add(gi, serial++, t, STAYS);
                }
                while (live > want) {
                    b.setDeparture(alive[--live], t);
                }
            }
        }
        return b.build();
    }

    /** Collects pods in any order and sorts them by arrival (stable). */
    public static final class Builder {
        private final DemandTable table;
        private final Instant origin;
        private final long horizon;
        private int n;
        private int[] group = new int[64];
        private int[] serial = new int[64];
        private long[] arrive = new long[64];
        private long[] depart = new long[64];
        private long[] runtime;

        public Builder(DemandTable table, Instant origin, long horizon) {
            this.table = table;
            this.origin = origin;
            this.horizon = horizon;
        }

        /** Adds a pod; returns its index in the builder. */
        public int add(int groupIndex, int serialNumber, long arrival, long departure) {
            if (arrival < 0 || departure < arrival) {
                throw new IllegalArgumentException("pod times " + arrival + ".." + departure);
            }
            if (n >= io.nodesizer.input.Inputs.MAX_PODS) {
                throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("demand"),
                        "The demand creates more than " + io.nodesizer.input.Inputs.MAX_PODS
                                + " pods over the run, the most nodesizer replays at once. Shorten the run or lower the replicas.");
            }
            if (n == group.length) {
                int c = n * 2;
                group = Arrays.copyOf(group, c);
                serial = Arrays.copyOf(serial, c);
                arrive = Arrays.copyOf(arrive, c);
                depart = Arrays.copyOf(depart, c);
                runtime = runtime == null ? null : Arrays.copyOf(runtime, c);
            }
            group[n] = groupIndex;
            serial[n] = serialNumber;
            arrive[n] = arrival;
            depart[n] = departure;
            return n++;
        }

        public void setDeparture(int pod, long departure) {
            depart[pod] = departure;
        }

        /** Pods leave a run time after their first start ({@link PodStream#leavesAfterStart}): call before adding any. */
        void runtimes() {
            runtime = new long[group.length];
        }

        void setRuntime(int pod, long seconds) {
            runtime[pod] = seconds;
        }

        public PodStream build() {
            int[] order = sortedBy(arrive, n);
            int[] g = new int[n];
            int[] s = new int[n];
            long[] a = new long[n];
            long[] d = new long[n];
            long[] r = runtime == null ? null : new long[n];
            for (int i = 0; i < n; i++) {
                int p = order[i];
                g[i] = group[p];
                s[i] = serial[p];
                a[i] = arrive[p];
                d[i] = depart[p] > horizon ? STAYS : depart[p];
                if (r != null) {
                    r[i] = runtime[p];
                }
            }
            return new PodStream(table, origin, horizon, g, s, a, d, r);
        }
    }

    /**
     * Indices 0..n-1 ordered by {@code key} ascending, ties by index: a primitive LSD radix sort
     * on (key, index), so that sorting millions of pods allocates no boxes.
     */
    static int[] sortedBy(long[] key, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = key[i - 1] <= key[i];
        }
        if (sorted) {
            return idx;
        }
        int[] tmp = new int[n];
        int[] count = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) ((key[idx[i]] ^ Long.MIN_VALUE) >>> shift) & 0xFFFF]++;
            }
            if (count[(int) ((key[idx[0]] ^ Long.MIN_VALUE) >>> shift) & 0xFFFF] == n) {
                continue;
            }
            int sum = 0;
            for (int b = 0; b < count.length; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int p = idx[i];
                tmp[count[(int) ((key[p] ^ Long.MIN_VALUE) >>> shift) & 0xFFFF]++] = p;
            }
            int[] swap = idx;
            idx = tmp;
            tmp = swap;
        }
        return idx;
    }
}
