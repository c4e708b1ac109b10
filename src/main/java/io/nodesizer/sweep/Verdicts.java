package io.nodesizer.sweep;

import io.nodesizer.engine.Amounts;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The two plain answers `recommend` gives after the ranking: fewer-larger vs many-smaller nodes,
 * and the best memory-to-CPU ratio, each with the numbers behind it. Both compare the cheapest
 * shape of each class; a class whose best shape leaves pods unschedulable loses to any class that
 * places everything.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** Node size classes by vCPU: small below 8, medium 8 to 31, large 32 and up. */
    public enum SizeClass {
        SMALL("small", "< 8 vCPU"), MEDIUM("medium", "8-31 vCPU"), LARGE("large", ">= 32 vCPU");

        private final String label;
        private final String range;

        SizeClass(String label, String range) {
            this.label = label;
            this.range = range;
        }

        public String label() {
            return label;
        }

        public String range() {
            return range;
        }

        public static SizeClass of(ShapeEvaluation e) {
            return of(e.shape());
        }

        public static SizeClass of(io.nodesizer.model.NodeShape shape) {
            long cpu = shape.capacity().cpuMillis();
            return cpu < 8000 ? SMALL : cpu < 32000 ? MEDIUM : LARGE;
        }
    }

    /** The cheapest shape of one class (by the sweep ranking), and how many shapes the class had. */
    public record ClassBest(String label, String range, int candidates, ShapeEvaluation best) {
    }

    /** A verdict: the winning class, the per-class bests, and the reasons in plain words. */
    public record Verdict(String question, String winner, List<ClassBest> classes, List<String> reasons) {
        public Verdict {
            classes = List.copyOf(classes);
            reasons = List.copyOf(reasons);
        }
    }

    public static Verdict fewerLargerVsManySmaller(List<ShapeEvaluation> ranked) {
        List<ClassBest> classes = new ArrayList<>();
        for (SizeClass c : SizeClass.values()) {
            classes.add(best(ranked, c.label(), c.range(), e -> SizeClass.of(e) == c));
        }
        return verdict("fewer-larger vs many-smaller", classes, true, ranked);
    }

    /**
     * Ratio classes: the nominal GiB per vCPU rounded to the nearest power of two in log scale
     * (n1-standard's 3.75 counts as 4, highcpu's 0.9 as 1).
     */
    public static double ratioClass(ShapeEvaluation e) {
        double ratio = e.shape().memoryPerCpuGib();
        return Math.pow(2, Math.round(Math.log(ratio) / Math.log(2)));
    }

    /** The ratios of power-of-two class {@code r}: from r/√2 up to, not including, r·√2 ("5.66–11.31 GiB/vCPU" for 8). */
    static String ratioRange(double r) {
        return String.format(Locale.ROOT, "%.2f–%.2f GiB/vCPU", r / Math.sqrt(2), r * Math.sqrt(2));
    }

    public static Verdict memoryToCpuRatio(List<ShapeEvaluation> ranked, double workloadGibPerCpu) {
        java.util.TreeSet<Double> ratios = new java.util.TreeSet<>();
        for (ShapeEvaluation e : ranked) {
            ratios.add(ratioClass(e));
        }
        List<ClassBest> classes = new ArrayList<>();
        for (double r : ratios) {
            classes.add(best(ranked, Amounts.trim(r) + " GiB/vCPU", ratioRange(r), e -> ratioClass(e) == r));
        }
        Verdict v = verdict("best memory-to-CPU ratio", classes, false, ranked);
        List<String> reasons = new ArrayList<>();
        if (Double.isFinite(workloadGibPerCpu)) {
            reasons.add(String.format(Locale.ROOT, "the workload requests %s GiB of memory per CPU", Amounts.trim(workloadGibPerCpu)));
        }
        reasons.addAll(v.reasons());
        // A class is the power of two nearest a shape's ratio (a 6.88 GiB/vCPU shape is in 8's): say so, with the winner's own.
        classes.stream().filter(c -> c.label().equals(v.winner()) && c.best() != null).findFirst().ifPresent(c -> reasons.add(
                "classes are the nearest power of two, each spanning ÷√2 to ×√2 (unlike --ratios' ±10 %): " + c.label() + " is "
                        + c.range() + "; " + c.best().shape().name() + " has " + Amounts.trim(c.best().shape().memoryPerCpuGib()) + " GiB/vCPU"));
        return new Verdict(v.question(), v.winner(), v.classes(), reasons);
    }

    private static ClassBest best(List<ShapeEvaluation> ranked, String label, String range, java.util.function.Predicate<ShapeEvaluation> in) {
        int n = 0;
        ShapeEvaluation best = null;
        for (ShapeEvaluation e : ranked) { // ranked: the first in a class is its best
            if (in.test(e)) {
                n++;
                if (best == null) {
                    best = e;
                }
            }
        }
        return new ClassBest(label, range, n, best);
    }

    /** "1 pod", "146 pods", "6,285 pods". */
    public static String pods(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n) + (n == 1 ? " pod" : " pods");
    }

    /** "1 node", "5 nodes", "1,049 nodes". */
    static String nodes(int n) {
        return String.format(java.util.Locale.ROOT, "%,d", n) + (n == 1 ? " node" : " nodes");
    }

    private static Verdict verdict(String question, List<ClassBest> classes, boolean sizes, List<ShapeEvaluation> ranked) {
        ClassBest winner = null;
        for (ClassBest c : classes) {
            if (c.best() != null && (winner == null || ShapeSweep.RANKING.compare(c.best(), winner.best()) < 0)) {
                winner = c;
            }
        }
        List<String> reasons = new ArrayList<>();
        if (winner == null) {
            return new Verdict(question, "n/a", classes, List.of("no candidate shapes"));
        }
        ShapeEvaluation w = winner.best();
        if (w.nodes() == 0 && !w.complete()) {
            // Not one pod runs on any candidate: no class wins. The note names the largest candidate (the ranking puts it
            // first among shapes that place nothing, but a class's best is only its own largest).
            ShapeEvaluation largest = ranked.get(0);
            return new Verdict(question, "n/a", classes, List.of("no candidate shape places any pod: even " + largest.shape().name()
                    + " leaves " + pods(largest.unschedulableCount()) + " unplaced (" + largest.unschedulable().get(0).reason() + ")"));
        }
        if (!w.complete()) {
            // Then every figure below is of the pods each shape places, not a price for the workload (QA 49c F5: "medium wins
            // with m: 3 nodes, $876.00/month, 11 pods unschedulable" beside the mix that runs them all at $3,650).
            reasons.add("no single shape places every pod: the comparison is of the pods each places, not a price for the workload"
                    + " (pods that some candidate holds but not the rest's: a mix of pools, --max-pools, may place them together; a pod"
                    + " no candidate holds needs another shape)");
        }
        reasons.add(String.format(Locale.ROOT, "%s wins with %s: %s, %s%s, %s stranded, gap to bound %s %%%s",
                winner.label(), w.shape().name(), nodes(w.nodes()), perMonth(w.costPerMonth()),
                w.complete() ? "" : ", " + pods(w.unschedulableCount()) + " unschedulable",
                stranded(w), percent(w.gapPercent()), haGap(w)));
        for (ClassBest c : classes) {
            if (c == winner) {
                continue;
            }
            if (c.best() == null) {
                reasons.add(c.label() + ": no candidate shape");
                continue;
            }
            ShapeEvaluation e = c.best();
            StringBuilder why = new StringBuilder();
            if (!e.complete() && e.unschedulableCount() > w.unschedulableCount()) {
                // The class's best leaves more pods out than the winner: its node count or cost means nothing
                // here. (When the winner leaves as many out, e.g. pods no shape admits, both compare on cost.)
                why.append(c.label()).append(w.complete() ? ": no shape in this class can place the workload: "
                                : ": no shape in this class places as many pods as " + w.shape().name() + ": ").append(e.shape().name())
                        .append(" (its best) leaves ").append(pods(e.unschedulableCount())).append(" unplaced (")
                        .append(e.unschedulable().get(0).reason()).append(')');
                reasons.add(why.toString());
                continue;
            }
            why.append(String.format(Locale.ROOT, "%s (best %s, %s, %s)", c.label(), e.shape().name(), nodes(e.nodes()),
                    perMonth(e.costPerMonth())));
            if (e.costPerMonth() != null && w.costPerMonth() != null && w.costPerMonth() > 0) {
                why.append(String.format(Locale.ROOT, " costs %+.1f %%", 100.0 * (e.costPerMonth() - w.costPerMonth()) / w.costPerMonth()));
                why.append("; strands ").append(stranded(e));
                if (sizes) {
                    why.append(String.format(Locale.ROOT, "; per-node overhead %.1f %% CPU / %.1f %% memory vs %.1f %% / %.1f %%",
                            e.overheadCpuPercent(), e.overheadMemoryPercent(), w.overheadCpuPercent(), w.overheadMemoryPercent()));
                }
            }
            reasons.add(why.toString());
        }
        if (sizes) {
            // The winner beside the class whose single node is the smallest share (the most nodes);
            // when that is the winner itself, beside the one whose node is the largest share.
            // Only classes whose best places as many pods as the winner's: a fleet that leaves pods out has no blast radius
            // for the workload (QA 50c: "one small node 4.0 %" was 1 of 25 nodes that leave 11 pods unplaced).
            ClassBest most = null;
            ClassBest fewest = null;
            boolean partial = false;
            for (ClassBest c : classes) {
                if (c != winner && c.best() != null && c.best().nodes() > 0) {
                    if (c.best().unschedulableCount() > w.unschedulableCount()) {
                        partial = true;
                        continue;
                    }
                    most = most == null || c.best().nodes() > most.best().nodes() ? c : most;
                    fewest = fewest == null || c.best().nodes() < fewest.best().nodes() ? c : fewest;
                }
            }
            if (most != null && most.best().nodes() <= w.nodes()) {
                most = fewest;
            }
            if ((most != null || partial) && w.nodes() > 0) {
                // N+1 is the fleet's own cost when its HA headroom already holds the spare: no second spare is added.
                Double n1 = w.costPerMonthNPlusOne();
                String nPlusOne = w.spareIncluded() ? "the HA headroom is the N+1 spare" + (n1 == null ? "" : ": " + perMonth(n1) + " in all")
                        : n1 == null ? "N+1 is one node more" : "N+1 costs " + perMonth(n1);
                reasons.add(String.format(Locale.ROOT, "blast radius: one %s node failing takes %.1f %% of capacity (%s); %s",
                        winner.label(), w.failureLossPercent(), nPlusOne, most != null
                                ? String.format(Locale.ROOT, "one %s node %.1f %%", most.label(), most.best().failureLossPercent())
                                : "no other class places as many pods to compare with"));
            }
            // Both sides of the HA trade-off: what the classes cost when nothing fails, and what the headroom adds.
            List<String> headroom = new ArrayList<>();
            for (ClassBest c : classes) {
                ShapeEvaluation e = c.best();
                if (e != null && e.complete() && e.sizing() != null && e.nodes() > e.packedNodes() && e.headroomCostPerHour() != null) {
                    headroom.add(String.format(Locale.ROOT, "%s +%,d node%s (+%s/month, %s/month in all)", c.label(), e.nodes() - e.packedNodes(),
                            e.nodes() - e.packedNodes() == 1 ? "" : "s", money(e.headroomCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH),
                            money(e.costPerMonth())));
                }
            }
            if (!headroom.isEmpty()) {
                reasons.add("HA headroom (" + w.sizing().rules().describe() + "): " + String.join("; ", headroom));
            }
        }
        return new Verdict(question, winner.label(), classes, reasons);
    }

    /**
     * The third answer: one shape for everything, or mixed pools. Compares the mix with the best
     * single shape and states the cost bound that both are measured against.
     */
    public static Verdict mixedPools(MixPlanner.Mix mix) {
        List<String> reasons = new ArrayList<>();
        ShapeEvaluation single = mix.bestSingle();
        String pools = poolsText(mix);
        boolean mixed = mix.pools().size() > 1 || single == null || !mix.pools().get(0).shape().name().equals(single.shape().name());
        double perMonth = mix.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH;
        // The bound holds for the mixes this command may answer (MixedPools: at most k pools of at least the minimum
        // size); a mix of more pools or smaller ones may cost less.
        // One decimal as the table's (QA 53a F5: "0 %" here, "0.0 %" there); with sizing, the gap is the planned nodes'.
        String bound = String.format(Locale.ROOT, "cost lower bound %s/month over every mix of up to %d of the %d priced candidates%s (gap %.1f %%%s)",
                money(mix.lowerBoundCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH), Math.min(mix.maxPools(), mix.candidates()), mix.candidates(),
                mix.minNodesPerPool() > 1 ? " with at least " + mix.minNodesPerPool() + " nodes per pool" : "",
                mix.gapPercent(), mix.sizing() == null ? "" : " to the planned nodes' " + money(mix.packedCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH)
                        + "/month, before the HA headroom and the control plane");
        if (mixed) {
            reasons.add(String.format(Locale.ROOT, "mixed pools win: %s, %s, %s/month%s", pools, nodes(mix.nodes()), money(perMonth),
                    single == null ? " (no single shape places every pod)"
                            : String.format(Locale.ROOT, ", saving %s %% against one shape (%s × %,d, %s/month%s)",
                            Amounts.trim(mix.savingPercent(), 2), single.shape().name(), single.nodes(),
                            money(single.costPerMonth()), planned(single)))); // 2 decimals, as JSON and CSV give savingPercent (QA 50c)
        } else if (mix.costPerHour() < single.costPerHour() - 1e-9) {
            // The mix's construction (its LP and dives; ruled workloads on nodes of their own, the others drained into their
            // room) packed the best single shape tighter than the ranking's strategies did.
            reasons.add(String.format(Locale.ROOT, "one shape wins: %s, %s/month, as the mixed-pool planner packs it (the ranking's "
                            + "packing of %s needs %s, %s/month)", pools,
                    money(perMonth), single.shape().name(), nodes(single.nodes()), money(single.costPerMonth())));
        } else {
            reasons.add(String.format(Locale.ROOT, "one shape wins: no mix of up to %d shapes beats %s × %,d at %s/month%s",
                    mix.maxPools(), single.shape().name(), single.nodes(), money(single.costPerMonth()), planned(single)));
        }
        reasons.add(bound);
        if (!mix.leftOut().isEmpty()) {
            reasons.add(leftOutText(mix));
        }
        if (mix.sizing() != null) {
            // Both sides sized by the same rules: the mix's spares and the single shape's headroom.
            StringBuilder sized = new StringBuilder("both sized for production (" + mix.sizing().rules().describe() + ")");
            int spares = mix.pools().stream().mapToInt(MixPlanner.Pool::headroomNodes).sum();
            if (mixed && spares > 0) {
                sized.append(String.format(Locale.ROOT, "; the mix's headroom: %s (%s/month)", sparesText(mix),
                        money(mix.sizing().headroomCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH)));
            }
            if (mix.sizing().podsLeftOutAfterZoneLoss() > 0) {
                int left = mix.sizing().podsLeftOutAfterZoneLoss();
                sized.append("; losing a zone leaves ").append(left).append(left == 1 ? " pod" : " pods")
                        .append(" with no zone its rules admit");
            }
            reasons.add(sized.toString());
        } else if (mix.minNodesPerPool() > 1) {
            reasons.add("every pool runs at least " + mix.minNodesPerPool() + " nodes (--min-nodes-per-pool)");
        }
        return new Verdict("one shape or mixed pools", mixed ? "mixed" : "one shape", List.of(), reasons);
    }

    /**
     * The pods a mix leaves out (they fit no priced candidate, {@link PlaceablePart}): the mix, the
     * single shape it is compared with and the bound are all of the other pods, which a reader of the
     * saving would not otherwise know. Their reasons are named by reason, most pods first, as JSON's
     * {@code mix.unschedulableReasons} counts them: a trace's single pods each named its own (QA 78d: "pod-000001 × 1: …;
     * pod-000002 × 1: …" the same reason three times, then "and 856 more (-o json lists every pod)", which lists the first
     * --max-listed alone).
     */
    static String leftOutText(MixPlanner.Mix mix) {
        java.util.Map<String, List<ShapeEvaluation.UnschedulableGroup>> byReason = new java.util.LinkedHashMap<>();
        for (ShapeEvaluation.UnschedulableGroup u : mix.leftOut()) {
            byReason.computeIfAbsent(u.reason(), r -> new ArrayList<>()).add(u);
        }
        List<java.util.Map.Entry<String, List<ShapeEvaluation.UnschedulableGroup>>> reasons = new ArrayList<>(byReason.entrySet());
        reasons.sort(java.util.Comparator.comparingLong(e -> -podsOf(e.getValue()))); // stable: ties in the order met
        StringBuilder named = new StringBuilder();
        for (int k = 0; k < Math.min(3, reasons.size()); k++) {
            List<ShapeEvaluation.UnschedulableGroup> groups = reasons.get(k).getValue();
            named.append(named.isEmpty() ? "" : "; ");
            if (groups.size() == 1) {
                named.append(groups.get(0).group().name()).append(" × ").append(String.format(Locale.ROOT, "%,d", groups.get(0).pods()));
            } else {
                named.append(pods(podsOf(groups))).append(" of ").append(String.format(Locale.ROOT, "%,d", groups.size())).append(" workloads (")
                        .append(String.join(", ", groups.subList(0, Math.min(3, groups.size())).stream().map(u -> u.group().name()).toList()))
                        .append(groups.size() > 3 ? ", …)" : ")");
            }
            named.append(": ").append(reasons.get(k).getKey());
        }
        if (reasons.size() > 3) {
            long rest = 0;
            for (var e : reasons.subList(3, reasons.size())) {
                rest += podsOf(e.getValue());
            }
            named.append("; and ").append(pods(rest)).append(" for ").append(String.format(Locale.ROOT, "%,d", reasons.size() - 3))
                    .append(reasons.size() == 4 ? " other reason" : " other reasons")
                    .append(" (-o json counts every pod by reason in mix.unschedulableReasons)");
        }
        int placed = mix.table().podCount();
        return String.format(Locale.ROOT, "%s left out: %s stay Pending on any mix (%s); the mix, the single shape and the bound are of the "
                + "other %s", pods(mix.leftOutPods()), mix.leftOutPods() == 1 ? "it fits no priced candidate and would"
                : "they fit no priced candidate and would", named, pods(placed));
    }

    private static long podsOf(List<ShapeEvaluation.UnschedulableGroup> groups) {
        long n = 0;
        for (ShapeEvaluation.UnschedulableGroup u : groups) {
            n += u.pods();
        }
        return n;
    }

    /** {@code +1 m5.4xlarge, +2 r5.2xlarge}: the spare nodes per pool. */
    static String sparesText(MixPlanner.Mix mix) {
        StringBuilder sb = new StringBuilder();
        for (MixPlanner.Pool p : mix.pools()) {
            if (p.headroomNodes() > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append('+').append(p.headroomNodes()).append(' ').append(p.shape().name());
            }
        }
        return sb.toString();
    }

    /** {@code m5.4xlarge × 10 + r5.2xlarge × 3} */
    public static String poolsText(MixPlanner.Mix mix) {
        StringBuilder sb = new StringBuilder();
        for (MixPlanner.Pool p : mix.pools()) {
            sb.append(sb.isEmpty() ? "" : " + ").append(p.shape().name()).append(" × ").append(String.format(Locale.ROOT, "%,d", p.nodes()));
        }
        return sb.toString();
    }

    /** Where the mix's baseline is the best shape as the planner packed it, fewer nodes than the ranking's strategies: that. */
    private static String planned(ShapeEvaluation single) {
        return single.strategy().equals(MixPlanner.PLANNED) ? ", as the mixed-pool planner packs it; the ranking's strategies take more nodes"
                : "";
    }

    /**
     * A gap in percent as the verdicts write it, to a tenth as the ranking's and the mix's tables do (QA 67b F5: "0.0"
     * there, "0 %" here); "inf" when the bound is 0 and nodes are not, "n/a" where nothing is placed.
     */
    private static String percent(double gap) {
        return Double.isNaN(gap) ? "n/a" : Double.isFinite(gap) ? String.format(Locale.ROOT, "%.1f", gap) : "inf";
    }

    /**
     * For a count sized to survive a loss: the packing's gap is not the spares', so the HA count's
     * own bound and gap ({@link ShapeEvaluation#haLowerBound}); empty otherwise.
     */
    private static String haGap(ShapeEvaluation w) {
        return w.sizedToSurvive() ? String.format(Locale.ROOT, " (the packing's; sized to survive, %s against a bound of %,d, gap %s %%)",
                nodes(w.nodes()), w.haLowerBound(), percent(w.haGapPercent())) : "";
    }

    static String stranded(ShapeEvaluation e) {
        return Amounts.formatGrouped(Resource.CPU, e.strandedCpuMillis()) + " CPU / "
                + Amounts.formatGrouped(Resource.MEMORY, e.strandedMemoryBytes()) + " GiB";
    }

    /** "$1,234.00/month", or "no price" for a shape without one ("n/a/month" read as a figure). */
    static String perMonth(Double value) {
        return value == null ? "no price" : money(value) + "/month";
    }

    static String money(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "$%,.2f", value);
    }

    /** Formats with {@code f}, or "n/a" for a missing value. */
    static <T> String orNa(T value, Function<T, String> f) {
        return value == null ? "n/a" : f.apply(value);
    }
}
