package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 38a finding 2: consolidate replaced a t3.medium by a t3.small it took to have 1,572 MiB for pods (the EKS formula on
 * the nominal 2 GiB) where the snapshot's own t3.small nodes report 1,437 MiB, so the moved pod would not have fit.
 */
final class ObservedAllocatableTest {
    private static ClusterSnapshot.Node node(String name, String type, Resources allocatable) {
        return new ClusterSnapshot.Node(name, Map.of("node.kubernetes.io/instance-type", type), allocatable, allocatable, false,
                new SourceRef("s.json", 1), List.of());
    }

    private static NodeShape shape(String name, Resources allocatable) {
        Resources capacity = new Resources(2000, 2L << 30, 11, 0, 20L << 30);
        return new NodeShape(name, "aws", name.substring(0, 2), "amd64", capacity, allocatable, "eks", 0.0208);
    }

    @Test
    void aTypeTheSnapshotRunsTakesTheLeastAllocatableItsNodesReport() {
        Resources formula = new Resources(1930, 1_648_361_472L, 11, 0, 18L << 30);
        ClusterSnapshot s = new ClusterSnapshot(List.of(
                node("a", "t3.small", new Resources(1930, 1_507_164_160L, 11, 0, 18L << 30)),
                node("b", "t3.small", new Resources(1930, 1_520_000_000L, 17, 0, 18L << 30))), List.of(), List.of("s.json"));
        List<String> notes = new ArrayList<>();
        NodeShape other = shape("t3.medium", formula);
        List<NodeShape> out = ObservedAllocatable.apply(List.of(shape("t3.small", formula), other), s, notes);
        assertThat(out.get(0).allocatable()).isEqualTo(new Resources(1930, 1_507_164_160L, 11, 0, 18L << 30));
        assertThat(out.get(0).reservation()).isEqualTo("snapshot");
        assertThat(out.get(0).pricePerHourUsd()).isEqualTo(0.0208);
        assertThat(out.get(1)).isSameAs(other);
        assertThat(notes).singleElement().asString().startsWith("t3.small is sized with the allocatable its 2 nodes in the snapshot report "
                + "(1.93 CPU, 1.404 GiB, 11 pods), not the eks formula's (1.93 CPU, 1.535 GiB, 11 pods)");
    }

    /**
     * QA 64a F16: a node reporting no CPU (or no pods) was taken as its type's least, so every candidate of the type held
     * nothing; it is named and left out of the sizing, and the type is sized by its other nodes.
     */
    @Test
    void aNodeWhoseAllocatableNoNodeOfItsTypeComesUpWithIsLeftOut() {
        Resources fine = new Resources(1930, 1_507_164_160L, 11, 0, 18L << 30);
        ClusterSnapshot s = new ClusterSnapshot(List.of(node("a", "t3.small", fine),
                node("zero", "t3.small", new Resources(0, 1_507_164_160L, 11, 0, 18L << 30))), List.of(), List.of("s.json"));
        List<String> notes = new ArrayList<>();
        List<NodeShape> out = ObservedAllocatable.apply(List.of(shape("t3.small", new Resources(1930, 1_648_361_472L, 11, 0, 18L << 30))),
                s, notes);
        assertThat(out.get(0).allocatable()).isEqualTo(fine);
        assertThat(notes.get(0)).isEqualTo("zero (t3.small: allocatable 0 CPU, 1.404 GiB, 11 pods) reports an allocatable no node of its "
                + "type comes up with: left out of the type's sizing (check the node's kubelet)");
        assertThat(notes.get(1)).startsWith("t3.small is sized with the allocatable its node in the snapshot reports (1.93 CPU");
    }

    /** Nodes that report what the formula says (to the note's precision) are said to, not set against the same figures. */
    @Test
    void nodesThatReportTheFormulasAllocatableSayItIsTheSame() {
        Resources reported = new Resources(1930, 1_507_164_160L, 11, 0, 18L << 30);
        ClusterSnapshot s = new ClusterSnapshot(List.of(node("a", "t3.small", reported)), List.of(), List.of("s.json"));
        List<String> notes = new ArrayList<>();
        ObservedAllocatable.apply(List.of(shape("t3.small", new Resources(1930, 1_507_000_000L, 11, 0, 18L << 30))), s, notes);
        assertThat(notes).singleElement().asString().isEqualTo("t3.small is sized with the allocatable its node in the snapshot reports "
                + "(1.93 CPU, 1.404 GiB, 11 pods), as the eks formula's");
    }

    /** A cluster that sets a larger max-pods than the formula's (prefix delegation) keeps it: the capacity grows with it. */
    @Test
    void aLargerMaxPodsThanTheFormulasIsTheClustersSetting() {
        ClusterSnapshot s = new ClusterSnapshot(List.of(node("a", "t3.small", new Resources(1930, 1_507_164_160L, 110, 0, 18L << 30))),
                List.of(), List.of("s.json"));
        NodeShape got = ObservedAllocatable.apply(List.of(shape("t3.small", new Resources(1930, 1_648_361_472L, 11, 0, 18L << 30))), s,
                new ArrayList<>()).get(0);
        assertThat(got.allocatable().pods()).isEqualTo(110);
        assertThat(got.capacity().pods()).isEqualTo(110);
        assertThat(got.capacity().memoryBytes()).isEqualTo(2L << 30);
    }
}
