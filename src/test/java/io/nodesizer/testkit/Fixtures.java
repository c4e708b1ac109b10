package io.nodesizer.testkit;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builders and seeded generators for tests: the canonical tiny cluster and random workloads. */
public final class Fixtures {
    public static final long GIB = 1024L * 1024 * 1024;
    public static final long MIB = 1024L * 1024;

    private Fixtures() {
    }

    public static Resources res(long cpuMillis, long memoryBytes) {
        return new Resources(cpuMillis, memoryBytes, 1, 0, 0);
    }

    public static PodGroup group(String name, long cpuMillis, long memoryBytes, int replicas) {
        return new PodGroup(name, "test", res(cpuMillis, memoryBytes), replicas, false, null, new SourceRef("test.csv", 1));
    }

    public static PodGroup group(String name, Resources request, int replicas) {
        return new PodGroup(name, "test", request, replicas, false, null, new SourceRef("test.csv", 1));
    }

    /**
     * A group whose one container asks for {@code gpus} whole GPUs of {@code vendor}'s device-plugin
     * resource ({@code nvidia}: {@code nvidia.com/gpu}), with 1 CPU and 1 GiB each.
     */
    public static PodGroup gpuGroup(String name, int gpus, String vendor, int replicas) {
        Resources request = new Resources(1000, GIB, 1, gpus * 1000L, 0);
        io.nodesizer.model.PodTemplate template = new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container(
                "app", io.nodesizer.model.PodTemplate.Role.APP, request, Resources.ZERO, true, true)), Resources.ZERO, null, vendor);
        return new PodGroup(name, "test", request, replicas, false, null, new SourceRef("test.yaml", 1), List.of(), template);
    }

    /**
     * A snapshot's GPU Node, as an item of a YAML {@code List}: an instance type (priced by the
     * bundled catalogs), {@code cpu} CPUs, and {@code gpus} of the GPU {@code resource} its device
     * plugin advertises ({@code nvidia.com/gpu}, {@code amd.com/gpu}) in capacity and allocatable.
     */
    public static String gpuNodeItem(String name, String instanceType, int cpu, String resource, int gpus) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {node.kubernetes.io/instance-type: %s, kubernetes.io/arch: amd64}}
                  status:
                    capacity: {cpu: "%d", memory: 64Gi, pods: "58", %s: "%d"}
                    allocatable: {cpu: "%d", memory: 60Gi, pods: "58", %s: "%d"}
                """.formatted(name, instanceType, cpu, resource, gpus, cpu, resource, gpus);
    }

    /**
     * A snapshot's Pod of the ReplicaSet ml/render-rs, as an item of a YAML {@code List}: 2 CPU, 4 GiB
     * and one GPU of {@code resource}, bound to {@code node} (Running), or Pending when it is null.
     */
    public static String gpuPodItem(String name, String node, String resource) {
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: ml, ownerReferences: [{kind: ReplicaSet, name: render-rs, controller: true}]}
                  spec: {%scontainers: [{name: app, resources: {requests: {cpu: "2", memory: 4Gi}, limits: {%s: "1"}}}]}
                  status: {phase: %s}
                """.formatted(name, node == null ? "" : "nodeName: " + node + ", ", resource, node == null ? "Pending" : "Running");
    }

    /** A node with allocatable == capacity (no reservation), {@code pods} slots and a price. */
    /** A required pod (anti-)affinity term on the hostname selecting {@code app=<app>}. */
    public static io.nodesizer.model.Placement.PodAffinityTerm selectsApp(String app) {
        return new io.nodesizer.model.Placement.PodAffinityTerm(java.util.Map.of("app", app), List.of(), List.of(), false, false,
                io.nodesizer.kube.PodConflicts.HOSTNAME);
    }

    /**
     * A PodDisruptionBudget {@code name} in namespace shop selecting {@code selector} (empty: every pod of the namespace),
     * with {@code minAvailable} {@code min} and {@code maxUnavailable} {@code max} (null: not set).
     */
    /**
     * The snapshot with node {@code name}'s status.conditions set (type → status): how a snapshot taken before the
     * node lifecycle controller tainted a NotReady node reads.
     */
    public static io.nodesizer.model.ClusterSnapshot withConditions(io.nodesizer.model.ClusterSnapshot s, String name,
                                                                     java.util.Map<String, String> conditions) {
        List<io.nodesizer.model.ClusterSnapshot.Node> nodes = s.nodes().stream()
                .map(n -> n.name().equals(name) ? n.withConditions(conditions) : n).toList();
        return new io.nodesizer.model.ClusterSnapshot(nodes, s.pods(), s.sources(), s.autoscalers(), s.budgets(), s.controllers());
    }

    public static io.nodesizer.model.DisruptionBudget budget(String name, java.util.Map<String, String> selector, String min, String max) {
        return new io.nodesizer.model.DisruptionBudget("shop", name, new io.nodesizer.model.Placement.PodAffinityTerm(selector, List.of(),
                List.of("shop"), false, false, ""), null, min, max, new io.nodesizer.model.SourceRef("t", 1));
    }

    /** {@code g} with a pod spec of one container of its request, its pods covered by {@code budgets} (as a reader resolves them). */
    public static PodGroup budgeted(PodGroup g, List<io.nodesizer.model.DisruptionBudget> budgets) {
        io.nodesizer.model.PodTemplate t = new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container("c",
                        io.nodesizer.model.PodTemplate.Role.APP, g.request(), Resources.ZERO, true, true)), Resources.ZERO, null,
                "nvidia.com", null, null, null, null)
                .withEviction(new io.nodesizer.model.PodTemplate.Eviction(null, null, false, budgets));
        return new PodGroup(g.name(), g.kind(), g.request(), g.replicas(), g.singlePod(), g.lifetime(), g.origin(), g.gpuModels(), t,
                g.placement(), g.priority());
    }

    /** A group labelled {@code app=<app>} in namespace shop (1 GiB, 1 pod slot per replica) with these required pod rules. */
    public static PodGroup app(String app, long cpuMillis, int replicas, List<io.nodesizer.model.Placement.PodAffinityTerm> antiAffinity,
                               List<io.nodesizer.model.Placement.PodAffinityTerm> affinity) {
        io.nodesizer.model.Placement p = new io.nodesizer.model.Placement(java.util.Map.of(), null, List.of(), "shop",
                java.util.Map.of("app", app), antiAffinity, affinity);
        return new PodGroup(app, "test", new Resources(cpuMillis, GIB, 1, 0, 0), replicas, false, null,
                new io.nodesizer.model.SourceRef("t", 1), List.of(), null, p);
    }

    public static NodeShape shape(String name, long cpuMillis, long memoryBytes, long pods, Double price) {
        Resources cap = new Resources(cpuMillis, memoryBytes, pods, 0, 0);
        return new NodeShape(name, "test", "test", "amd64", cap, cap, "none", price);
    }

    public static NodeShape shape(String name, Resources allocatable) {
        return new NodeShape(name, "test", "test", "amd64", allocatable, allocatable, "none", 1.0);
    }

    /** A 110-pod node with CPU, memory, GPUs (thousandths) and a price: a candidate of a mix. */
    public static NodeShape priced(String name, long cpuMillis, long memoryBytes, long gpuMillis, double price) {
        Resources r = new Resources(cpuMillis, memoryBytes, 110, gpuMillis, 0);
        return new NodeShape(name, "test", "test", "amd64", r, r, "none", price);
    }

    /** One problem per shape over one demand table, without DaemonSets: the candidates of a mix. */
    public static List<io.nodesizer.engine.PackingProblem> problems(Workload w, List<NodeShape> shapes) {
        io.nodesizer.engine.DemandTable table = io.nodesizer.engine.DemandTable.of(w);
        List<io.nodesizer.engine.PackingProblem> out = new ArrayList<>();
        for (NodeShape s : shapes) {
            out.add(new io.nodesizer.engine.PackingProblem(table, s, Resources.ZERO));
        }
        return out;
    }

    public static double[] prices(List<NodeShape> shapes) {
        return shapes.stream().mapToDouble(NodeShape::pricePerHourUsd).toArray();
    }

    /**
     * A random workload: {@code groups} groups with 1..maxReplicas replicas, CPU 10m..maxCpu,
     * memory 16Mi..maxMem, sometimes GPUs; deterministic for a seed.
     */
    public static Workload randomWorkload(long seed, int groups, int maxReplicas, long maxCpu, long maxMem, boolean gpus) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PodGroup> out = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            long cpu = 10 + random.nextLong(maxCpu);
            long mem = 16 * MIB + random.nextLong(maxMem);
            long gpu = gpus && random.nextInt(4) == 0 ? 1000L * (1 + random.nextInt(2)) : 0;
            long extraSlots = random.nextInt(20) == 0 ? 1 : 0;
            out.add(group("g" + i, new Resources(cpu, mem, 1 + extraSlots, gpu, 0), 1 + random.nextInt(maxReplicas)));
        }
        return Workload.of(out);
    }
}
