package io.nodesizer.optimize;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.input.Inputs;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints what {@link LocalSearch#improve} gains over FFD, and how long it takes, on the Alibaba
 * openb default trace and on BPPLIB Falkenauer instances (read in place under ../shared/data).
 * Not a test and not a benchmark: a measurement to run by hand, e.g.
 * <pre>
 * mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * java -cp target/test-classes:target/classes:$(cat target/test.cp) io.nodesizer.optimize.LocalSearchMeasure [falkenauer-files...]
 * </pre>
 * Arguments: optional {@code steps unimproved} to override the default limits, then optionally
 * {@code all} to run every Falkenauer instance and print a summary per class instead of a sample.
 */
public final class LocalSearchMeasure {
    private static final Path DATA = Path.of("..", "shared", "data");
    private static final long GIB = 1024L * 1024 * 1024;

    private LocalSearchMeasure() {
    }

    public static void main(String[] args) throws IOException {
        LocalSearch.Limits limits = args.length >= 2
                ? new LocalSearch.Limits(Long.parseLong(args[0]), Long.parseLong(args[1]), null)
                : LocalSearch.Limits.defaults();
        System.out.printf(Locale.ROOT, "limits: %d steps, %d unimproved steps, no time limit%n",
                limits.stepLimit(), limits.unimprovedStepLimit());
        if (args.length >= 3 && args[2].equals("all")) {
            summarizeFalkenauer(limits);
            return;
        }
        System.out.println("instance | pods | bound | FFD nodes | LS nodes | steps | moves evaluated | LS seconds");
        Path openb = DATA.resolve("traces/alibaba-openb/openb_pod_list_default.csv");
        Workload workload = Inputs.read(List.of(openb));
        Resources node = new Resources(96_000, 768 * GIB, 110, 8_000, 0);
        NodeShape shape = new NodeShape("cpu=96,memory=768Gi,pods=110,gpu=8", "inline", "inline", "any", node, node,
                "none", null);
        measure("openb default", new PackingProblem(DemandTable.of(workload), shape, Resources.ZERO), limits);
        List<String> lines = Files.readAllLines(DATA.resolve("binpacking/optima.csv"));
        String[] picks = {"Falkenauer_t60_00", "Falkenauer_t120_00", "Falkenauer_t249_00", "Falkenauer_t501_00",
            "Falkenauer_u120_00", "Falkenauer_u250_00", "Falkenauer_u500_00"};
        for (String pick : picks) {
            for (String line : lines) {
                String[] f = line.split(",");
                if (f[1].contains(pick + ".txt")) {
                    measure(pick + " (opt " + f[5] + ")", bpplib(DATA.resolve("binpacking").resolve(f[1])), limits);
                }
            }
        }
    }

    /** Per class (t60, u120, …): instances, Σ optimum, Σ FFD excess, Σ LS excess, instances at optimum, seconds. */
    private static void summarizeFalkenauer(LocalSearch.Limits limits) throws IOException {
        List<String> lines = Files.readAllLines(DATA.resolve("binpacking/optima.csv"));
        java.util.Map<String, long[]> byClass = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (!f[0].equals("falkenauer")) {
                continue;
            }
            String file = f[1].trim();
            String cls = file.replaceAll(".*Falkenauer_([tu][0-9]+)_.*", "$1");
            int optimum = Integer.parseInt(f[5].trim());
            PackingProblem problem = bpplib(DATA.resolve("binpacking").resolve(file));
            LowerBound bound = LowerBounds.compute(problem);
            PackingResult start = PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1, bound, true);
            LocalSearch.Run run = LocalSearch.run(start, bound, limits, 1, "ffd+local-search");
            PackingVerifier.verify(run.result());
            long[] a = byClass.computeIfAbsent(cls, k -> new long[6]);
            a[0]++;
            a[1] += optimum;
            a[2] += start.nodeCount() - optimum;
            a[3] += run.result().nodeCount() - optimum;
            a[4] += run.result().nodeCount() == optimum ? 1 : 0;
            a[5] += run.elapsedNanos();
        }
        System.out.println("class | instances | FFD excess bins (sum) | LS excess bins (sum) | LS optimal | LS seconds (sum)");
        for (var e : byClass.entrySet()) {
            long[] a = e.getValue();
            System.out.printf(Locale.ROOT, "%s | %d | %d | %d | %d | %.1f%n", e.getKey(), a[0], a[2], a[3], a[4], a[5] / 1e9);
        }
    }

    private static PackingProblem bpplib(Path file) throws IOException {
        String[] tokens = Files.readString(file).trim().split("\\s+");
        int n = Integer.parseInt(tokens[0]);
        long capacity = Long.parseLong(tokens[1]);
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(new PodGroup("item-" + i, "bpplib", new Resources(Long.parseLong(tokens[2 + i]), 0, 1, 0, 0), 1,
                    true, null, new SourceRef(file.toString(), 3 + i)));
        }
        Resources cap = new Resources(capacity, 0, n, 0, 0);
        NodeShape shape = new NodeShape("bin", "bpplib", "bpplib", "any", cap, cap, "none", null);
        return new PackingProblem(DemandTable.of(Workload.of(groups)), shape, Resources.ZERO);
    }

    private static void measure(String name, PackingProblem problem, LocalSearch.Limits limits) {
        LowerBound bound = LowerBounds.compute(problem);
        PackingResult start = PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1, bound, true);
        LocalSearch.Run run = LocalSearch.run(start, bound, limits, 1, "ffd+local-search");
        PackingVerifier.verify(run.result());
        System.out.printf(Locale.ROOT, "%s | %d | %d | %d | %d | %d | %d | %.2f%n", name, problem.table().podCount(),
                bound.value(), start.nodeCount(), run.result().nodeCount(), run.steps(), run.moveEvaluations(),
                run.elapsedNanos() / 1e9);
    }
}
