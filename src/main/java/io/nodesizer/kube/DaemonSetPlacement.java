package io.nodesizer.kube;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which DaemonSets run on a node of a given shape, and what they take from it. A DaemonSet runs
 * one pod on every node its {@code nodeSelector} matches. We know the well-known labels a node of
 * a shape carries (kubernetes.io/os, kubernetes.io/arch, node.kubernetes.io/instance-type and
 * their beta aliases, from the kubelet's well-known labels); a selector on any other label cannot
 * be decided from a shape, so such a DaemonSet is assumed to run everywhere (the expensive,
 * safe side) and a note says so.
 */
public final class DaemonSetPlacement {

    /** The DaemonSet pods on one node of a shape: summed requests (pods = their count) and notes. */
    public record Load(Resources requests, List<String> placed, List<String> notes) {
        public Load {
            placed = List.copyOf(placed);
            notes = List.copyOf(notes);
        }
    }

    private DaemonSetPlacement() {
    }

    public static Map<String, String> labels(NodeShape shape) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", shape.arch());
        labels.put("beta.kubernetes.io/arch", shape.arch());
        labels.put("node.kubernetes.io/instance-type", shape.name());
        labels.put("beta.kubernetes.io/instance-type", shape.name());
        return labels;
    }

    public static Load on(NodeShape shape, List<DaemonSetSpec> daemonSets) {
        Map<String, String> labels = labels(shape);
        Resources sum = Resources.ZERO;
        List<String> placed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (DaemonSetSpec ds : daemonSets) {
            boolean selected = true;
            for (Map.Entry<String, String> term : ds.nodeSelector().entrySet()) {
                String value = labels.get(term.getKey());
                if (value == null) {
                    notes.add("DaemonSet " + ds.name() + " selects on label " + term.getKey()
                            + ", which a node shape does not determine; counted on every node");
                } else if (!value.equals(term.getValue())) {
                    selected = false;
                }
            }
            if (selected) {
                sum = sum.plus(ds.request());
                placed.add(ds.name());
            }
        }
        return new Load(sum, placed, notes);
    }
}
