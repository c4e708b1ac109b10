package io.nodesizer.bench;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.ProvisionDelay;
import io.nodesizer.replay.Replay;
import io.nodesizer.replay.ReplayResult;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.autoscale.Schedule;
import io.nodesizer.replay.autoscale.Scheduled;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.input.SourceLocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Replays, one thread. {@code synthetic1M}: 500,000 pods (1,000,000 arrive/leave events) over a
 * week with a daily wave, each living 20 min to 4 h, on EKS m5.4xlarge nodes (about 1,090 at the
 * peak with {@code size=full}, 280 with {@code quarter}), provisioning 4 min (Karpenter 60 s). {@code openbDefault}: the Alibaba openb default trace (8,152 pods,
 * 149 days) on an m5.4xlarge pool, plus GPU-less pods only; skipped without ../shared/data.
 *
 * <p>Run: {@code benchmarks/run ReplayBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ReplayBenchmark {
    static final Path OPENB = Path.of("../shared/data/traces/alibaba-openb/openb_pod_list_default.csv");

    @Param({"none", "ca", "karpenter", "scheduled"})
    public String autoscaler;

    /** Pod sizes: full (about 1,090 m5.4xlarge nodes at the peak) or quarter (requests / 4, about 280 nodes). */
    @Param({"quarter", "full"})
    public String size;

    /**
     * How the scheduler scores: NodeResourcesFit MostAllocated alone; the bin-packing profile with
     * its preference plugins; or the default profile ({@code replay}'s default: LeastAllocated +
     * BalancedAllocation + the preference plugins). With a profile the pods are a controller's, so
     * PodTopologySpread's system defaults (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) score them.
     */
    @Param({"most-allocated", "bin-packing-profile", "default-profile"})
    public String scheduler;

    private PodStream synthetic;
    private PodStream openb;
    private List<Pool> pools;

    @Setup
    public void setUp() {
        synthetic = synthetic(500_000, 7 * 86400, 42, size.equals("full") ? 1 : 4, profile() != null);
        pools = List.of(Pool.of(0, BenchWorkloads.m5x4(), Resources.ZERO));
        if (Files.exists(OPENB)) {
            Workload w = Inputs.read(List.of(OPENB));
            openb = PodStream.fromTrace(w, TimePoints.DEFAULT_ORIGIN, null);
        }
    }

    /** 500,000 pods from 12 shop-like profiles, arrivals following a daily wave. */
    static PodStream synthetic(int pods, long horizon, long seed, int divide) {
        return synthetic(pods, horizon, seed, divide, false);
    }

    /** @param controlled whether the pods are a controller's, so that the system default spreading scores them */
    static PodStream synthetic(int pods, long horizon, long seed, int divide, boolean controlled) {
        long[][] profiles = {{250, 512}, {500, 768}, {750, 1024}, {1000, 2048}, {2000, 4096}, {500, 6144},
                {4000, 28672}, {250, 384}, {100, 256}, {1500, 1024}, {2000, 8192}, {6000, 24576}};
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < profiles.length; i++) {
            groups.add(new PodGroup("w" + i, "bench", Resources.of(new long[]{profiles[i][0] / divide, (profiles[i][1] << 20) / divide, 1, 0, 0}), 1,
                    false, null, new io.nodesizer.model.SourceRef("bench", 1), List.of(), null,
                    controlled ? io.nodesizer.model.Placement.ANY.withPreferences(io.nodesizer.model.Placement.Preferences.SYSTEM_SPREAD)
                            : io.nodesizer.model.Placement.ANY));
        }
        DemandTable table = DemandTable.of(Workload.of(groups));
        PodStream.Builder b = new PodStream.Builder(table, TimePoints.DEFAULT_ORIGIN, horizon);
        SplittableRandom r = new SplittableRandom(seed);
        int made = 0;
        int[] serial = new int[profiles.length];
        while (made < pods) {
            long t = r.nextLong(horizon);
            double wave = 0.3 + 0.7 * (1 + Math.cos(2 * Math.PI * ((t % 86400) / 3600.0 - 14) / 24)) / 2;
            if (r.nextDouble() > wave) {
                continue;
            }
            int g = r.nextInt(profiles.length);
            long life = 1200 + r.nextLong(4 * 3600 - 1200);
            b.add(g, serial[g]++, t, Math.min(horizon, t + life) == horizon ? PodStream.STAYS : t + life);
            made++;
        }
        return b.build();
    }

    private Autoscaler model(PodStream stream) {
        return switch (autoscaler) {
            case "none" -> new FixedCount(stream != synthetic ? 12 : size.equals("full") ? 1100 : 280);
            case "ca" -> new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 5000), 1);
            case "karpenter" -> new Karpenter(Karpenter.Settings.defaults(5000));
            default -> new Scheduled(new ClusterAutoscaler(ClusterAutoscaler.Settings.defaults(0, 5000), 1),
                    new Schedule(List.of(Schedule.parseInline("Mon-Fri 08:00-20:00 min=" + (stream != synthetic ? 150 : size.equals("full") ? 600 : 150), SourceLocation.ofFile("bench")))),
                    stream.origin(), io.nodesizer.replay.autoscale.WeekClock.UTC, 1);
        };
    }

    /** The scheduler profile the {@link #scheduler} parameter names, or null for NodeResourcesFit alone. */
    private io.nodesizer.engine.strategy.KubeScheduler.Scoring profile() {
        return switch (scheduler) {
            case "bin-packing-profile" -> io.nodesizer.engine.strategy.KubeScheduler.Scoring.BIN_PACKING_PROFILE;
            case "default-profile" -> io.nodesizer.engine.strategy.KubeScheduler.Scoring.DEFAULT_PROFILE;
            default -> null;
        };
    }

    private ReplayResult run(PodStream stream) {
        Replay.Settings d = Replay.Settings.defaults(ProvisionDelay.fixed(autoscaler.equals("karpenter") ? 60 : 240), 1);
        Replay.Settings s = profile() == null ? d : new Replay.Settings(d.delay(), d.drainDelay(), d.seed(), profile(),
                d.sampleStep(), d.denseTicks(), d.warmStart(), d.slowPodSeconds(), d.zones());
        return Replay.run(stream, pools, model(stream), s);
    }

    @Benchmark
    public ReplayResult synthetic1M() {
        return run(synthetic);
    }

    @Benchmark
    public ReplayResult openbDefault() {
        if (openb == null) {
            throw new IllegalStateException("skipped: " + OPENB + " is absent (the shared data folder)");
        }
        return run(openb);
    }
}
