package io.nodesizer.kube;

import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rows of kube-scheduler's filter tables as {@link InterPodAffinityConformanceTest} and
 * {@link HostnameSpreadConformanceTest} translate them, read from their case lists (not copied) into
 * public records, for tests in other packages that run the same rows through other code
 * (io.nodesizer.engine.EngineConformanceTest). Each row is one node of an upstream case, with
 * upstream's outcome for the incoming pod there; the nodes and pods are as those tests build them
 * (the spread table's nodes also carry kubernetes.io/hostname = their name).
 */
public final class UpstreamFilterRows {
    private UpstreamFilterRows() {
    }

    /** An existing pod: its namespace, labels and terms ({@link Placement}), and whether it is being deleted. */
    public record Pod(Placement placement, boolean terminating) {
    }

    /** A node of a case: its name, labels, taints, and the pods running on it. */
    public record Node(String name, Map<String, String> labels, List<Placement.Taint> taints, List<Pod> pods) {
    }

    /**
     * One row: upstream table {@code table}, case {@code name}, its nodes, the node under test (an index into
     * {@code nodes}), the incoming pod, and whether upstream's Filter admits it there.
     */
    public record Row(String table, String name, List<Node> nodes, int node, Placement incoming, boolean admits) {
        @Override
        public String toString() {
            return name + " [" + nodes.get(node).name() + "]";
        }
    }

    /** interpodaffinity/filtering_test.go, TestRequiredAffinitySingleNode. */
    public static Stream<Row> requiredAffinitySingleNode() {
        return InterPodAffinityConformanceTest.singleNodeRows().map(r -> affinity("TestRequiredAffinitySingleNode", r));
    }

    /** interpodaffinity/filtering_test.go, TestRequiredAffinityMultipleNodes. */
    public static Stream<Row> requiredAffinityMultipleNodes() {
        return InterPodAffinityConformanceTest.multipleNodesRows().map(r -> affinity("TestRequiredAffinityMultipleNodes", r));
    }

    /** podtopologyspread/filtering_test.go, TestSingleConstraint. */
    public static Stream<Row> singleConstraint() {
        return HostnameSpreadConformanceTest.singleConstraintRows().map(r -> spread("TestSingleConstraint", r));
    }

    /** podtopologyspread/filtering_test.go, TestMultipleConstraints. */
    public static Stream<Row> multipleConstraints() {
        return HostnameSpreadConformanceTest.multipleConstraintsRows().map(r -> spread("TestMultipleConstraints", r));
    }

    private static Row affinity(String table, InterPodAffinityConformanceTest.Row r) {
        List<Node> nodes = new ArrayList<>();
        for (InterPodAffinityConformanceTest.N n : r.c().nodes()) {
            nodes.add(new Node(n.name(), n.labels(), List.of(), n.pods().stream().map(s -> new Pod(s.placement(), false)).toList()));
        }
        return new Row(table, r.c().name(), List.copyOf(nodes), r.node(), r.c().incoming().placement(), r.c().nodes().get(r.node()).admits());
    }

    private static Row spread(String table, HostnameSpreadConformanceTest.Row r) {
        List<Node> nodes = new ArrayList<>();
        for (HostnameSpreadConformanceTest.N n : r.c().nodes()) {
            Map<String, String> labels = new HashMap<>(n.labels());
            labels.put(PodConflicts.HOSTNAME, n.name());
            nodes.add(new Node(n.name(), Map.copyOf(labels), n.taints(), n.pods().stream()
                    .map(p -> new Pod(new Placement(Map.of(), null, List.of(), p.namespace(), p.labels(), List.of(), List.of()), p.terminating()))
                    .toList()));
        }
        return new Row(table, r.c().name(), List.copyOf(nodes), r.node(), r.c().incoming(), r.c().nodes().get(r.node()).fits());
    }
}
