package io.nodesizer.fleet;

import io.nodesizer.input.CsvRows;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Resources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of {@code pack --fleet}: an openb node list ({@code sn,cpu_milli,memory_mib,gpu,model};
 * capacities, taken as allocatable since the trace gives no reservation; max pods from
 * {@code --max-pods}, default 110) or a cluster snapshot (allocatable as the kubelet reports it,
 * GPU vendor by the GPU resource names it lists; cordoned and control-plane nodes left out; the
 * pods already bound to a node stay there unless {@code fromEmpty}).
 */
public final class FleetInput {
    public static final int DEFAULT_MAX_PODS = 110;

    private FleetInput() {
    }

    /**
     * A fleet to pack onto: its nodes, and for a snapshot its nodes with the pods they run when
     * they are kept (none with {@code fromEmpty}), which the pod rules then count; null for an
     * openb node list (no labels, so {@link FleetRules} over the packing's own pods).
     *
     * @param keepsRunning whether the nodes start with what runs on them (their DaemonSet pods included)
     * @param pods         the snapshot's pods that stay (bound or pending; from empty, the DaemonSet and static pods
     *                     alone), which the namespaces' ResourceQuotas have admitted already; empty for a node list
     * @param pendingDaemonPods the workload's DaemonSet pods left Pending on a snapshot's nodes ({@link DaemonSetRollout})
     * @param preemptedPods the running pods their preemption evicted, and where each went
     * @param notes         what the rollout of the workload's DaemonSets left as it was (an OnDelete DaemonSet's old pods)
     */
    public record Fleet(List<FleetPacking.FleetNode> nodes, RunningPods running, boolean keepsRunning, List<ClusterSnapshot.Pod> pods,
                        List<PendingDaemonPod> pendingDaemonPods, List<PreemptedPod> preemptedPods, List<String> notes) {
        public Fleet {
            pods = List.copyOf(pods);
            pendingDaemonPods = List.copyOf(pendingDaemonPods);
            preemptedPods = List.copyOf(preemptedPods);
            notes = List.copyOf(notes);
        }

        Fleet(List<FleetPacking.FleetNode> nodes, RunningPods running, boolean keepsRunning, List<ClusterSnapshot.Pod> pods) {
            this(nodes, running, keepsRunning, pods, List.of(), List.of(), List.of());
        }
    }

    /**
     * A pod of the workload's DaemonSet {@code daemonSet} that its controller creates for {@code node} but that
     * kube-scheduler leaves Pending there: {@code reason} says what the node lacks, as NodeResourcesFit's
     * "Insufficient cpu" does, with the amounts.
     */
    public record PendingDaemonPod(String daemonSet, String node, String reason) {
    }

