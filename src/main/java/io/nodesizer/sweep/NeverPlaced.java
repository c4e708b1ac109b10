package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

import java.util.AbstractList;
import java.util.BitSet;
import java.util.Iterator;
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
    private final BitSet groups;
    private final int size;
    private final int pods;

    private NeverPlaced(DemandTable table, NodeShape shape, Resources daemonSetLoad, BitSet groups) {
        this.table = table;
        this.shape = shape;
        this.daemonSetLoad = daemonSetLoad;
        this.groups = groups;
        this.size = groups.cardinality();
        int n = 0;
        for (int g = groups.nextSetBit(0); g >= 0; g = groups.nextSetBit(g + 1)) {
            n += table.replicas(g);
        }
        this.pods = n;
    }

    /** The groups {@code problem} can never place (every packing of it reports these), compactly. */
    public static NeverPlaced of(PackingProblem problem) {
        BitSet groups = new BitSet();
        for (PackingProblem.Unschedulable u : problem.unschedulable()) {
            groups.set(u.group());
        }
        return new NeverPlaced(problem.table(), problem.shape(), problem.daemonSetLoad(), groups);
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

    /** In group order, each reason worded by one problem built for the walk. */
    @Override
    public Iterator<ShapeEvaluation.UnschedulableGroup> iterator() {
        if (size == 0) {
            return java.util.Collections.emptyIterator();
        }
        Iterator<PackingProblem.Unschedulable> reasons = new PackingProblem(table, shape, daemonSetLoad).unschedulable().iterator();
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
                return new ShapeEvaluation.UnschedulableGroup(table.group(u.group()), u.reason());
            }
        };
    }
}
