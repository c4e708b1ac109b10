package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.sweep.MixPlanner;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeSweep;
import io.nodesizer.sweep.Verdicts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@code nodesizer recommend}: the ranked shapes and the two verdicts. */
public final class RecommendReport {
    private RecommendReport() {
    }

    /**
     * @param mix        the mixed pools (null unless --max-pools is 2 or more)
     * @param mixVerdict the third verdict, one shape or mixed pools (null without a mix)
     * @param winner     the first row's packing, for the HTML report's per-node chart (null: no such chart)
     */
    public record Content(WorkloadSummary workload, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes,
                          Verdicts.Verdict ratio, String candidates, MixPlanner.Mix mix, Verdicts.Verdict mixVerdict,
                          Baseline baseline, io.nodesizer.sweep.HaSizing.Rules rules, io.nodesizer.engine.PackingResult winner) {
        public Content {
            ranked = List.copyOf(ranked);
        }

        public Content(WorkloadSummary workload, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes, Verdicts.Verdict ratio,
                       String candidates, MixPlanner.Mix mix, Verdicts.Verdict mixVerdict, Baseline baseline,
                       io.nodesizer.sweep.HaSizing.Rules rules) {
            this(workload, ranked, sizes, ratio, candidates, mix, mixVerdict, baseline, rules, null);
        }

        public Content(WorkloadSummary workload, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes, Verdicts.Verdict ratio,
                       String candidates, MixPlanner.Mix mix, Verdicts.Verdict mixVerdict, Baseline baseline) {
            this(workload, ranked, sizes, ratio, candidates, mix, mixVerdict, baseline, null);
        }

        /** The HA sizing line, or null for the bare packing. */
        String sizingLine() {
            return rules == null || rules.bare() ? null : "sized for production: " + rules.describe()
                    + (rules.minNodes() > 1 ? " (--min-nodes-per-pool 1 for the bare minimum)" : "");
        }

        public Content(WorkloadSummary workload, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes, Verdicts.Verdict ratio,
                       String candidates, MixPlanner.Mix mix, Verdicts.Verdict mixVerdict) {
            this(workload, ranked, sizes, ratio, candidates, mix, mixVerdict, null);
        }

        public Content(WorkloadSummary workload, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes, Verdicts.Verdict ratio,
                       String candidates) {
            this(workload, ranked, sizes, ratio, candidates, null, null);
        }

        List<Verdicts.Verdict> verdicts() {
            return mixVerdict == null ? List.of(sizes, ratio) : List.of(sizes, ratio, mixVerdict);
        }
    }

    /** The pods left out that each shape's (and the mix's) {@code unschedulable} lists by default: recommend's --max-listed. */
    public static final int DEFAULT_MAX_LISTED = 100;

    /** {@code --max-listed all}: every pod left out listed, as pack lists them. */
    public static final int ALL_LISTED = JsonTrees.ALL_LISTED;

    /**
     * @param top     rows of the table/markdown ranking to show (0 = all); JSON and CSV always hold all
     * @param timings false leaves out wall-clock times (for byte-identical output)
     */
    public static String render(ReportFormat format, Content c, int top, boolean timings) {
        return switch (format) {
            case JSON -> json(c, timings);
            case CSV -> csv(c, timings);
            case TABLE -> text(c, top, false);
            case MARKDOWN -> text(c, top, true);
            case HTML -> html(c, top);
        };
    }

