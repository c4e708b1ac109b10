package io.nodesizer.quality;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;
import io.nodesizer.engine.strategy.PackingStrategies;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimizer's quality bar on real data (skipped with a message when ../shared/data is absent):
 * optimal on at least 95 % of BPPLIB's Falkenauer u120 and u250, and every readable openb pod
 * list within 1 % of its reported bound on the 96-CPU / 768 GiB / 8-GPU node. Each run verifies
 * its packing, and a result below a proven optimum or a bound above it fails as a bug.
 */
final class OptimizerQualityTest {

    @Test
    void falkenauerUniformInstancesAreSolvedOptimally() throws Exception {
        Assumptions.assumeTrue(BinPackingInstances.available(),
                "skipped: BPPLIB instances not found at " + BinPackingInstances.ROOT.toAbsolutePath());
        int instances = 0;
        int optimal = 0;
        for (BinPackingInstances.Instance in : BinPackingInstances.load()) {
            if (in.file().contains("_u120_") || in.file().contains("_u250_")) {
                OptimizerQuality.Outcome o = OptimizerQuality.run(in);
                instances++;
                optimal += o.nodes() == in.optimum() ? 1 : 0;
            }
        }
        assertThat(instances).isEqualTo(40);
        assertThat(optimal).as("optimal of 40").isGreaterThanOrEqualTo(38);
    }

    @Test
    void openbPodListsEndWithinOnePercentOfTheirBound() {
        Path dir = Path.of("..", "shared", "data", "traces", "alibaba-openb");
        Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: openb traces not found at " + dir.toAbsolutePath());
        long gib = 1024L * 1024 * 1024;
        Resources cap = new Resources(96_000, 768 * gib, 110, 8_000, 0);
        NodeShape shape = new NodeShape("custom-96c-768g-8gpu", "inline", "inline", "amd64", cap, cap, "none", null);
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().matches("openb_pod_list_.*\\.csv")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(files).as("openb pod lists in " + dir).isNotEmpty();
        for (Path path : files) {
            String file = path.getFileName().toString();
            Workload w = Inputs.read(List.of(path));
            ShapeEvaluator evaluator = new ShapeEvaluator(DemandTable.of(w), w.daemonSets(),
                    List.of(PackingStrategies.FFD, PackingStrategies.KUBE_MOST_ALLOCATED), 1, ShapeEvaluator.OptimizeMode.ALWAYS,
                    ShapeOptimizer.Settings.defaults());
            ShapeEvaluation e = evaluator.evaluate(shape).evaluation();
            // GPUs are devices: cpu050's many shares that cannot pair up (0.81, 0.65 of a GPU) raise
            // its optimum above the pooled bound; the device bounds prove 782 and the packing
            // reaches 785 (0.38 %) since the master LP starts from the best heuristic's patterns.
            assertThat(e.gapPercent()).as(file + ": " + e.nodes() + " nodes, bound " + e.lowerBound()).isLessThanOrEqualTo(1.0);
        }
    }
}