    /**
     * A running pod ({@code namespace/name}, of {@code priority}) that kube-scheduler's preemption evicts from {@code node} to
     * make room for the pod of the workload's DaemonSet {@code daemonSet} there ({@link DaemonSetRollout}), what became of it
     * ({@code outcome}) and where it then runs: {@code movedTo}, or null with {@code why};
     * {@code breaksBudget}: its eviction goes beyond what a PodDisruptionBudget allows (preemption does that only when no other
     * choice makes room: defaultpreemption's filterPodsWithPDBViolation and pickOneNodeForPreemption; QA 70b F16).
     */
    public record PreemptedPod(String pod, int priority, String daemonSet, String node, Outcome outcome, String movedTo, String why,
                               boolean breaksBudget) {
        public PreemptedPod {
            if ((outcome == Outcome.MOVED) != (movedTo != null)) {
                throw new IllegalArgumentException("a preempted pod has a node to run on exactly when it moved: " + outcome + ", " + movedTo);
            }
        }

        /**
         * What became of an evicted pod. REPLACED: a pod of one of the workload's DaemonSets, whose controller creates the new
         * template's pod on the node in its stead; that pod is among the DaemonSet's own (placed, or Pending), so it is not a
         * pod lost (review 71 #5: it was counted twice, as not placed again and as the DaemonSet's Pending pod).
         */
        public enum Outcome {
            MOVED, PENDING, DELETED, REPLACED;

            /** As JSON names it. */
            public String json() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /**
     * @param daemonSets the workload's DaemonSets: they take their share of every node first,
     *                   except on snapshot nodes whose running pods (theirs included) are kept
     */
    public static List<FleetPacking.FleetNode> read(String file, Integer maxPods, boolean fromEmpty,
                                                    List<io.nodesizer.model.DaemonSetSpec> daemonSets) {
        return readFleet(file, maxPods, fromEmpty, daemonSets).nodes();
    }

    /** As {@link #read(String, Integer, boolean, List)}, with the running pods a snapshot keeps. */
    public static Fleet readFleet(String file, Integer maxPods, boolean fromEmpty, List<io.nodesizer.model.DaemonSetSpec> daemonSets) {
        return readFleet(file, maxPods, fromEmpty, daemonSets, java.util.Set.of());
    }

    /**
     * As {@link #readFleet(String, Integer, boolean, List)}, for a workload whose groups are {@code given} ({@code ns/name}):
     * the note on the snapshot's Pending pods tells those of these workloads from the others.
     */
    public static Fleet readFleet(String file, Integer maxPods, boolean fromEmpty, List<io.nodesizer.model.DaemonSetSpec> daemonSets,
                                  java.util.Set<String> given) {
        Read read = readFleet(file, maxPods, fromEmpty, given);
        Fleet fleet = read.fleet();
        if (daemonSets.isEmpty()) {
            return fleet;
        }
        if (fleet.running() == null) {
            // An openb node list: fresh nodes, each DaemonSet taking its share where it runs, as on a new node of the shape,
            // highest priority first as kube-scheduler's queue takes them; one whose request the node's room left cannot hold
            // stays Pending there and takes nothing (its pod is Unschedulable: "Insufficient cpu"), where it was charged
            // beyond the node's allocatable.
            List<io.nodesizer.model.DaemonSetSpec> byPriority = new ArrayList<>(daemonSets);
            byPriority.sort(java.util.Comparator.comparingInt(io.nodesizer.model.DaemonSetSpec::priority).reversed());
            List<FleetPacking.FleetNode> out = new ArrayList<>();
            List<PendingDaemonPod> pending = new ArrayList<>();
            // A node list gives no labels: a DaemonSet selecting on one (the zone, say) is counted on every node, and said so.
            java.util.Set<String> unlabelled = new java.util.LinkedHashSet<>();
            for (FleetPacking.FleetNode n : fleet.nodes()) {
                io.nodesizer.model.NodeShape shape = new io.nodesizer.model.NodeShape(n.name(), "fleet", n.shape(), "amd64", n.allocatable(),
                        n.allocatable(), "none", null, n.gpuModel());
                io.nodesizer.kube.DaemonSetPlacement.Load placed = io.nodesizer.kube.DaemonSetPlacement.on(shape, daemonSets);
                placed.notes().stream().filter(note -> note.contains(io.nodesizer.kube.DaemonSetPlacement.NOT_DETERMINED))
                        .map(note -> note.replace(io.nodesizer.kube.DaemonSetPlacement.NOT_DETERMINED, UNLABELLED) + " (the safe side)")
                        .forEach(unlabelled::add);
                java.util.Set<String> runs = new java.util.HashSet<>(placed.placed());
                Resources load = n.loaded();
                for (io.nodesizer.model.DaemonSetSpec d : byPriority) {
                    if (!runs.contains(d.name())) {
                        continue;
                    }
                    String lacks = lacks(d.request(), n.allocatable().minusFloorZero(load));
                    if (lacks != null) {
                        pending.add(new PendingDaemonPod(d.name(), n.name(), lacks));
                    } else {
                        load = load.plus(d.request());
                    }
                }
                out.add(n.withLoaded(load));
            }
            return new Fleet(out, null, fleet.keepsRunning(), fleet.pods(), pending, List.of(),
                    java.util.stream.Stream.concat(fleet.notes().stream(), unlabelled.stream()).toList());
        }
        // A snapshot's node: its own labels and taints say which DaemonSets run there (a selector's key the node lacks is not
        // met, as on the real node); it already holds the DaemonSet pods it runs, so a DaemonSet of the workload without a pod
        // there is a new one the controller starts, and one with a pod is rolled to the workload's template.
        DaemonSetRollout.Outcome started = DaemonSetRollout.run(fleet.nodes(), fleet.running(), daemonSets, read.budgets());
        return new Fleet(started.nodes(), started.running(), fleet.keepsRunning(), fleet.pods(), started.pending(), started.preempted(),
                java.util.stream.Stream.concat(fleet.notes().stream(), started.notes().stream()).toList());
    }

    /** How a DaemonSet's note on a label a node list's nodes do not carry words it ({@link #readFleet}). */
    private static final String UNLABELLED = ", which the nodes of an openb node list do not carry (it gives no labels)";

    /**
     * What {@code free} lacks of {@code request}, resource by resource in kube-scheduler's words with the amounts
     * ("Insufficient cpu: needs 1.5 CPU, 0.795 CPU free"; noderesources/fit.go {@code fitsRequest}), or null when it fits.
     */
    static String lacks(Resources request, Resources free) {
        List<String> out = new ArrayList<>();
        for (io.nodesizer.model.Resource r : io.nodesizer.model.Resource.values()) {
            if (request.get(r) > free.get(r)) {
                out.add((r == io.nodesizer.model.Resource.PODS ? "Too many pods" : "Insufficient " + r.kubernetesName()) + ": needs "
                        + io.nodesizer.engine.Amounts.format(r, request.get(r)) + " " + io.nodesizer.engine.Amounts.unit(r) + ", "
                        + io.nodesizer.engine.Amounts.format(r, free.get(r)) + " " + io.nodesizer.engine.Amounts.unit(r) + " free");
            }
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** The CPU and memory of {@code request} with their units ("1 CPU, 2 GiB"; a GPU too when it has one). */
    static String amounts(Resources request) {
        List<String> out = new ArrayList<>();
        for (io.nodesizer.model.Resource r : List.of(io.nodesizer.model.Resource.CPU, io.nodesizer.model.Resource.MEMORY, io.nodesizer.model.Resource.GPU)) {
            if (request.get(r) > 0 || r == io.nodesizer.model.Resource.CPU) {
                out.add(io.nodesizer.engine.Amounts.format(r, request.get(r)) + " " + io.nodesizer.engine.Amounts.unit(r));
            }
        }
        return String.join(", ", out);
    }

    /**
     * Whether a pipe's copy starts with a CSV header ({@code --fleet <(cat nodes.csv)}: no extension tells it): a first line
     * with a comma and no colon, which a YAML or JSON snapshot's first line has.
     */
    private static boolean csvHeader(Path copy) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(io.nodesizer.input.TextFiles.reader(copy))) {
            String line = r.readLine();
            return line != null && line.contains(",") && !line.contains(":") && !line.strip().startsWith("{");
        } catch (java.io.IOException | io.nodesizer.input.InputException e) {
            return false; // the snapshot's reading says what is wrong
        }
    }

    public static List<FleetPacking.FleetNode> read(String file, Integer maxPods, boolean fromEmpty) {
        return readFleet(file, maxPods, fromEmpty, java.util.Set.of()).fleet().nodes();
    }

    /** A fleet as read, with its snapshot's PodDisruptionBudgets as preemption reads them, computed when first asked for. */
    private record Read(Fleet fleet, java.util.function.Supplier<io.nodesizer.kube.PreemptionBudgets> budgets) {
    }

    private static Read readFleet(String file, Integer maxPods, boolean fromEmpty, java.util.Set<String> given) {
        // One copy of a pipe for the header's look and the read, also outside a command run (review 63 item 10).
        try (io.nodesizer.input.RunInputs.Scope run = io.nodesizer.input.RunInputs.open()) {
            return readFleetOnce(file, maxPods, fromEmpty, given);
        }
    }

    private static Read readFleetOnce(String file, Integer maxPods, boolean fromEmpty, java.util.Set<String> given) {
        Path path = Path.of(file);
        if (file.endsWith(".csv") || !file.contains(",") && io.nodesizer.input.RunInputs.stream(path)
                && csvHeader(io.nodesizer.input.RunInputs.file(path, file))) {
            String notAFile = io.nodesizer.input.Unreadable.notAFile(path, "fleet file");
            if (notAFile != null) {
                throw new InputException(SourceLocation.ofFile(file), notAFile);
            }
            // A FIFO named nodes.csv is read once per run, as --pods reads one.
            return new Read(new Fleet(openbNodes(io.nodesizer.input.RunInputs.file(path, file), file, maxPods == null ? DEFAULT_MAX_PODS : maxPods),
                    null, false, List.of()), null);
        }
        // A snapshot as --snapshot takes one: files (nodes.json,pods.json), a directory, '-'.
        ClusterSnapshot read = SnapshotReader.read(List.of(file.split(",")));
        io.nodesizer.input.AmountTotals.check(read); // sums past a long (QA 55b F8)
        // From empty, the nodes keep their DaemonSet and static pods: those come with every node (the controller and the
        // kubelet start them again), only the workload's pods are placed afresh (QA 47: 3.8-CPU pods were placed on
        // 3.92-CPU nodes whose DaemonSets take 0.225).
        ClusterSnapshot s = fromEmpty ? new ClusterSnapshot(read.nodes(), read.pods().stream()
                .filter(p -> p.nodeName() != null && (p.daemonSet() || p.staticPod())).toList(), read.sources()) : read;
        Map<String, long[]> loaded = new HashMap<>();
        for (ClusterSnapshot.Pod p : s.pods()) {
            if (p.nodeName() != null) {
                long[] sum = loaded.computeIfAbsent(p.nodeName(), k -> new long[Resources.ZERO.toArray().length]);
                long[] r = p.request().toArray();
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += r[k];
                }
            }
        }
        List<FleetPacking.FleetNode> out = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        for (ClusterSnapshot.Node n : s.nodes()) {
            if (n.worker() && n.notReady() != null && !n.unschedulable() && n.deletedBy() == null) {
                notReady.add(n.name());
            }
            // A node the node lifecycle controller taints not-ready, unreachable or out-of-service is no room either (QA 74 F2):
            // kube-scheduler's TaintToleration keeps off every pod without the toleration for its NoSchedule taint (a DaemonSet's
            // pods get only the NoExecute ones), and one that has it is bound to a node whose kubelet does not run it.
            if (n.closedToMoves() || !n.worker()) {
                continue;
            }
            long[] l = loaded.get(n.name());
            out.add(new FleetPacking.FleetNode(n.name(), n.instanceType() == null ? n.pool() : n.instanceType(), n.allocatable(),
                    io.nodesizer.model.GpuModels.fromProductLabel(n.labels().get("nvidia.com/gpu.product")),
                    l == null ? Resources.ZERO : Resources.of(l), n.labels(), n.schedulingTaints(), n.gpuVendor()));
        }
        if (out.isEmpty()) {
            // Why, by state (review 74b #6: a fleet of not-ready nodes only got the bare message).
            long workers = s.nodes().stream().filter(ClusterSnapshot.Node::worker).count();
            throw new InputException(SourceLocation.ofFile(file), "The snapshot has no schedulable worker node to pack onto"
                    + (workers == 0 ? " (it has no worker node)." : ": of its " + workers + " worker " + (workers == 1 ? "node" : "nodes")
                    + (notReady.isEmpty() ? "" : ", " + notReady.size() + " not ready or unreachable") + (workers > notReady.size()
                    ? ", " + (workers - notReady.size()) + " cordoned or being deleted" : "") + "."));
        }
        io.nodesizer.kube.PreemptionBudgets[] budgets = new io.nodesizer.kube.PreemptionBudgets[1];
        List<String> notes = new ArrayList<>();
        if (!notReady.isEmpty()) {
            boolean one = notReady.size() == 1;
            notes.add(notReady.size() + (one ? " node" : " nodes") + " of the snapshot not ready or unreachable (the node lifecycle "
                    + "controller's node.kubernetes.io/not-ready, unreachable or out-of-service taint, or a Ready condition not True) "
                    + (one ? "is" : "are") + " left out of the fleet, as cordoned nodes are: " + io.nodesizer.model.NameLists.firstOf(notReady, 3));
        }
        if (!fromEmpty) {
            notes.addAll(waiting(s.pods(), new io.nodesizer.analyze.WorkloadOwners(read), given));
            String unlisted = io.nodesizer.analyze.SnapshotCaveats.onUnlistedNodes(s, "packing"); // QA 78c F4, as consolidate says it
            if (unlisted != null) {
                notes.add(unlisted);
            }
        }
        return new Read(new Fleet(out, RunningPods.of(s, out), true, s.pods(), List.of(), List.of(), notes), () -> {
            if (budgets[0] == null) {
                budgets[0] = io.nodesizer.kube.PreemptionBudgets.of(read); // every budget of the snapshot, from empty too
            }
            return budgets[0];
        });
    }

    /**
     * Notes on the snapshot's Pending pods (no node yet), which this packing does not place: kube-scheduler has them in its
     * queue, highest priority first (PrioritySort), for the room the workload's pods are given here (QA 70b F14: they were
     * left out without a word). Those of a workload among {@code given} (their owner chain's, {@link
     * io.nodesizer.analyze.WorkloadOwners#workloadOf}) are said apart: the advice to give their workloads in --pods is for
     * the others (review 71 #10). Empty when there are none.
     */
    private static List<String> waiting(List<ClusterSnapshot.Pod> pods, io.nodesizer.analyze.WorkloadOwners owners, java.util.Set<String> given) {
        List<ClusterSnapshot.Pod> pending = new ArrayList<>(pods.stream().filter(p -> p.nodeName() == null).toList());
        pending.sort(ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST);
        List<String> others = new ArrayList<>();
        java.util.Set<String> theirs = new java.util.LinkedHashSet<>();
        int ofGiven = 0;
        for (ClusterSnapshot.Pod p : pending) {
            String workload = owners.workloadOf(p).fullName();
            if (given.contains(workload)) {
                ofGiven++;
                theirs.add(workload);
            } else {
                others.add(p.fullName() + " (priority " + p.priority() + ")");
            }
        }
        List<String> notes = new ArrayList<>();
        boolean one = others.size() == 1;
        if (!others.isEmpty()) {
            notes.add(others.size() + (one ? " Pending pod" : " Pending pods") + " of the snapshot " + (one ? "is" : "are") + " not packed: "
                    + "kube-scheduler has " + (one ? "it" : "them") + " in its queue for the same room, highest priority first ("
                    + io.nodesizer.model.NameLists.firstOf(others, 3) + "); give " + (one ? "its workload" : "their workloads")
                    + " in --pods to pack " + (one ? "it" : "them") + " too");
        }
        if (ofGiven > 0) {
            notes.add(ofGiven + (ofGiven == 1 ? " Pending pod" : " Pending pods") + " of the snapshot " + (ofGiven == 1 ? "is" : "are")
                    + " of " + (theirs.size() == 1 ? "a workload" : "workloads") + " given in --pods (" + io.nodesizer.model.NameLists
                    .firstOf(List.copyOf(theirs), 3) + "): not packed as well, the packing places " + (theirs.size() == 1 ? "its" : "their")
                    + " pods as --pods gives them beside those running");
        }
        return notes;
    }

    private static List<FleetPacking.FleetNode> openbNodes(Path path, String file, int maxPods) {
        List<FleetPacking.FleetNode> out = new ArrayList<>();
        List<io.nodesizer.model.SourceRef> lines = new ArrayList<>();
        try (CsvRows rows = CsvRows.open(path, file)) {
            for (String required : List.of("sn", "cpu_milli", "memory_mib", "gpu")) {
                if (rows.column(required) < 0) {
                    throw new InputException(SourceLocation.of(file, rows.headerLine()), "The fleet CSV must be an openb node list "
                            + "(sn,cpu_milli,memory_mib,gpu,model); it has no column '" + required + "' (found "
                            + String.join(",", rows.header()) + ").");
                }
            }
            int sn = rows.column("sn");
            int cpu = rows.column("cpu_milli");
            int mem = rows.column("memory_mib");
            int gpu = rows.column("gpu");
            int model = rows.column("model");
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            rows.forEach(row -> {
                String name = row.get(sn);
                if (name.isBlank()) {
                    // The assignments name the node each pod goes to: an empty name reads as no node (QA 68c F9).
                    throw new InputException(SourceLocation.of(file, row.line(), 0, "sn"), "The node name (sn) must not be empty.");
                }
                // Pods are matched to nodes by name and the assignments name them: two nodes of one name cannot be told apart,
                // as two pods of one name cannot (QA 51b).
                Integer first = seen.putIfAbsent(name, row.line());
                if (first != null) {
                    throw new InputException(SourceLocation.of(file, row.line(), 0, "sn"), "The node name '" + name + "' is used twice; "
                            + "first at line " + first + ". Names must be unique.");
                }
                long c = Values.integer(row.get(cpu), SourceLocation.of(file, row.line(), 0, "cpu_milli"), "cpu_milli of " + name, 1L << 40);
                long m = Values.integer(row.get(mem), SourceLocation.of(file, row.line(), 0, "memory_mib"), "memory_mib of " + name, 1L << 40);
                long g = Values.integer(row.get(gpu), SourceLocation.of(file, row.line(), 0, "gpu"), "gpu of " + name, 64);
                String gm = model < 0 ? "" : row.get(model);
                Resources alloc = new Resources(c, m << 20, maxPods, g * 1000, 0);
                String shape = (c / 1000) + "c-" + (m / 1024) + "g" + (g > 0 ? "-" + g + "gpu" + (gm.isEmpty() ? "" : "-" + gm) : "");
                out.add(new FleetPacking.FleetNode(name, shape, alloc, g > 0 ? gm : "", Resources.ZERO));
                lines.add(new io.nodesizer.model.SourceRef(file, row.line()));
            });
        }
        if (out.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(file), "The fleet CSV has no nodes.");
        }
        // Each row's 2^40 MiB is a node of 1Ei; their sum is capped as a snapshot's nodes' is.
        List<Integer> rowsRead = java.util.stream.IntStream.range(0, out.size()).boxed().toList();
        io.nodesizer.input.AmountTotals.checkNodes(rowsRead, "allocatable", i -> out.get(i).allocatable(), lines::get, i -> out.get(i).name());
        return out;
    }
}
