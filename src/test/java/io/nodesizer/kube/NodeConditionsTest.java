package io.nodesizer.kube;

import io.nodesizer.model.Placement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The node lifecycle controller's NoSchedule taints for a node's conditions ({@code nodeConditionToTaintKeyStatusMap}). */
final class NodeConditionsTest {
    private static List<String> keys(Map<String, String> conditions) {
        return NodeConditions.taints(conditions).stream().map(Placement.Taint::toString).toList();
    }

    @Test
    void readyFalseIsNotReadyAndUnknownIsUnreachable() {
        assertThat(keys(Map.of("Ready", "False"))).containsExactly("node.kubernetes.io/not-ready:NoSchedule");
        assertThat(keys(Map.of("Ready", "Unknown"))).containsExactly("node.kubernetes.io/unreachable:NoSchedule");
        assertThat(NodeConditions.describe(Map.of("Ready", "Unknown"))).isEqualTo("Ready condition is Unknown");
    }

    @Test
    void aHealthyNodeOrOneWithoutConditionsHasNone() {
        assertThat(keys(Map.of())).isEmpty();
        assertThat(keys(Map.of("Ready", "True", "MemoryPressure", "False", "DiskPressure", "False", "PIDPressure", "False",
                "NetworkUnavailable", "False"))).isEmpty();
        assertThat(NodeConditions.describe(Map.of("Ready", "True"))).isNull();
    }

    @Test
    void pressureConditionsTaintTooInTheControllersOrder() {
        assertThat(keys(Map.of("Ready", "True", "PIDPressure", "True", "DiskPressure", "True", "MemoryPressure", "True",
                "NetworkUnavailable", "True"))).containsExactly("node.kubernetes.io/memory-pressure:NoSchedule",
                "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/network-unavailable:NoSchedule",
                "node.kubernetes.io/pid-pressure:NoSchedule");
    }
}
