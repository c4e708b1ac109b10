package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class WorkloadGrowthTest {
    private static final Resources R = new Resources(100, 1L << 20, 1, 0, 0);

    private static PodGroup replicated(String name, int replicas) {
        return new PodGroup(name, "Deployment", R, replicas, false, null, new SourceRef("t.csv", 1));
    }

    private static PodGroup single(String name) {
        return new PodGroup(name, "Pod", R, 1, true, null, new SourceRef("t.csv", 1));
    }

    @Test
    void replicatedGroupsRoundUpAndNeverVanish() {
        Workload w = Workload.of(List.of(replicated("web", 3), replicated("api", 4), replicated("one", 1), replicated("ten", 10)));
        assertThat(w.grown(1.5).groups()).extracting(PodGroup::replicas).containsExactly(5, 6, 2, 15);
        assertThat(w.grown(0.5).groups()).extracting(PodGroup::replicas).containsExactly(2, 2, 1, 5);
        assertThat(w.grown(1.1).groups()).extracting(PodGroup::replicas).containsExactly(4, 5, 2, 11); // 10 × 1.1 is 11, not 12
        assertThat(w.grown(1)).isSameAs(w);
    }

    @Test
    void jobsKeepTheirPodsWhateverTheGrowth() {
        // A Job runs min(parallelism, completions) pods at once: an admission-webhook Job of a chart (completions 1)
        // does not run three pods at --growth 3 (it did), nor does a CronJob's run.
        Workload w = Workload.of(List.of(replicated("web", 2), new PodGroup("create", "Job", R, 1, false, null, new SourceRef("t.yaml", 1)),
                new PodGroup("nightly", "CronJob", R, 4, false, null, new SourceRef("t.yaml", 9))));
        assertThat(w.grown(3).groups()).extracting(PodGroup::replicas).containsExactly(6, 1, 4);
        assertThat(w.grown(0.5).groups()).extracting(PodGroup::replicas).containsExactly(1, 1, 4);
        // A single-pod Job is not copied either, so the copies counted before growing leave it out (review 60).
        Workload singles = Workload.of(List.of(single("a"), single("b"), new PodGroup("once", "Job", R, 1, true, null, new SourceRef("t.yaml", 3))));
        assertThat(singles.singlesCopiedByGrowth()).isEqualTo(2);
        assertThat(singles.grown(3).podCount()).isEqualTo(2 * 3 + 1);
    }

    @Test
    void singlePodsBecomeRoundNTimesFPodsTheSameWayEachTime() {
        List<PodGroup> pods = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pods.add(single("pod-" + i));
        }
        Workload w = Workload.of(pods);
        Workload grown = w.grown(1.5);
        assertThat(grown.podCount()).isEqualTo(1500);
        assertThat(grown.groups()).extracting(PodGroup::name).doesNotHaveDuplicates().contains("pod-0", "pod-999");
        assertThat(grown.groups().stream().filter(g -> g.name().endsWith("~1")).count()).isEqualTo(500);
        assertThat(w.grown(1.5).groups()).isEqualTo(grown.groups()); // deterministic
        // the extra copies are spread over the trace, not its first half
        long early = grown.groups().stream().filter(g -> g.name().endsWith("~1"))
                .filter(g -> Integer.parseInt(g.name().substring(4, g.name().length() - 2)) < 500).count();
        assertThat(early).isBetween(200L, 300L);
        Workload shrunk = w.grown(0.3);
        assertThat(shrunk.podCount()).isEqualTo(300);
        assertThat(w.grown(2.5).podCount()).isEqualTo(2500);
        assertThat(w.grown(2.5).groups()).extracting(PodGroup::name).contains("pod-7~1");
    }

    /** QA 57a F5: a trace's own x~1 beside x grown by 2 made two pods named x~1; copies take the least free NAME~k. */
    @Test
    void copiesNeverTakeTheNameOfAnotherPod() {
        Workload w = Workload.of(List.of(single("x"), single("x~1"), single("y")));
        List<String> names = w.grown(3).groups().stream().map(PodGroup::name).toList();
        assertThat(names).doesNotHaveDuplicates().hasSize(9)
                .containsExactly("x", "x~2", "x~3", "x~1", "x~1~1", "x~1~2", "y", "y~1", "y~2");
    }
}
