package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.kube.DaemonSetPlacement;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.MixedPools;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a workload that some priced candidate places, which {@code recommend --max-pools}
 * plans its mix for. Pods that fit none of the priced candidates (an openb trace's GPU pods whose
 * model no catalog type has, a pod larger than every shape) stay Pending on any mix, as they do on
 * every single shape; planning without them keeps the mix for the rest instead of giving up on it,
 * and they are reported beside it with their reason ({@link MixPlanner.Mix#leftOut}).
 *
 * <p>The single shapes' evaluations and packings are of the whole workload. For the part, a priced
 * shape that leaves out exactly these pods places all of it: its evaluation is made complete
 * ({@link #adapt}) and its packing carried over to the part's table ({@link #packingOf}), so that
 * the mix still starts from, and is compared with, the best such shape. Pending pods count in no
 * topology spread and satisfy no pod affinity, so leaving them out changes no other pod's rules.
 */
public final class PlaceablePart {
    private final Workload workload;
    private final DemandTable table;
    private final List<ShapeEvaluation.UnschedulableGroup> leftOut;
    private final int leftOutPods;
    private final java.util.function.Function<ShapeEvaluation, PackingResult> wholePacking;
    /** Per group of the whole workload, its index in the part; -1 when left out. */
    private final int[] partGroup;
    /** Per evaluation {@link #adapt} made complete, the evaluation of the whole workload it stands for. */
    private final Map<ShapeEvaluation, ShapeEvaluation> whole = new IdentityHashMap<>();

    private PlaceablePart(Workload workload, DemandTable table, List<ShapeEvaluation.UnschedulableGroup> leftOut,
                          java.util.function.Function<ShapeEvaluation, PackingResult> wholePacking, int[] partGroup) {
        this.workload = workload;
        this.table = table;
        this.leftOut = List.copyOf(leftOut);
        this.leftOutPods = leftOut.stream().mapToInt(ShapeEvaluation.UnschedulableGroup::pods).sum();
        this.wholePacking = wholePacking;
        this.partGroup = partGroup;
    }

    /**
     * @param zoned     the table the sweep packed with (its zones)
     * @param ranked    the sweep's evaluations (their priced shapes are the mix's candidates)
     * @param packingOf the packing behind an evaluation of the whole workload
     */
    public static PlaceablePart of(Workload workload, DemandTable zoned, List<ShapeEvaluation> ranked,
                                   java.util.function.Function<ShapeEvaluation, PackingResult> packingOf) {
        List<NodeShape> priced = ranked.stream().map(ShapeEvaluation::shape).filter(PlaceablePart::priced).toList();
        if (priced.isEmpty()) {
            return new PlaceablePart(workload, zoned, List.of(), packingOf, null); // MixPlanner says there is no price to choose by
        }
        // The candidates as MixPlanner sees them: one table whose DaemonSet pods are those that run on some candidate. Built one
        // at a time as fitNone reads them, and only until every group fits one (MixPlanner builds them all again for the mix).
        DemandTable table = DemandTable.of(workload).runningOn(priced);
        Iterable<PackingProblem> problems = () -> priced.stream().map(shape -> {
            DaemonSetPlacement.Load ds = DaemonSetPlacement.on(shape, workload.daemonSets(), table.zoneNames());
            return new PackingProblem(table, shape, ds.requests(), ds.scoring());
        }).iterator();
        Map<Integer, String> none = MixedPools.fitNone(problems, table);
        if (none.isEmpty() || none.size() == table.groupCount()) {
            // Nothing to leave out, or nothing left to mix: MixPlanner says so (a pod that fits no candidate).
            return new PlaceablePart(workload, zoned, List.of(), packingOf, null);
        }
        List<PodGroup> kept = new ArrayList<>();
        List<ShapeEvaluation.UnschedulableGroup> leftOut = new ArrayList<>();
        int[] partGroup = new int[table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            String why = none.get(g);
            partGroup[g] = why == null ? kept.size() : -1;
            if (why == null) {
                kept.add(table.group(g));
            } else {
                leftOut.add(new ShapeEvaluation.UnschedulableGroup(table.group(g), "fits none of the " + priced.size()
                        + (priced.size() == 1 ? " priced candidate (" : " priced candidates (") + MixedPools.nearestOf(priced.size(), why) + ")"));
            }
        }
        Workload part = workload.withGroups(kept);
        DemandTable partTable = zoned.zoneNames() != null ? DemandTable.of(part, zoned.zoneNames()) : DemandTable.of(part, zoned.zones());
        return new PlaceablePart(part, partTable, leftOut, packingOf, partGroup);
    }

    private static boolean priced(NodeShape s) {
        return s.hasPrice() && s.pricePerHourUsd() > 0;
    }

    /** The workload the mix is planned for: the whole one when nothing is left out. */
    public Workload workload() {
        return workload;
    }

    /** Its table over the zones of the sweep's table. */
    public DemandTable table() {
        return table;
    }

    /** Per group left out, the group and why; empty when every pod fits some priced candidate. */
    public List<ShapeEvaluation.UnschedulableGroup> leftOut() {
        return leftOut;
    }

    /** The pods of {@link #leftOut}. */
    public int leftOutPods() {
        return leftOutPods;
    }

    /**
     * The evaluations for the part: a priced shape that leaves out just the left-out pods (exactly
     * so many, all of which fit none of the priced shapes) places all of the part, and is made
     * complete; every other evaluation stays as it is (it leaves pods of the part out too, or is
     * not priced: the mix does not use it).
     */
    public List<ShapeEvaluation> adapt(List<ShapeEvaluation> ranked) {
        if (leftOut.isEmpty()) {
            return ranked;
        }
        List<ShapeEvaluation> out = new ArrayList<>(ranked.size());
        for (ShapeEvaluation e : ranked) {
            if (priced(e.shape()) && e.unschedulableCount() == leftOutPods) {
                ShapeEvaluation complete = e.withUnschedulable(List.of());
                whole.put(complete, e);
                out.add(complete);
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** The packing behind an evaluation {@link #adapt} gave, over the part's table (a complete one's: every pod of the part placed). */
    public PackingResult packingOf(ShapeEvaluation e) {
        if (leftOut.isEmpty()) {
            return wholePacking.apply(e);
        }
        ShapeEvaluation of = whole.get(e);
        if (of == null) {
            throw new IllegalStateException("only a shape that places all of the part has a packing of it, not " + e.shape().name());
        }
        return carryOver(wholePacking.apply(of));
    }

    /** A packing of the whole workload that leaves out only the left-out groups, over the part's table: the same nodes and loads. */
    private PackingResult carryOver(PackingResult p) {
        DemandTable of = p.problem().table();
        DemandTable part = table.running(of.daemonSets().stream().map(io.nodesizer.model.DaemonSetSpec::name).toList());
        int[] assignment = new int[part.podCount()];
        long[] devices = p.gpuDevices() == null ? null : new long[part.podCount()];
        for (int g = 0; g < of.groupCount(); g++) {
            int to = partGroup[g];
            for (int i = 0; i < of.replicas(g); i++) {
                int node = p.assignment()[of.firstPod(g) + i];
                if (to < 0 ? node >= 0 : node < 0) {
                    throw new IllegalStateException("the packing on " + p.problem().shape().name() + " does not leave out just the pods "
                            + "that fit no priced candidate (" + of.group(g).podName(i) + ")");
                }
                if (to >= 0) {
                    assignment[part.firstPod(to) + i] = node;
                    if (devices != null) {
                        devices[part.firstPod(to) + i] = p.gpuDevices()[of.firstPod(g) + i];
                    }
                }
            }
        }
        PackingResult carried = new PackingResult(p.problem().over(part), p.strategy(),
                p.nodeCount(), assignment, p.nodeLoad(), List.of(), p.lowerBound(), p.elapsedNanos(), devices, p.nodeZones());
        PackingVerifier.verify(carried);
        return carried;
    }
}
