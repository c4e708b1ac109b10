package io.nodesizer.cli;

import io.nodesizer.catalog.CatalogFilter;
import io.nodesizer.catalog.Catalogs;
import io.nodesizer.catalog.GenericFamily;
import io.nodesizer.catalog.NodeShapes;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.InstanceType;
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

    @Option(names = "--catalog", paramLabel = "NAME|FILE", description = "aws (default), gce, azure, or a CSV file of instance types.")
    String catalog;

    @Option(names = "--families", split = ",", paramLabel = "F", description = "Only these families, e.g. m5,r5,c6i.")
    List<String> families;

    @Option(names = "--ratios", split = ",", paramLabel = "R", description = "Only these GiB-per-vCPU ratios (±10%), e.g. 2,4,8.")
    List<Double> ratios;

    @Option(names = "--min-cpu", paramLabel = "N", description = "Smallest vCPU count.")
    Integer minCpu;

    @Option(names = "--max-cpu", paramLabel = "N", description = "Largest vCPU count.")
    Integer maxCpu;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "amd64", description = "amd64 (default), arm64 or any.")
    String arch;

    @Option(names = "--gpu", paramLabel = "MODE", description = "GPU instance types: exclude, include or only. Default: include when the workload requests GPUs, else exclude.")
    String gpu;

    @Option(names = "--node", paramLabel = "SPEC", description = "Add a shape (catalog type or inline spec); with --node or --generic alone, the catalog is not swept unless --catalog is given.")
    List<String> nodes;

    @Option(names = "--generic", paramLabel = "SPEC", description = "Add a generic family: cpu=2..96,ratio=2,4,8,price-per-cpu=0.0316,price-per-gib=0.0042.")
    List<String> generic;

    @Mixin
    NodeOptions nodeOptions;

    @Option(names = "--strategies", paramLabel = "NAMES", defaultValue = "auto",
            description = "Strategies tried per shape (the best is kept), comma-separated, or all. Default auto: ffd,bfd,dot-product,kube-most-allocated "
                    + "up to " + CommonOptions.AUTO_THOROUGH_LIMIT + " pods, ffd above (see benchmarks/BENCHMARKS.md).")
    String strategies;

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
        List<NodeShape> shapes = candidates(w, describe);
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) {
            throw new InputException(SourceLocation.ofFile("--threads"), "The thread count (" + workers + ") must be at least 1.");
        }
        List<ShapeEvaluation> ranked = ShapeSweep.run(w, shapes, chosen, common.seed, workers,
                ProgressBar.create(spec.commandLine().getErr(), "packing " + shapes.size() + " shapes", common.quiet));
        Set<String> notes = new LinkedHashSet<>();
        for (NodeShape s : shapes) {
            notes.addAll(io.nodesizer.kube.DaemonSetPlacement.on(s, w.daemonSets()).notes());
        }
        WorkloadSummary summary = WorkloadSummary.of(w, List.copyOf(notes));
        RecommendReport.Content content = new RecommendReport.Content(summary, ranked,
                Verdicts.fewerLargerVsManySmaller(ranked), Verdicts.memoryToCpuRatio(ranked, summary.memoryPerCpuGib()),
                String.join("; ", describe));
        common.emit(RecommendReport.render(format, content, top, !common.reproducible), spec.commandLine().getOut());
        return 0;
    }

    private List<NodeShape> candidates(Workload w, List<String> describe) {
        List<NodeShape> shapes = new ArrayList<>();
        boolean explicit = (nodes != null && !nodes.isEmpty()) || (generic != null && !generic.isEmpty());
        if (catalog != null || !explicit) {
            String name = catalog == null ? "aws" : catalog;
            List<InstanceType> types = Catalogs.load(name);
            boolean workloadWantsGpus = w.groups().stream().anyMatch(g -> g.request().gpuMillis() > 0);
            CatalogFilter filter = CatalogFilter.fromOptions(families, ratios, minCpu, maxCpu, arch,
                    gpu == null ? (workloadWantsGpus ? "include" : "exclude") : gpu);
            List<InstanceType> kept = filter.apply(types);
            if (kept.isEmpty()) {
                throw new InputException(SourceLocation.ofFile("--catalog"), "No instance type of catalog " + name
                        + " passes the filters: " + filter.whyEmpty(types) + ".");
            }
            for (InstanceType t : kept) {
                shapes.add(NodeShapes.toShape(t, nodeOptions.policyFor(t.provider()), nodeOptions.maxPods(), nodeOptions.diskBytes()));
            }
            describe.add(kept.size() + " of " + types.size() + " " + name + " types (" + filter.describe() + ")");
        }
        if (nodes != null) {
            for (String n : nodes) {
                shapes.add(nodeOptions.shape(n));
            }
            describe.add(nodes.size() + " --node shapes");
        }
        if (generic != null) {
            for (String g : generic) {
                List<NodeShape> family = GenericFamily.parse(g, nodeOptions.policyFor("generic"), nodeOptions.maxPods(), nodeOptions.diskBytes());
                shapes.addAll(family);
                describe.add(family.size() + " generic shapes (" + g + ")");
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        List<NodeShape> unique = new ArrayList<>();
        for (NodeShape s : shapes) {
            if (seen.add(s.name())) {
                unique.add(s);
            }
        }
        return unique;
    }
}
