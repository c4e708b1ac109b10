package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

import io.nodesizer.engine.PackingResult;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The groups a shape can never hold, kept as one bit per group: a sweep over the whole catalog
 * with 150,000 pods would otherwise keep a reason string per unschedulable group for every shape
 * (about 95 MB per shape). The reasons are worded again, from the shape, when a report reads
 * them; whether a group fits an empty node depends only on the workload, the shape and its
 * DaemonSets, so they are the same words the packing gave.
 */
public final class NeverPlaced extends AbstractList<ShapeEvaluation.UnschedulableGroup> {
    private final DemandTable table;
    private final NodeShape shape;
    private final Resources daemonSetLoad;
    /** Per zone, its nodes' DaemonSet load where they differ by zone ({@link PackingProblem#zoneLoads()}), else empty. */
    private final List<Resources> zoneLoads;
    private final BitSet groups;
    /** Pods that a placement rule left out of the packing (few: kept as they are, after the groups). */
    private final List<ShapeEvaluation.UnschedulableGroup> byRule;
    private final int size;
    private final int pods;

    private NeverPlaced(DemandTable table, NodeShape shape, Resources daemonSetLoad, List<Resources> zoneLoads, BitSet groups,
                        List<ShapeEvaluation.UnschedulableGroup> byRule) {
        this.table = table;
        this.shape = shape;
        this.daemonSetLoad = daemonSetLoad;
        this.zoneLoads = zoneLoads;
        this.groups = groups;
        this.byRule = List.copyOf(byRule);
        this.size = groups.cardinality() + byRule.size();
        int n = 0;
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            n += table.replicas(g);
        }
        for (ShapeEvaluation.UnschedulableGroup u : byRule) {
            n += u.pods();
        }
        this.pods = n;
    }

    /** The groups {@code problem} can never place (every packing of it reports these), compactly. */
    public static NeverPlaced of(PackingProblem problem) {
        return of(problem, List.of());
    }

    /** What {@code result} leaves unplaced: the groups its problem can never place, and the pods a rule left out. */
    public static NeverPlaced of(PackingResult result) {
        List<ShapeEvaluation.UnschedulableGroup> byRule = new ArrayList<>();
        for (PackingProblem.Unschedulable u : result.unschedulable()) {
            if (u.byRule()) {
                byRule.add(new ShapeEvaluation.UnschedulableGroup(result.problem().table().group(u.group()), u.reason(), u.firstReplica()));
            }
        }
        return of(result.problem(), byRule);
    }

    /** As {@link #of(PackingProblem)}, with the pods a rule left out of a packing of it ({@link #byRule()} of a twin). */
    public static NeverPlaced of(PackingProblem problem, List<ShapeEvaluation.UnschedulableGroup> byRule) {
        BitSet groups = new BitSet();
        for (PackingProblem.Unschedulable u : problem.unschedulable()) {
            groups.set(u.group());
        }
        return new NeverPlaced(problem.table(), problem.shape(), problem.daemonSetLoad(), problem.zoneLoads(), groups, byRule);
    }

    /** Whether {@code other} (of the same workload) never places the same groups as this. */
    boolean sameGroups(NeverPlaced other) {
        return groups.equals(other.groups);
    }

    /** The pods a placement rule left out (their reasons do not depend on the shape's name). */
    public List<ShapeEvaluation.UnschedulableGroup> byRule() {
        return byRule;
    }

    /** Pods in these groups. */
    public int pods() {
        return pods;
    }

    @Override
    public int size() {
        return size;
    }

    /** Walks from the start, wording every reason on the way: meant for the first few (reports read them in order). */
    @Override
    public ShapeEvaluation.UnschedulableGroup get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        Iterator<ShapeEvaluation.UnschedulableGroup> it = iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next();
    }

    /** In group order, each reason worded by one problem built for the walk; then the pods a rule left out. */
    @Override
    public Iterator<ShapeEvaluation.UnschedulableGroup> iterator() {
        if (groups.isEmpty()) {
            return byRule.iterator();
        }
        Iterator<ShapeEvaluation.UnschedulableGroup> never = neverIterator();
        Iterator<ShapeEvaluation.UnschedulableGroup> rule = byRule.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return never.hasNext() || rule.hasNext();
            }

            @Override
            public ShapeEvaluation.UnschedulableGroup next() {
                return never.hasNext() ? never.next() : rule.next();
            }
        };
    }

    /**
     * In group order, each reason worded once per kind of group: a group's reason on this shape is of its requests, its
     * placement and the GPU models and vendor it asks alone, so groups alike in all three share it. A GPU trace's 130,000
     * groups a GPU-less shape leaves out are at most 151 texts, and recommend -o json words them for each of ~900 shapes to
     * count every pod by reason (fix 77a: 146 s of CPU time for the whole catalog before, 129 s after, on a loaded host).
     */
    private Iterator<ShapeEvaluation.UnschedulableGroup> neverIterator() {
        Iterator<PackingProblem.Unschedulable> reasons = new PackingProblem(table, shape, daemonSetLoad, daemonSetLoad, zoneLoads, zoneLoads).unschedulable().iterator();
        int[] demandClass = table.demandClasses().ofGroup();
        int[] placementClass = table.placementClasses().ofGroup();
        int placements = table.placementClasses().count();
        int[] gpuKind = table.gpuKinds().ofGroup();
        long kinds = table.gpuKinds().kinds().size() + 1L; // + no GPU (-1)
        java.util.Map<Long, String> worded = new java.util.HashMap<>();
        return new Iterator<>() {
            private int next = groups.nextSetBit(0);

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public ShapeEvaluation.UnschedulableGroup next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                PackingProblem.Unschedulable u = reasons.hasNext() ? reasons.next() : null;
                while (u != null && u.group() < next && reasons.hasNext()) { // a subset of the problem's groups
                    u = reasons.next();
                }
                if (u == null || u.group() != next) {
                    throw new IllegalStateException("group " + next + " fits an empty " + shape.name() + " now, unlike in its packing");
                }
                next = groups.nextSetBit(next + 1);
                int g = u.group();
                long kind = ((long) demandClass[g] * placements + placementClass[g]) * kinds + gpuKind[g] + 1;
                PackingProblem.Unschedulable of = u;
                return new ShapeEvaluation.UnschedulableGroup(table.group(g), worded.computeIfAbsent(kind, k -> of.reason()));
            }
        };
    }
}
