package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Candidate shapes of an instance type the snapshot runs take the allocatable its nodes report. The provider formulas
 * start from the nominal memory, but the kubelet's capacity is what the operating system sees (a t3.small's 2 GiB is
 * 1,913 MiB to it), and the cluster's own kubelet settings may reserve more or less: the nodes' {@code status.allocatable}
 * is the measured answer, so a replacement or a packing on that type fits what really comes up. With several nodes of
 * a type, the least of each resource among them.
 */
public final class ObservedAllocatable {
    private ObservedAllocatable() {
    }

    public static List<NodeShape> apply(List<NodeShape> candidates, ClusterSnapshot snapshot, List<String> notes) {
        Map<String, long[]> least = new TreeMap<>();
        Map<String, Integer> count = new TreeMap<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            String type = n.instanceType();
            if (!n.worker() || type == null) {
                continue;
            }
            long[] a = n.allocatable().toArray();
            least.merge(type, a, (x, y) -> {
                long[] m = x.clone();
                for (int k = 0; k < m.length; k++) {
                    m[k] = Math.min(m[k], y[k]);
                }
                return m;
            });
            count.merge(type, 1, Integer::sum);
        }
        if (least.isEmpty()) {
            return candidates;
        }
        List<NodeShape> out = new ArrayList<>(candidates.size());
        for (NodeShape c : candidates) {
            long[] seen = least.get(c.name());
            if (seen == null || Resources.of(seen).equals(c.allocatable())) {
                out.add(c);
                continue;
            }
            Resources observed = Resources.of(seen);
            long[] cap = c.capacity().toArray();
            long[] kubelet = c.kubeletCapacity().toArray();
            for (int k = 0; k < cap.length; k++) {
                cap[k] = Math.max(cap[k], seen[k]); // a larger max-pods than the formula's is the cluster's setting
                kubelet[k] = Math.max(kubelet[k], seen[k]);
            }
            out.add(new NodeShape(c.name(), c.provider(), c.family(), c.arch(), Resources.of(cap), observed, "snapshot",
                    c.pricePerHourUsd(), c.gpuModel(), c.labels(), c.taints(), c.gpuVendor(), Resources.of(kubelet)));
            int n = count.get(c.name());
            notes.add(c.name() + " is sized with the allocatable its " + (n == 1 ? "node" : n + " nodes") + " in the snapshot report"
                    + (n == 1 ? "s" : "") + " (" + show(observed) + ")" + (show(observed).equals(show(c.allocatable()))
                    ? ", as the " + c.reservation() + " formula's" : ", not the " + c.reservation() + " formula's (" + show(c.allocatable()) + ")"));
        }
        return out;
    }

    private static String show(Resources r) {
        return String.format(Locale.ROOT, "%s CPU, %.3f GiB, %d pods", java.math.BigDecimal.valueOf(r.cpuMillis()).movePointLeft(3)
                .stripTrailingZeros().toPlainString(), r.memoryBytes() / (double) (1L << 30), r.pods());
    }
}
