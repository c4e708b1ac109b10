package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

final class BudgetCoverageTest {
    private static final String[] NAMESPACES = {"shop", "pay", "ops"};

    /** Random pods and budgets: the index answers what a scan of every pod with {@link DisruptionBudget#covers} answers, in order. */
    @Test
    void coversWhatAScanCovers() {
        SplittableRandom random = new SplittableRandom(531);
        int nonEmpty = 0;
        for (int trial = 0; trial < 60; trial++) {
            List<ClusterSnapshot.Pod> pods = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Map<String, String> labels = new HashMap<>();
                if (random.nextInt(5) > 0) {
                    labels.put("app", "a" + random.nextInt(6));
                }
                if (random.nextBoolean()) {
                    labels.put("tier", random.nextBoolean() ? "web" : "db");
                }
                String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                Placement placement = new Placement(Map.of(), null, List.of(), ns, labels, List.of(), List.of());
                pods.add(new ClusterSnapshot.Pod(ns, "p" + i, Resources.ZERO, "n" + i % 7, "Running", "ReplicaSet", "rs",
                        new SourceRef("t", i + 1), null, null, placement));
            }
            List<DisruptionBudget> budgets = new ArrayList<>();
            for (int b = 0; b < 12; b++) {
                budgets.add(randomBudget(random, b));
            }
            BudgetCoverage coverage = BudgetCoverage.of(budgets, pods);
            for (DisruptionBudget b : budgets) {
                List<ClusterSnapshot.Pod> scan = pods.stream().filter(b::covers).toList();
                assertThat(coverage.covered(b)).as(b.toString()).containsExactlyElementsOf(scan);
                nonEmpty += scan.isEmpty() ? 0 : 1;
            }
        }
        assertThat(nonEmpty).isBetween(100, 700); // most budgets cover some pods, not all of them
    }

    private static DisruptionBudget randomBudget(SplittableRandom random, int b) {
        String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
        Map<String, String> matchLabels = new HashMap<>();
        if (random.nextInt(4) > 0) {
            matchLabels.put("app", "a" + random.nextInt(7)); // a6 is no pod's
        }
        if (random.nextInt(3) == 0) {
            matchLabels.put("tier", random.nextBoolean() ? "web" : "db");
        }
        List<Placement.Requirement> expressions = random.nextInt(4) == 0
                ? List.of(new Placement.Requirement("tier", random.nextBoolean() ? Placement.Operator.EXISTS : Placement.Operator.DOES_NOT_EXIST,
                List.of()))
                : List.of();
        // As the snapshot reader writes a budget's selector (its own namespace named), and the other forms a term can take.
        Placement.PodAffinityTerm selector = switch (random.nextInt(5)) {
            case 0 -> new Placement.PodAffinityTerm(matchLabels, expressions, List.of(), false, false, "");
            case 1 -> new Placement.PodAffinityTerm(matchLabels, expressions, List.of("shop", "pay"), false, false, "");
            case 2 -> new Placement.PodAffinityTerm(matchLabels, expressions, List.of(), true, false, "");
            default -> new Placement.PodAffinityTerm(matchLabels, expressions, List.of(ns), false, false, "");
        };
        return new DisruptionBudget(ns, "b" + b, selector, null, "1", null, new SourceRef("t", b + 1));
    }
}
