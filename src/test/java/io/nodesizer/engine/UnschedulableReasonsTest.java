package io.nodesizer.engine;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** Fit is decided on numbers and the reason worded on demand: the two must always agree. */
final class UnschedulableReasonsTest {

    @Test
    void everyGroupLeftOutHasAReasonAndEveryGroupKeptHasNone() {
        SplittableRandom random = new SplittableRandom(11);
        for (int seed = 0; seed < 200; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 40, 5, 12_000, 48 * GIB, true);
            long gpu = random.nextInt(3) * 1000L * (1 + random.nextInt(4)) + (random.nextInt(5) == 0 ? 500 : 0);
            Resources cap = new Resources(2000 + random.nextLong(14_000), (4 + random.nextLong(60)) * GIB, 20 + random.nextInt(100), gpu, 0);
            NodeShape shape = new NodeShape("s" + seed, "test", "test", "amd64", cap, cap, "none", 1.0);
            Resources ds = random.nextInt(4) == 0 ? new Resources(random.nextLong(20_000), random.nextLong(8) * GIB, 2, 0, 0) : Resources.ZERO;
            PackingProblem p = new PackingProblem(DemandTable.of(w), shape, ds);
            Set<Integer> never = new HashSet<>();
            for (PackingProblem.Unschedulable u : p.unschedulable()) {
                assertThat(u.reason()).as("seed %d group %d", seed, u.group()).isNotNull().isNotBlank();
                never.add(u.group());
            }
            for (int g : p.schedulableGroups()) {
                assertThat(p.reason(g)).as("seed %d group %d", seed, g).isNull();
                assertThat(never).doesNotContain(g);
            }
            assertThat(never.size() + p.schedulableGroups().length).isEqualTo(p.table().groupCount());
        }
    }
}