    /**
     * Today's cluster (recommend --snapshot): its worker nodes and their cost per hour (null when
     * some instance type has no known price).
     */
    /**
     * @param pendingPods    pods the snapshot shows Pending (kube-scheduler's to place): the sizing places them, today's
     *                       nodes do not run them, so a cost above today's is partly theirs
     * @param pendingRequest what those pods request
     * @param deletingNodes  worker nodes an autoscaler is deleting, in neither {@code nodes} nor {@code costPerHour}
     */
    public record Baseline(int nodes, Double costPerHour, List<String> unknownTypes, int pendingPods, io.nodesizer.model.Resources pendingRequest,
                           int deletingNodes) {
        public Baseline(int nodes, Double costPerHour, List<String> unknownTypes) {
            this(nodes, costPerHour, unknownTypes, 0, io.nodesizer.model.Resources.ZERO, 0);
        }

        /** The top-ranked shape's saving against today, in percent (negative: it costs more); null when unknown. */
        Double savingPercent(List<ShapeEvaluation> ranked) {
            if (costPerHour == null || costPerHour <= 0 || ranked.isEmpty() || ranked.get(0).costPerHour() == null
                    || !ranked.get(0).complete()) {
                return null;
            }
            return 100.0 * (costPerHour - ranked.get(0).costPerHour()) / costPerHour;
        }

        /**
         * Today's nodes and cost, and what the top-ranked shape would cost against them; when it leaves pods out, why there is
         * no comparison, and the mix of pools' when one places every pod (QA 64a F2: "today's cluster: 36 nodes, $12.15/h" and
         * nothing else, JSON savingPercent null, with no word why).
         */
        String line(List<ShapeEvaluation> ranked, MixPlanner.Mix mix) {
            String today = line(ranked);
            if (savingPercent(ranked) != null || costPerHour == null || costPerHour <= 0 || ranked.isEmpty() || ranked.get(0).complete()) {
                return today;
            }
            String why = today + "; no single shape compares: the best, " + ranked.get(0).shape().name() + ", leaves "
                    + io.nodesizer.sweep.Verdicts.pods(ranked.get(0).unschedulableCount()) + " out";
            if (mix == null || mix.leftOutPods() > 0) {
                return why + (mix == null ? " (--max-pools mixes pools that may hold them)" : "");
            }
            double saving = 100.0 * (costPerHour - mix.costPerHour()) / costPerHour;
            return why + "; the mix of pools below places every pod and would cost "
                    + String.format(java.util.Locale.ROOT, "%.1f %% %s", Math.abs(saving), saving >= 0 ? "less" : "more");
        }

        String line(List<ShapeEvaluation> ranked) {
            String today = "today's cluster: " + nodes + (nodes == 1 ? " node, " : " nodes, ")
                    + (deletingNodes == 0 ? "" : "not counting " + deletingNodes + " that an autoscaler is deleting, ")
                    + (costPerHour == null ? "cost unknown (no price for " + String.join(", ", unknownTypes) + ")"
                    : "$" + Fmt.money(costPerHour) + "/h ($" + Fmt.money(costPerHour * ShapeEvaluation.HOURS_PER_MONTH) + "/month)");
            Double saving = savingPercent(ranked);
            if (saving == null) {
                return today;
            }
            return today + "; on " + ranked.get(0).shape().name() + " this would cost "
                    + String.format(java.util.Locale.ROOT, "%.1f %% %s", Math.abs(saving), saving >= 0 ? "less" : "more")
                    + (pendingPods == 0 ? "" : ", running " + pendingPods + (pendingPods == 1 ? " pod" : " pods") + " that today's nodes "
                    + "leave Pending (" + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, pendingRequest.cpuMillis())
                    + " CPU, " + io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, pendingRequest.memoryBytes())
                    + " GiB): not like for like");
        }
    }

    private static String json(Content c, boolean timings) {
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            writeJson(c, timings, DEFAULT_MAX_LISTED, null, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The JSON report ({@link #render}'s text) written as it is made, one shape's object at a time:
     * a whole catalog's shapes with every unschedulable pod of each (hundreds of shapes that take
     * none of a GPU trace's pods, {@code --max-listed all}) are gigabytes of text, which neither a heap nor a string holds.
     *
     * @param maxListed   the pods left out listed per shape and in the mix (--max-listed; {@link #ALL_LISTED}: all); their
     *                    count and reasons are always whole
     * @param generatedAt the report's {@code generatedAt} field, last (--timestamp); null for none
     */
    public static void writeJson(Content c, boolean timings, int maxListed, String generatedAt, java.io.Writer out) throws java.io.IOException {
        com.fasterxml.jackson.core.JsonGenerator gen = JsonTrees.MAPPER.writer().createGenerator(out)
                .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (gen) {
            gen.writeStartObject();
            for (var field : head(c).properties()) {
                gen.writeFieldName(field.getKey());
                gen.writeTree(field.getValue());
            }
            gen.writeArrayFieldStart("shapes");
            int rank = 1;
            for (ShapeEvaluation e : c.ranked()) {
                ObjectNode s = JsonTrees.evaluation(e, null, timings, maxListed);
                s.put("rank", rank++);
                gen.writeTree(s);
            }
            gen.writeEndArray();
            ObjectNode verdicts = JsonTrees.MAPPER.createObjectNode();
            verdicts.set("fewerLargerVsManySmaller", JsonTrees.verdict(c.sizes()));
            verdicts.set("memoryToCpuRatio", JsonTrees.verdict(c.ratio()));
            if (c.mix() != null) {
                verdicts.set("mixedPools", JsonTrees.verdict(c.mixVerdict()));
            }
            gen.writeFieldName("verdicts");
            gen.writeTree(verdicts);
            if (c.mix() != null) {
                gen.writeFieldName("mix");
                gen.writeTree(mixJson(c.mix(), c.rules() == null ? 1 : c.rules().zones(), maxListed));
            }
            if (generatedAt != null) {
                gen.writeStringField("generatedAt", generatedAt);
            }
            gen.writeEndObject();
        }
        out.write("\n");
        out.flush();
    }

    /** The report's fields before its shapes. */
    private static ObjectNode head(Content c) {
        ObjectNode o = JsonTrees.reportRoot("recommend");
        if (c.baseline() != null) {
            ObjectNode b = o.putObject("baseline");
            b.put("nodes", c.baseline().nodes());
            b.put("deletingNodes", c.baseline().deletingNodes()); // worker nodes an autoscaler is deleting: not in nodes nor the cost
            JsonTrees.putNullable(b, "costPerHour", JsonTrees.perHour(c.baseline().costPerHour()));
            JsonTrees.putNullable(b, "costPerMonth", c.baseline().costPerHour() == null ? null
                    : Fmt.round(c.baseline().costPerHour() * ShapeEvaluation.HOURS_PER_MONTH, 2));
            Double saving = c.baseline().savingPercent(c.ranked());
            JsonTrees.putNullable(b, "savingPercent", saving == null ? null : Fmt.round(saving, 2));
            ArrayNode unknown = b.putArray("unknownInstanceTypes");
            c.baseline().unknownTypes().forEach(unknown::add);
            b.put("pendingPods", c.baseline().pendingPods()); // the sizing places them; today's nodes do not
            b.set("pendingRequests", JsonTrees.resources(c.baseline().pendingRequest()));
        }
        o.set("workload", JsonTrees.workload(c.workload()));
        o.put("candidates", c.candidates());
        if (provable(c.ranked())) {
            List<ShapeEvaluation> challengers = ShapeSweep.challengers(c.ranked());
            o.put("cheapestProven", challengers.isEmpty());
            ArrayNode might = o.putArray("mightCostLess");
            for (ShapeEvaluation e : challengers) {
                ObjectNode m = might.addObject();
                m.put("shape", e.shape().name());
                m.put("boundCostPerMonth", Fmt.round(e.boundCostPerMonth(), 2));
            }
        }
        if (c.rules() != null) {
            ObjectNode sizing = o.putObject("sizing");
            sizing.put("minNodesPerPool", c.rules().minNodes());
            sizing.put("survive", c.rules().survive().label());
            sizing.put("zones", c.rules().zones());
            if (c.rules().controlPlane() != null) {
                ObjectNode cp = o.putObject("controlPlane");
                cp.put("shape", c.rules().controlPlane().shape());
                cp.put("nodes", c.rules().controlPlane().nodes());
                cp.put("costPerHour", Fmt.round(c.rules().controlPlane().costPerHour(), Fmt.PER_HOUR_DECIMALS));
            }
        }
        return o;
    }

    /**
     * @param zones     the zones of --zones (1 without): with more, each pool gets its nodes per zone, in their order
     * @param maxListed the pods left out that {@code unschedulable} lists (--max-listed)
     */
    private static ObjectNode mixJson(MixPlanner.Mix mix, int zones, int maxListed) {
        ObjectNode m = JsonTrees.MAPPER.createObjectNode();
        ArrayNode pools = m.putArray("pools");
        for (int i = 0; i < mix.pools().size(); i++) {
            MixPlanner.Pool p = mix.pools().get(i);
            ObjectNode pool = pools.addObject();
            pool.set("shape", JsonTrees.shape(p.shape(), p.daemonSetLoad()));
            pool.put("nodes", p.nodes());
            if (mix.sizing() != null) {
                pool.put("packedNodes", p.packedNodes());
                pool.put("headroomNodes", p.headroomNodes());
            }
            pool.put("costPerHour", Fmt.round(p.costPerHour(), Fmt.PER_HOUR_DECIMALS));
            if (zones > 1 && mix.nodeZones() != null) {
                int[] perZone = new int[zones];
                for (int node = 0; node < mix.nodes(); node++) {
                    if (mix.nodeShape()[node] == i) {
                        perZone[mix.nodeZones()[node]]++;
                    }
                }
                ArrayNode z = pool.putArray("nodesPerZone");
                for (int k : perZone) {
                    z.add(k);
                }
            }
        }
        m.put("nodes", mix.nodes());
        m.put("costPerHour", Fmt.round(mix.costPerHour(), Fmt.PER_HOUR_DECIMALS));
        m.put("costPerMonth", Fmt.round(mix.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH, 2));
        if (mix.sizing() != null) {
            // As for each shape: costPerHour is the whole cluster's, the headroom and the control plane included.
            m.put("packedCostPerHour", Fmt.round(mix.sizing().packedCostPerHour(), Fmt.PER_HOUR_DECIMALS));
            m.put("headroomCostPerHour", Fmt.round(mix.sizing().headroomCostPerHour(), Fmt.PER_HOUR_DECIMALS));
            m.put("controlPlaneCostPerHour", Fmt.round(mix.sizing().controlPlaneCostPerHour(), Fmt.PER_HOUR_DECIMALS));
            if (mix.sizing().rules().survive() == io.nodesizer.sweep.HaSizing.Survive.ZONE) {
                m.put("podsLeftOutAfterZoneLoss", mix.sizing().podsLeftOutAfterZoneLoss());
            }
        }
        m.put("lowerBoundCostPerHour", Fmt.round(mix.lowerBoundCostPerHour(), Fmt.PER_HOUR_DECIMALS));
        JsonTrees.putFinite(m, "gapPercent", Fmt.round(mix.gapPercent(), 2));
        JsonTrees.putNullable(m, "savingPercent", mix.savingPercent() == null ? null : Fmt.round(mix.savingPercent(), 2));
        if (mix.bestSingle() == null) {
            m.putNull("bestSingleShape");
        } else {
            m.put("bestSingleShape", mix.bestSingle().shape().name());
        }
        m.put("maxPools", mix.maxPools());
        m.put("minNodesPerPool", mix.minNodesPerPool());
        m.put("candidates", mix.candidates());
        // The pods that fit no priced candidate, left out of the mix (PlaceablePart), as a shape's: counted, by reason, and
        // the first maxListed as {"pod", "reason"}.
        JsonTrees.putUnschedulable(m, mix.leftOut(), mix.leftOutPods(), maxListed);
        return m;
    }

    private static final List<TextTable.Column> HUMAN_COLUMNS = List.of(
            TextTable.Column.right("#"), TextTable.Column.left("shape"), TextTable.Column.right("vCPU"),
            TextTable.Column.right("mem GiB"), TextTable.Column.right("GiB/vCPU"), TextTable.Column.right("alloc CPU"),
            TextTable.Column.right("alloc GiB"), TextTable.Column.right("nodes"), TextTable.Column.right("bound"),
            TextTable.Column.right("gap %"), TextTable.Column.right("unsched"), TextTable.Column.right("$/h"),
            TextTable.Column.right("$/month"), TextTable.Column.right("CPU %"), TextTable.Column.right("mem %"),
            TextTable.Column.right("stranded CPU"), TextTable.Column.right("stranded GiB"),
            TextTable.Column.right("1 node lost %"), TextTable.Column.right("N+1 $/month"), TextTable.Column.left("strategy"),
            TextTable.Column.left("opt"));

    /** Where {@link #HUMAN_COLUMNS} gets a shape's GPUs per node and their use, when GPUs are in play: after "mem GiB" and "mem %". */
    private static final int GPU_AFTER = column("mem GiB");
    private static final int GPU_USE_AFTER = column("mem %");

    private static int column(String header) {
        for (int i = 0; i < HUMAN_COLUMNS.size(); i++) {
            if (HUMAN_COLUMNS.get(i).header().equals(header)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + header);
    }

    /**
     * Whether the ranking and the mixed-pools table show GPUs per node (and the ranking their use): where a candidate has
     * GPUs or the workload asks for them, placed or not. They may set the node count (QA 67c F7: a GPU workload's ranking
     * said nothing of them, its stranded CPU unexplained), and a column of zeros beside GPU pods left out says why (QA 75a
     * item 6: the ranking counted only the GPUs of pods placed, and the mix table showed the column always).
     */
    static boolean gpuColumns(Content c) {
        return c.workload().totalRequests().gpuMillis() > 0 || c.ranked().stream().anyMatch(e -> e.shape().capacity().gpuMillis() > 0);
    }

    static TextTable humanTable(List<ShapeEvaluation> ranked, int top, boolean gpus) {
        List<List<String>> rows = new ArrayList<>();
        int limit = top <= 0 ? ranked.size() : Math.min(top, ranked.size());
        for (int i = 0; i < limit; i++) {
            ShapeEvaluation e = ranked.get(i);
            var s = e.shape();
            List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), s.name(), Fmt.cpu(s.capacity().cpuMillis()),
                    Fmt.gib(s.capacity().memoryBytes()),
                    String.format(Locale.ROOT, "%.2f", s.memoryPerCpuGib()), Fmt.cpu(s.allocatable().cpuMillis()),
                    Fmt.gib(s.allocatable().memoryBytes()), ShapeCells.nodes(e), ShapeCells.bound(e),
                    ShapeCells.gap(e), String.format(Locale.ROOT, "%,d", e.unschedulableCount()), Fmt.perHour(e.costPerHour()),
                    Fmt.money(e.costPerMonth()), Fmt.ratio(e.cpuUtilization()), Fmt.ratio(e.memoryUtilization()),
                    // grouped as the money columns and the verdicts below write them (QA 49b F6: 1411.808 beside 1,411.808)
                    io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.CPU, e.strandedCpuMillis()),
                    io.nodesizer.engine.Amounts.formatGrouped(io.nodesizer.model.Resource.MEMORY, e.strandedMemoryBytes()),
                    Fmt.pct(e.failureLossPercent()), Fmt.money(e.costPerMonthNPlusOne()), strategy(e), e.optimized() ? "yes" : ""));
            if (gpus) {
                row.add(GPU_USE_AFTER + 1, Fmt.ratio(e.gpuUtilization()));
                row.add(GPU_AFTER + 1, Long.toString(s.capacity().gpuMillis() / 1000));
            }
            rows.add(row);
        }
        if (!gpus) {
            return new TextTable(HUMAN_COLUMNS, rows);
        }
        List<TextTable.Column> columns = new ArrayList<>(HUMAN_COLUMNS);
        columns.add(GPU_USE_AFTER + 1, TextTable.Column.right("GPU %"));
        columns.add(GPU_AFTER + 1, TextTable.Column.right("GPU"));
        return new TextTable(columns, rows);
    }

    /** The strategy that made the packing, and the dominated shape whose packing it is where it is one ({@link ShapeEvaluation#packingOf}). */
    private static String strategy(ShapeEvaluation e) {
        return e.packingOf() == null ? e.strategy() : e.strategy() + " (" + e.packingOf() + "'s packing)";
    }

    private static String csv(Content c, boolean timings) {
        List<String> headers = List.of("rank", "shape", "provider", "family", "arch", "cpuMillis", "memoryBytes", "gpus", "memoryPerCpuGib",
                "allocatableCpuMillis", "allocatableMemoryBytes", "allocatablePods", "daemonSetCpuMillis", "daemonSetMemoryBytes",
                "nodes", "lowerBound", "lowerBoundMethod", "gapPercent", "unschedulable", "pricePerHour", "costPerHour", "costPerMonth",
                "utilizationCpu", "utilizationMemory", "strandedCpuMillis", "strandedMemoryBytes", "failureLossPercent",
                "costPerMonthNPlusOne", "sizeClass", "strategy", "optimized", "elapsedMillis",
                // Appended, so that readers by position keep working: the packing's nodes and the HA
                // headroom on top (nodes = packedNodes + headroomNodes), and the mix's saving.
                "packedNodes", "headroomNodes", "savingPercent",
                // The HA sizing's own bound and gap, under --survive (empty otherwise).
                "haLowerBound", "haGapPercent",
                // The least the shape can cost, by its bound (ShapeEvaluation.boundCostPerHour).
                "boundCostPerMonth",
                // The GPU share over the nodes of utilizationCpu (empty without GPUs), as the table's GPU %, and the GPUs'
                // model, as JSON's gpuModel (QA 69a F10).
                "utilizationGpu", "gpuModel",
                // Under --survive zone (empty otherwise), JSON's zoneLossesUnchecked: the zones whose loss, played on the cluster
                // as it runs, is not known to be survived (review 69 #12: it was in JSON only); and JSON's
                // podsLeftOutAfterZoneLoss: pods whose rules admit no zone left when theirs is lost (the mix-total row the mix's).
                "zoneLossesUnchecked", "podsLeftOutAfterZoneLoss",
                // JSON's packingOf: the dominated shape whose packing the shape holds (empty for its own).
                "packingOf");
        List<TextTable.Column> cols = new ArrayList<>();
        for (String h : headers) {
            cols.add(TextTable.Column.left(h));
        }
        List<List<String>> rows = new ArrayList<>();
        int rank = 1;
        for (ShapeEvaluation e : c.ranked()) {
            var s = e.shape();
            rows.add(List.of(Integer.toString(rank++), s.name(), s.provider(), s.family(), s.arch(),
                    Long.toString(s.capacity().cpuMillis()), Long.toString(s.capacity().memoryBytes()),
                    Long.toString(s.capacity().gpuMillis() / 1000), num(s.memoryPerCpuGib(), 3),
                    Long.toString(s.allocatable().cpuMillis()), Long.toString(s.allocatable().memoryBytes()),
                    Long.toString(s.allocatable().pods()), Long.toString(e.daemonSetLoad().cpuMillis()),
                    Long.toString(e.daemonSetLoad().memoryBytes()), Integer.toString(e.nodes()),
                    Integer.toString(e.lowerBound().value()), e.lowerBound().method(), num(e.gapPercent(), 2),
                    Integer.toString(e.unschedulableCount()), nullable(s.pricePerHourUsd(), 6), nullable(e.costPerHour(), Fmt.PER_HOUR_DECIMALS),
                    nullable(e.costPerMonth(), 2), num(e.cpuUtilization(), 4), num(e.memoryUtilization(), 4),
                    Long.toString(e.strandedCpuMillis()), Long.toString(e.strandedMemoryBytes()), num(e.failureLossPercent(), 2),
                    nullable(e.costPerMonthNPlusOne(), 2), Verdicts.SizeClass.of(e).label(), e.strategy(), Boolean.toString(e.optimized()),
                    timings ? num(e.elapsedNanos() / 1e6, 3) : "", Integer.toString(e.packedNodes()),
                    Integer.toString(e.nodes() - e.packedNodes()), "", e.sizedToSurvive() ? Integer.toString(e.haLowerBound()) : "",
                    e.sizedToSurvive() ? num(e.haGapPercent(), 2) : "", nullable(e.boundCostPerMonth(), 2), num(e.gpuUtilization(), 4), io.nodesizer.model.GpuModels.board(s),
                    e.sizing() != null && e.sizing().zoneLossReported() ? Integer.toString(e.sizing().zoneLossesUnchecked()) : "",
                    e.sizing() != null && e.sizing().zoneLossReported() ? Integer.toString(e.sizing().podsLeftOutAfterZoneLoss()) : "",
                    e.packingOf() == null ? "" : e.packingOf()));
        }
        if (c.mix() != null) {
            // The mix's pools as rows ranked "mix": one row per pool, the shape's own columns filled, their costs adding up to
            // the mix-total row's (less a control plane, which has no row here).
            double[][] costs = shownCosts(c.mix(), false);
            for (int k = 0; k < c.mix().pools().size(); k++) {
                MixPlanner.Pool p = c.mix().pools().get(k);
                var s = p.shape();
                List<String> row = new ArrayList<>();
                row.addAll(List.of("mix", s.name(), s.provider(), s.family(), s.arch(), Long.toString(s.capacity().cpuMillis()),
                        Long.toString(s.capacity().memoryBytes()), Long.toString(s.capacity().gpuMillis() / 1000), num(s.memoryPerCpuGib(), 3),
                        Long.toString(s.allocatable().cpuMillis()), Long.toString(s.allocatable().memoryBytes()),
                        Long.toString(s.allocatable().pods()), Long.toString(p.daemonSetLoad().cpuMillis()),
                        Long.toString(p.daemonSetLoad().memoryBytes()), Integer.toString(p.nodes()), "", "", "", "",
                        nullable(s.pricePerHourUsd(), 6), num(costs[0][k], Fmt.PER_HOUR_DECIMALS), num(costs[1][k], 2)));
                while (row.size() < cols.size()) {
                    row.add("");
                }
                row.set(headers.indexOf("packedNodes"), Integer.toString(p.packedNodes()));
                row.set(headers.indexOf("headroomNodes"), Integer.toString(p.headroomNodes()));
                row.set(headers.indexOf("gpuModel"), io.nodesizer.model.GpuModels.board(s));
                rows.add(row);
            }
            List<String> total = mixTotalRow(headers, c.mix());
            if (c.mix().sizing() != null && c.mix().sizing().rules().survive() == io.nodesizer.sweep.HaSizing.Survive.ZONE) {
                total.set(headers.indexOf("podsLeftOutAfterZoneLoss"), Integer.toString(c.mix().sizing().podsLeftOutAfterZoneLoss()));
            }
            rows.add(total);
            // The cost bound and the gap, as the other formats give them: a row ranked "mix-bound".
            rows.add(sparseRow(headers, "mix-bound", "cost-lower-bound", Map.of("gapPercent", num(c.mix().gapPercent(), 2),
                    "costPerHour", num(c.mix().lowerBoundCostPerHour(), Fmt.PER_HOUR_DECIMALS),
                    "costPerMonth", num(c.mix().lowerBoundCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH, 2))));
        }
        if (c.baseline() != null) {
            // Today's cluster (--snapshot) as a row ranked "baseline": its nodes and cost, empty
            // where one shape's figures do not apply; the cost is empty when a type has no price.
            Baseline b = c.baseline();
            // With the saving and today's pending pods, as JSON's baseline has them (QA 67c F15).
            rows.add(sparseRow(headers, "baseline", "current-cluster", Map.of("nodes", Integer.toString(b.nodes()),
                    "costPerHour", nullable(b.costPerHour(), Fmt.PER_HOUR_DECIMALS),
                    "costPerMonth", b.costPerHour() == null ? "" : num(b.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH, 2),
                    "savingPercent", nullable(b.savingPercent(c.ranked()), 2), "unschedulable", Integer.toString(b.pendingPods()))));
        }
        return new TextTable(cols, rows).renderCsv();
    }

    /**
     * The table's "mix total" line as a CSV row ranked "mix-total": the whole mix's nodes and cost
     * (the control plane included, as in the table) and its saving against the best single shape,
     * so that a CSV reader need not sum the pools' rows.
     */
    private static List<String> mixTotalRow(List<String> headers, MixPlanner.Mix mix) {
        int headroom = mix.pools().stream().mapToInt(MixPlanner.Pool::headroomNodes).sum();
        return sparseRow(headers, "mix-total", "all-pools", Map.of("nodes", Integer.toString(mix.nodes()),
                "packedNodes", Integer.toString(mix.nodes() - headroom), "headroomNodes", Integer.toString(headroom),
                "costPerHour", num(mix.costPerHour(), Fmt.PER_HOUR_DECIMALS),
                "costPerMonth", num(mix.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH, 2),
                "savingPercent", nullable(mix.savingPercent(), 2), "unschedulable", Integer.toString(mix.leftOutPods())));
    }

    /** A CSV row with only its rank, its shape column and the columns named in {@code values} filled (by header, not position). */
    private static List<String> sparseRow(List<String> headers, String rank, String shape, Map<String, String> values) {
        List<String> row = new ArrayList<>(java.util.Collections.nCopies(headers.size(), ""));
        row.set(0, rank);
        row.set(1, shape);
        values.forEach((header, v) -> row.set(headers.indexOf(header), v));
        return row;
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(Fmt.round(v, decimals)).toPlainString() : "";
    }

    private static String nullable(Double v, int decimals) {
        return v == null ? "" : num(v, decimals);
    }

    private static String text(Content c, int top, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        String title = "nodesizer recommend: " + c.workload().oneLine();
        sb.append(markdown ? "# " + MarkdownText.escape(title) + "\n\n" : title + "\n");
        sb.append("candidates: ").append(MarkdownText.of(markdown, c.candidates())).append(markdown ? "\n\n" : "\n");
        if (c.sizingLine() != null) {
            sb.append(c.sizingLine()).append(markdown ? "\n\n" : "\n");
        }
        if (c.baseline() != null) {
            sb.append(MarkdownText.of(markdown, c.baseline().line(c.ranked(), c.mix()))).append(markdown ? "\n\n" : "\n");
        }
        sb.append(markdown ? "" : "\n");
        TextTable table = humanTable(c.ranked(), top, gpuColumns(c));
        sb.append(markdown ? table.renderMarkdown() : table.renderAligned());
        if (top > 0 && c.ranked().size() > top) {
            sb.append(markdown ? "\n" : "").append("… ").append(c.ranked().size() - top)
                    .append(" more shapes (--top 0 shows all; -o csv or -o json has every shape)\n");
        }
        long optimized = c.ranked().stream().filter(ShapeEvaluation::optimized).count();
        if (optimized > 0) {
            sb.append(markdown ? "\n" : "").append("opt = yes: the optimizer (pattern LP bound and packing) ran on ")
                    .append(optimized == 1 ? "this shape, the best" : "these " + optimized + " shapes, the best")
                    .append(" of the heuristic ranking; the other rows are heuristic packings.\n");
        }
        String proof = proofLine(c.ranked());
        if (proof != null) {
            sb.append(markdown ? "\n" : "").append(MarkdownText.of(markdown, proof)).append('\n');
        }
        if (c.mix() != null) {
            sb.append('\n').append(markdown ? "## " : "").append("Mixed pools (up to ").append(c.mix().maxPools()).append(" shapes)\n");
            if (!markdown) {
                sb.append('\n');
            }
            TextTable pools = mixTable(c.mix(), gpuColumns(c));
            sb.append(markdown ? "\n" + pools.renderMarkdown() : pools.renderAligned());
        }
        for (Verdicts.Verdict v : c.verdicts()) {
            sb.append('\n').append(markdown ? "## " : "").append(capitalize(v.question())).append(": ")
                    .append(MarkdownText.of(markdown, v.winner())).append('\n');
            for (String reason : v.reasons()) {
                sb.append(markdown ? "- " : "  - ").append(MarkdownText.of(markdown, reason)).append('\n');
            }
        }
        PackReport.appendWorkloadNotes(sb, c.workload(), markdown);
        return sb.toString();
    }

    /** Pools, then the total, the best single shape and the bound, as rows; GPUs per node where {@code gpus} ({@link #gpuColumns}). */
    static TextTable mixTable(MixPlanner.Mix mix, boolean gpus) {
        List<List<String>> rows = new ArrayList<>();
        double[][] costs = shownCosts(mix, true); // the pools', then the control plane's: adding up to the total's
        for (int k = 0; k < mix.pools().size(); k++) {
            MixPlanner.Pool p = mix.pools().get(k);
            var s = p.shape();
            rows.add(List.of(s.name(), Fmt.cpu(s.capacity().cpuMillis()), Fmt.gib(s.capacity().memoryBytes()),
                    Long.toString(s.capacity().gpuMillis() / 1000), ShapeCells.nodes(p.nodes(), p.headroomNodes()), Fmt.perHour(costs[0][k]),
                    Fmt.money(costs[1][k])));
        }
        double controlPlane = controlPlaneCostPerHour(mix);
        if (controlPlane > 0) {
            var cp = mix.sizing().rules().controlPlane();
            int k = mix.pools().size();
            rows.add(List.of(cp.shape() == null ? "control plane (managed fee)" : "control plane: " + cp.shape(), "", "", "",
                    cp.shape() == null ? "" : String.format(Locale.ROOT, "%,d", cp.nodes()), Fmt.perHour(costs[0][k]), Fmt.money(costs[1][k])));
        }
        int headroom = mix.pools().stream().mapToInt(MixPlanner.Pool::headroomNodes).sum();
        rows.add(List.of("mix total", "", "", "", ShapeCells.nodes(mix.nodes(), headroom),
                Fmt.perHour(mix.costPerHour()), Fmt.money(mix.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH)));
        if (mix.bestSingle() != null) {
            // With its HA nodes as the ranking shows them, beside the pools' (QA 61b F3: "8" under pools of "3 (+1 HA)").
            rows.add(List.of("best single: " + mix.bestSingle().shape().name(), "", "", "", ShapeCells.nodes(mix.bestSingle()),
                    Fmt.perHour(mix.bestSingle().costPerHour()), Fmt.money(mix.bestSingle().costPerMonth())));
        }
        if (mix.sizing() != null) {
            // The bound is on the planned nodes: the gap is theirs, not the total's (QA 53a F5: "gap 0.0 %" under a total 54 % above).
            // The planned nodes' count beside their cost: the total less the HA headroom (QA 58d F3: the total stood here).
            rows.add(List.of("planned nodes (before HA and control plane)", "", "", "", String.format(Locale.ROOT, "%,d", mix.nodes() - headroom),
                    Fmt.perHour(mix.packedCostPerHour()), Fmt.money(mix.packedCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH)));
        }
        rows.add(List.of("cost lower bound (gap " + Fmt.pct(mix.gapPercent()) + " %" + (mix.sizing() != null ? " to the planned nodes)" : ")"),
                "", "", "", "", Fmt.perHour(mix.lowerBoundCostPerHour()), Fmt.money(mix.lowerBoundCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH)));
        List<TextTable.Column> columns = new ArrayList<>(List.of(TextTable.Column.left("pool"), TextTable.Column.right("vCPU"),
                TextTable.Column.right("mem GiB"), TextTable.Column.right("GPU"), TextTable.Column.right("nodes"), TextTable.Column.right("$/h"),
                TextTable.Column.right("$/month")));
        if (!gpus) {
            int gpu = 3;
            columns.remove(gpu);
            rows.replaceAll(row -> {
                List<String> without = new ArrayList<>(row);
                without.remove(gpu);
                return without;
            });
        }
        return new TextTable(columns, rows);
    }

    private static double controlPlaneCostPerHour(MixPlanner.Mix mix) {
        return mix.sizing() == null ? 0 : mix.sizing().controlPlaneCostPerHour();
    }

    /**
     * The pools' costs per hour ({@code [0]}) and per month ({@code [1]}) as the reports write them, then the control
     * plane's where {@code controlPlane} and the mix has one, rounded once over the mix ({@link Apportion}) so that the
     * rows add up to the total as written: the mix total (less the control plane without it). Each rounded alone, two
     * pools of one c7a.large read $74.93 + $74.93 under a total of $149.85/month.
     */
    static double[][] shownCosts(MixPlanner.Mix mix, boolean controlPlane) {
        double cp = controlPlane ? controlPlaneCostPerHour(mix) : 0;
        int n = mix.pools().size() + (cp > 0 ? 1 : 0);
        double[] hourly = new double[n];
        double[] monthly = new double[n];
        for (int k = 0; k < mix.pools().size(); k++) {
            hourly[k] = mix.pools().get(k).costPerHour();
        }
        if (cp > 0) {
            hourly[n - 1] = cp;
        }
        double total = mix.costPerHour() - (controlPlane ? 0 : controlPlaneCostPerHour(mix));
        for (int k = 0; k < n; k++) {
            monthly[k] = hourly[k] * ShapeEvaluation.HOURS_PER_MONTH;
        }
        double[] h = Apportion.largestRemainder(hourly, total, Fmt.PER_HOUR_DECIMALS);
        double[] m = Apportion.largestRemainder(monthly, total * ShapeEvaluation.HOURS_PER_MONTH, 2);
        return new double[][] {h == null ? hourly : h, m == null ? monthly : m};
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Whether the ranking's first is a priced shape that places every pod, beside others: then whether it is proven cheapest can be said. */
    private static boolean provable(List<ShapeEvaluation> ranked) {
        return ranked.size() > 1 && ranked.get(0).complete() && ranked.get(0).costPerMonth() != null;
    }

    /**
     * Whether another shape might still cost less than the first ({@link ShapeSweep#challengers}:
     * its lower bound costs less than the first's packing), in a line; null when that cannot be
     * said ({@link #provable}).
     */
    public static String proofLine(List<ShapeEvaluation> ranked) {
        if (!provable(ranked)) {
            return null;
        }
        ShapeEvaluation first = ranked.get(0);
        List<ShapeEvaluation> challengers = ShapeSweep.challengers(ranked);
        if (challengers.isEmpty()) {
            return "cheapest proven: no other shape can run every pod for less than " + first.shape().name() + "'s $"
                    + Fmt.money(first.costPerMonth()) + "/month (each one's lower bound costs at least as much)";
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < Math.min(PROOF_NAMES, challengers.size()); i++) {
            ShapeEvaluation e = challengers.get(i);
            names.append(i == 0 ? "" : ", ").append(e.shape().name()).append(" (at least $").append(Fmt.money(e.boundCostPerMonth()))
                    .append(e.optimized() ? ", optimized" : "").append(')');
        }
        return "not proven cheapest: " + challengers.size() + (challengers.size() == 1 ? " shape" : " shapes")
                + " might cost less than " + first.shape().name() + "'s $" + Fmt.money(first.costPerMonth())
                + "/month if packed closer to its lower bound: " + names + (challengers.size() > PROOF_NAMES ? ", …" : "")
                + " (-o json lists every one)";
    }

    /** Shapes {@link #proofLine} names at most. */
    private static final int PROOF_NAMES = 3;

    private static String html(Content c, int top) {
        StringBuilder verdicts = new StringBuilder();
        for (Verdicts.Verdict v : c.verdicts()) {
            verdicts.append("<h3>").append(HtmlReport.escape(capitalize(v.question()) + ": " + v.winner())).append("</h3><ul>");
            for (String reason : v.reasons()) {
                verdicts.append("<li>").append(HtmlReport.escape(reason)).append("</li>");
            }
            verdicts.append("</ul>");
        }
        StringBuilder body = new StringBuilder("<p>").append(HtmlReport.escape(c.workload().oneLine())).append("<br>candidates: ")
                .append(HtmlReport.escape(c.candidates()))
                .append(c.sizingLine() == null ? "" : "<br>" + HtmlReport.escape(c.sizingLine()))
                .append(c.baseline() == null ? "" : "<br>" + HtmlReport.escape(c.baseline().line(c.ranked(), c.mix()))).append("</p>")
                .append(HtmlReport.section("Verdicts", verdicts.toString()));
        if (c.ranked().stream().anyMatch(e -> e.complete() && e.costPerMonth() != null)) {
            body.append(HtmlReport.section("Cost against node size, per memory-to-CPU ratio",
                    "<p>Each line is one ratio class: its cheapest shape at each size. Stars mark the best shape of each size class "
                            + "(small, medium, large). Shapes that leave pods unplaced or have no price are not drawn.</p>"
                            + RecommendCharts.costVsSize("cost-vs-size", c.ranked(), c.sizes())));
            body.append(HtmlReport.section("Where the capacity goes: requested, stranded and free",
                    "<p>The " + RecommendCharts.UTILISATION_SHAPES + " cheapest shapes that place every pod; stranded capacity is free "
                            + "on nodes where no pod of the workload fits what is left (a resource it needs ran out), so none can use it.</p>"
                            + RecommendCharts.utilisation("utilisation", c.ranked())));
        } else {
            // Said where the two charts would be, not left out in silence (QA 67c F5).
            body.append(HtmlReport.section("Cost against node size; where the capacity goes", "<p>Not drawn: no priced candidate places every "
                    + "pod, and these charts compare shapes by what running the whole workload costs.</p>"));
        }
        if (c.winner() != null && c.winner().nodeCount() > 0) {
            ShapeEvaluation best = c.ranked().get(0);
            body.append(HtmlReport.section("Each node of the best shape: " + best.shape().name(),
                    (best.complete() ? "" : "<p>" + HtmlReport.escape(best.shape().name() + " leaves " + Fmt.count(best.unschedulableCount(),
                            "pod", "pods") + " of " + String.format(Locale.ROOT, "%,d", best.pods()) + " out: its nodes hold the others only.")
                            + "</p>") + NodeFillChart.of("node-fill", c.winner(), "node")));
        }
        if (c.mix() != null) {
            body.append(HtmlReport.section("Mixed pools (up to " + c.mix().maxPools() + " shapes)",
                    RecommendCharts.mix("mix", c.mix()) + HtmlReport.table(mixTable(c.mix(), gpuColumns(c)))));
        }
        String proof = proofLine(c.ranked());
        body.append(HtmlReport.section("Ranking", HtmlReport.rankedTable(humanTable(c.ranked(), top, gpuColumns(c)))
                + (proof == null ? "" : "<p>" + HtmlReport.escape(proof) + "</p>")));
        return HtmlReport.packingPage("nodesizer recommend", body.toString());
    }
}
