package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The workload a running cluster runs, for {@code recommend --snapshot}: its running and pending
 * pods grouped by workload ({@link ClusterSnapshot.Pod#workload()}: identical containers of one
 * Deployment, StatefulSet, Job… become one group of that many replicas, named {@code namespace/name}; pods without a controller stay single), DaemonSets as per-node
 * overhead (one pod's request each, on every node), and nothing from control-plane nodes (their
 * static pods are not the user's to place).
 */
public final class SnapshotWorkload {
    private SnapshotWorkload() {
    }

    public static Workload of(ClusterSnapshot snapshot) {
        Set<String> controlPlane = snapshot.nodes().stream().filter(ClusterSnapshot.Node::controlPlane).map(ClusterSnapshot.Node::name)
                .collect(Collectors.toSet());
        Map<String, List<ClusterSnapshot.Pod>> groups = new LinkedHashMap<>();
        Map<String, DaemonSetSpec> daemonSets = new LinkedHashMap<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() != null && controlPlane.contains(p.nodeName())) {
                continue;
            }
            if (p.daemonSet()) {
                String name = p.namespace() + "/" + (p.ownerName() == null ? p.name() : p.ownerName());
                daemonSets.putIfAbsent(name, new DaemonSetSpec(name, p.request(), p.placement().nodeSelector(), p.origin(), p.template(),
                        withoutNodeName(p.placement())));
                continue;
            }
            ClusterSnapshot.WorkloadRef ref = p.workload();
            String key = p.owner() == null ? "pod " + p.fullName() : ref.fullName() + " " + ref.kind() + " " + p.template() + " " + p.placement();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        List<PodGroup> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (List<ClusterSnapshot.Pod> pods : groups.values()) {
            ClusterSnapshot.Pod first = pods.get(0);
            boolean single = first.owner() == null;
            ClusterSnapshot.WorkloadRef ref = first.workload();
            String name = ref.fullName();
            String unique = name;
            for (int i = 2; !names.add(unique); i++) {
                unique = name + "~" + i; // one controller with pods of different requests (a rollout in progress)
            }
            out.add(new PodGroup(unique, ref.kind(), first.request(), pods.size(), single, null, first.origin(), List.of(), first.template(),
                    first.placement()));
        }
        return new Workload(out, List.copyOf(daemonSets.values()), List.of(), snapshot.sources(), snapshot.autoscalers());
    }

    /**
     * A DaemonSet pod's placement as its DaemonSet wrote it: the controller pins each pod to its
     * node with a {@code matchFields metadata.name} requirement in every term; without it, the
     * terms are the template's (a term that held only the pin goes, and no term left means no
     * required affinity).
     */
    static io.nodesizer.model.Placement withoutNodeName(io.nodesizer.model.Placement p) {
        if (p.requiredTerms() == null) {
            return p;
        }
        List<io.nodesizer.model.Placement.Term> terms = new ArrayList<>();
        for (io.nodesizer.model.Placement.Term t : p.requiredTerms()) {
            if (!t.matchExpressions().isEmpty()) {
                terms.add(new io.nodesizer.model.Placement.Term(t.matchExpressions(), List.of()));
            }
        }
        return new io.nodesizer.model.Placement(p.nodeSelector(), terms.isEmpty() ? null : terms, p.tolerations());
    }
}
