package io.nodesizer.cli;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.report.RecommendReport;
import io.nodesizer.report.WorkloadSummary;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeSweep;
import io.nodesizer.sweep.Verdicts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code nodesizer recommend}: sweep candidate shapes and rank them by monthly cost. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pack the workload onto every candidate node shape, rank by monthly cost, and answer: fewer-larger or many-smaller nodes, and which memory-to-CPU ratio.")
final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadOptions workload;

    @Mixin
    ShapeOptions shapes;

    @Option(names = "--strategies", paramLabel = "NAMES", defaultValue = "auto",
            description = "Strategies tried per shape (the best is kept), comma-separated, or all; optimize adds the optimizer on the best "
                    + ShapeSweep.OPTIMIZE_TOP + " shapes of the heuristic ranking (and any within " + (int) ShapeSweep.OPTIMIZE_WITHIN_PERCENT
                    + "%% of the best cost) before ranking again. Default auto: ffd,bfd,dot-product,kube-most-allocated "
                    + "up to " + CommonOptions.AUTO_THOROUGH_LIMIT + " pods, ffd above (see benchmarks/BENCHMARKS.md), then the optimizer as with optimize.")
    String strategies;

    @Mixin
    OptimizeOptions optimize;

    /** kube-least-allocated spreads by design, so it is not in the default set. */
    private static final String THOROUGH = "ffd,bfd,dot-product,kube-most-allocated";

    @Option(names = "--top", paramLabel = "N", defaultValue = "25", description = "Rows of the ranking shown in table/markdown/html output (0 = all). Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors). Results do not depend on it.")
    Integer threads;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        var format = common.format();
        Workload w = workload.read();
        var chosen = CommonOptions.strategies(strategies, "--strategies", w.podCount(), THOROUGH);
        List<String> describe = new ArrayList<>();
        List<NodeShape> shapes = this.shapes.candidates(w, describe);
        var settings = optimize.settings();
        List<ShapeEvaluation> ranked = ShapeSweep.run(w, shapes, chosen.heuristics(), common.seed, CommonOptions.workers(threads),
                ProgressBar.create(spec.commandLine().getErr(), "packing " + shapes.size() + " shapes", common.quiet),
                chosen.optimize(), settings);
        Set<String> notes = new LinkedHashSet<>();
        for (NodeShape s : shapes) {
            notes.addAll(io.nodesizer.kube.DaemonSetPlacement.on(s, w.daemonSets()).notes());
        }
        if (optimize.timed() && ranked.stream().anyMatch(ShapeEvaluation::optimized)) {
            notes.add(OptimizeOptions.TIMED_NOTE);
        }
        WorkloadSummary summary = WorkloadSummary.of(w, List.copyOf(notes));
        RecommendReport.Content content = new RecommendReport.Content(summary, ranked,
                Verdicts.fewerLargerVsManySmaller(ranked), Verdicts.memoryToCpuRatio(ranked, summary.memoryPerCpuGib()),
                String.join("; ", describe));
        common.emit(RecommendReport.render(format, content, top, !common.reproducible), spec.commandLine().getOut());
        return 0;
    }
}
