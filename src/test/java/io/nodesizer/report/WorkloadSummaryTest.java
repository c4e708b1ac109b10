package io.nodesizer.report;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts above every report: counts worded for one or many, and pods the sizing counts as requesting nothing. */
final class WorkloadSummaryTest {
    private static PodGroup group(String name, long cpuMillis, long memoryBytes, int replicas) {
        return new PodGroup(name, "Deployment", new Resources(cpuMillis, memoryBytes, 1, 0, 0), replicas, false, null,
                new SourceRef("w.yaml", 1));
    }

    private static Workload workload(PodGroup... groups) {
        return new Workload(List.of(groups), List.of(), List.of(), List.of("w.yaml"));
    }

    @Test
    void oneGroupOfOnePodIsWordedInTheSingular() {
        assertThat(WorkloadSummary.of(workload(group("web", 500, 1L << 30, 1)), List.of()).oneLine())
                .startsWith("1 pod in 1 group requesting 0.5 CPU");
        assertThat(WorkloadSummary.of(workload(group("web", 500, 1L << 30, 2), group("api", 500, 1L << 30, 1)), List.of()).oneLine())
                .startsWith("3 pods in 2 groups requesting");
    }

    @Test
    void podsWithoutCpuOrMemoryRequestsAreNamedInANote() {
        WorkloadSummary s = WorkloadSummary.of(workload(group("web", 500, 1L << 30, 3), group("be-a", 0, 0, 5), group("be-b", 0, 0, 1),
                group("cpu-only", 250, 0, 2), group("c1", 0, 1L << 20, 1), group("c2", 0, 1L << 20, 1), group("c3", 0, 1L << 20, 1),
                group("c4", 0, 1L << 20, 1)), List.of("given"));
        assertThat(s.notes()).hasSize(4);
        assertThat(s.notes().get(0)).isEqualTo("given");
        assertThat(s.notes().get(1)).startsWith("6 pods of 2 workloads (be-a, be-b) request no CPU and no memory: packed by their pod slots alone");
        assertThat(s.notes().get(2)).startsWith("2 pods of 1 workload (cpu-only) request no memory: packed as using none");
        assertThat(s.notes().get(3)).startsWith("4 pods of 4 workloads (c1, c2, c3, …) request no CPU");
        assertThat(WorkloadSummary.of(workload(group("web", 500, 1L << 30, 3)), List.of()).notes()).isEmpty();
        assertThat(WorkloadSummary.of(workload(group("one", 250, 0, 1)), List.of()).notes()).containsExactly("1 pod of 1 workload (one) "
                + "requests no memory: packed as using none, as the scheduler counts it; if it does use some, the nodes found may be too few "
                + "(rightsize sets requests from usage).");
        assertThat(WorkloadSummary.of(workload(group("be", 0, 0, 1)), List.of()).notes()).singleElement().asString()
                .startsWith("1 pod of 1 workload (be) requests no CPU and no memory: packed by its pod slot alone, as the scheduler counts it;");
    }

    @Test
    void aNoteSaysIgnoredAppliedOrNeitherForAnObjectTakenWithACaveat() {
        assertThat(WorkloadSummary.asNote("Pod p (f.yaml:1): not packed: finished")).isEqualTo("ignored Pod p (f.yaml:1): not packed: finished");
        assertThat(WorkloadSummary.asNote("LimitRange l (f.yaml:9): applied: defaults")).isEqualTo("applied LimitRange l (f.yaml:9): defaults");
        // QA 60b F3: "ignored Deployment a (…): packed, but …" said both
        assertThat(WorkloadSummary.asNote("Deployment a (f.yaml:1): packed, but nvidia.com/gpu has no limit"))
                .isEqualTo("Deployment a (f.yaml:1): packed, but nvidia.com/gpu has no limit");
        assertThat(WorkloadSummary.asNote("Deployment a (f.yaml:1): replayed as written")).isEqualTo("Deployment a (f.yaml:1): replayed as written");
    }
}
