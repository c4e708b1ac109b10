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
        Map<String, long[]> requested = new java.util.HashMap<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() != null) {
                long[] r = p.request().toArray();
                requested.merge(p.nodeName(), r, (x, y) -> {
                    long[] sum = x.clone();
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += y[k];
                    }
                    return sum;
                });
            }
        }
        List<String> outliers = new ArrayList<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            String type = n.instanceType();
            if (!n.worker() || type == null) {
                continue;
            }
            String odd = outlier(n, requested.get(n.name()));
            if (odd != null) {
                outliers.add(n.name() + " (" + type + ": " + odd + ")");
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
        if (!outliers.isEmpty()) {
            // QA 64a F16: one node reporting 0 CPU made every m5.2xlarge candidate a node that holds nothing.
            notes.add(String.join(", ", outliers.subList(0, Math.min(3, outliers.size()))) + (outliers.size() > 3 ? " and "
                    + (outliers.size() - 3) + " more" : "") + (outliers.size() == 1 ? " reports an allocatable" : " report allocatables")
                    + " no node of " + (outliers.size() == 1 ? "its" : "their") + " type comes up with: left out of the type's sizing "
                    + "(check " + (outliers.size() == 1 ? "the node's" : "their") + " kubelet)");
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

    /**
     * Why a node's allocatable is not its type's, or null: none of CPU, memory or pods (a kubelet that has not reported, or a
     * device plugin's failure), or less than its own pods request (the allocatable shrank under them). Taken as the least of
     * each resource, one such node made every candidate of its type one that holds nothing.
     */
    static String outlier(ClusterSnapshot.Node n, long[] requested) {
        Resources a = n.allocatable();
        if (a.cpuMillis() <= 0 || a.memoryBytes() <= 0 || a.pods() <= 0) {
            return "allocatable " + show(a);
        }
        if (requested != null && (requested[io.nodesizer.model.Resource.CPU.ordinal()] > a.cpuMillis()
                || requested[io.nodesizer.model.Resource.MEMORY.ordinal()] > a.memoryBytes())) {
            return "allocatable " + show(a) + ", less than its pods request";
        }
        return null;
    }

    private static String show(Resources r) {
        return String.format(Locale.ROOT, "%s CPU, %.3f GiB, %d pods", java.math.BigDecimal.valueOf(r.cpuMillis()).movePointLeft(3)
                .stripTrailingZeros().toPlainString(), r.memoryBytes() / (double) (1L << 30), r.pods());
    }
}
