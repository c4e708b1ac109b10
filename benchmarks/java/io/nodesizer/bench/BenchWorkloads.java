package io.nodesizer.bench;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic workloads for the benchmarks, sized like Kubernetes' documented limits
 * (150,000 pods, 5,000 nodes, so about 30 pods per node).
 *
 * <ul>
 *   <li>{@code replicated}: about 2,000 pod templates with 1–150 replicas each (Deployments);</li>
 *   <li>{@code distinct}: 150,000 pods with pairwise different requests (a trace).</li>
 * </ul>
 * CPU requests are log-uniform from 50m to 2 CPU; memory is 32 MiB plus 1–8 GiB per requested
 * core, so the workload mixes CPU-heavy and memory-heavy pods.
 */
final class BenchWorkloads {
    static final int PODS = 150_000;

    private BenchWorkloads() {
    }

    static Workload workload(String kind, int pods, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PodGroup> groups = new ArrayList<>();
        int total = 0;
        int i = 0;
        boolean replicated = kind.equals("replicated");
        while (total < pods) {
            int replicas = replicated ? 1 + random.nextInt(150) : 1;
            replicas = Math.min(replicas, pods - total);
            long cpu = (long) (50 * Math.pow(40, random.nextDouble()));
            long memory = (32L << 20) + (long) (cpu * (1 + random.nextDouble() * 7) * (1L << 20));
            groups.add(new PodGroup("w" + i++, "bench", new Resources(cpu, memory, 1, 0, 0), replicas, false, null,
                    new SourceRef("bench", 1)));
            total += replicas;
        }
        return Workload.of(groups);
    }

    /** An m5.4xlarge as EKS allocates it: 15,890 m, 62,607 MiB, 234 pods. */
    static NodeShape m5x4() {
        Resources cap = new Resources(16_000, 65_536L << 20, 234, 0, 0);
        Resources alloc = new Resources(15_890, 62_607L << 20, 234, 0, 0);
        return new NodeShape("m5.4xlarge", "aws", "m5", "amd64", cap, alloc, "eks", 0.768);
    }

    /** {@code count} distinct shapes: vCPU 2–96 × GiB/vCPU 1–16, allocatable a little below capacity. */
    static List<NodeShape> shapes(int count) {
        int[] cpus = {2, 4, 8, 12, 16, 24, 32, 48, 64, 72, 96};
        double[] ratios = {1, 1.5, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16};
        List<NodeShape> out = new ArrayList<>();
        int pods = 0;
        outer:
        for (int podsPerNode : new int[] {110, 58, 234}) {
            for (int cpu : cpus) {
                for (double ratio : ratios) {
                    if (out.size() == count) {
                        break outer;
                    }
                    long mib = (long) (cpu * ratio * 1024);
                    Resources cap = new Resources(cpu * 1000L, mib << 20, podsPerNode, 0, 0);
                    Resources alloc = new Resources(cpu * 1000L - 60 - cpu * 5L, (mib - Math.min(255 + 11L * podsPerNode, mib / 4) - 100) << 20, podsPerNode, 0, 0);
                    out.add(new NodeShape("s" + (pods++) + "-" + cpu + "c-" + ratio + "r-" + podsPerNode + "p", "bench", "bench", "amd64",
                            cap, alloc, "bench", cpu * 0.0316 + cpu * ratio * 0.0042));
                }
            }
        }
        if (out.size() < count) {
            throw new IllegalStateException("only " + out.size() + " shapes");
        }
        return out;
    }

    /**
     * {@code w} with group g's pods labelled {@code app=g<g>} (namespace bench), its required pod
     * anti-affinity terms and hard spreads from {@code antiAffinity} and {@code spreads} (given g).
     */
    static Workload withRules(Workload w, java.util.function.IntFunction<List<Placement.PodAffinityTerm>> antiAffinity,
                              java.util.function.IntFunction<List<Placement.Spread>> spreads) {
        List<PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < w.groups().size(); g++) {
            PodGroup pg = w.groups().get(g);
            groups.add(new PodGroup(pg.name(), pg.kind(), pg.request(), pg.replicas(), pg.singlePod(), null, pg.origin(), List.of(), null,
                    new Placement(java.util.Map.of(), null, List.of(), "bench", java.util.Map.of("app", "g" + g), antiAffinity.apply(g),
                            List.of(), spreads.apply(g))));
        }
        return Workload.of(groups);
    }

    /** A term selecting group g's pods ({@code app=g<g>}, {@link #withRules}) on topology key {@code key}. */
    static Placement.PodAffinityTerm selecting(int g, String key) {
        return new Placement.PodAffinityTerm(java.util.Map.of("app", "g" + g), List.of(), List.of(), false, false, key);
    }
}
