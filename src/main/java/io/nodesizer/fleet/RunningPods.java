package io.nodesizer.fleet;

import io.nodesizer.model.ClusterSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods a snapshot's nodes already run, kept for {@code pack --fleet} (unless {@code --from-empty})
 * so that the pod rules count them as kube-scheduler does: a running pod's labels can bar a new
 * pod (its required anti-affinity), draw it (its required affinity) or fill a spread domain, and
 * a running pod's own anti-affinity keeps new pods out of its domain.
 *
 * @param nodes      every node of the snapshot, cordoned and control-plane ones too: the rules'
 *                   domains (their pods count for spreads and anti-affinity, as upstream)
 * @param onNode     per entry of {@code nodes}, the pods bound to it
 * @param fleetIndex per fleet node (the schedulable workers, in fleet order), its index in {@code nodes}
 */
public record RunningPods(List<ClusterSnapshot.Node> nodes, List<List<ClusterSnapshot.Pod>> onNode, int[] fleetIndex) {
    public RunningPods {
        nodes = List.copyOf(nodes);
        onNode = onNode.stream().map(List::copyOf).toList();
        fleetIndex = fleetIndex.clone();
    }

    /** The snapshot's bound pods by node; pods on a node the snapshot does not list are left out (no domain to count them in). */
    static RunningPods of(ClusterSnapshot snapshot, List<FleetPacking.FleetNode> fleet) {
        Map<String, Integer> index = new HashMap<>();
        List<List<ClusterSnapshot.Pod>> on = new ArrayList<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            index.put(n.name(), on.size());
            on.add(new ArrayList<>());
        }
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            Integer i = p.nodeName() == null ? null : index.get(p.nodeName());
            if (i != null) {
                on.get(i).add(p);
            }
        }
        int[] fleetIndex = new int[fleet.size()];
        for (int k = 0; k < fleet.size(); k++) {
            fleetIndex[k] = index.get(fleet.get(k).name());
        }
        return new RunningPods(snapshot.nodes(), on, fleetIndex);
    }

    /** How many pods run on the snapshot's nodes. */
    public int count() {
        return onNode.stream().mapToInt(List::size).sum();
    }
}
