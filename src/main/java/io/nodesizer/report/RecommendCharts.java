package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.Amounts;
import io.nodesizer.model.Resource;
import io.nodesizer.sweep.MixPlanner;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.Verdicts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The charts of {@code recommend}'s HTML report. */
final class RecommendCharts {
    /** Shapes in the utilisation chart. */
    static final int UTILISATION_SHAPES = 15;

    private RecommendCharts() {
    }

    /**
     * The fewer-larger vs many-smaller picture: monthly cost against vCPU per node, one line per
     * memory-to-CPU ratio class (its cheapest shape at each size), and each size class's best
     * shape marked. Only shapes with a price that place every pod are drawn.
     */
    static String costVsSize(String id, List<ShapeEvaluation> ranked, Verdicts.Verdict sizes) {
        // ratio class -> vCPU -> the cheapest shape there (ranked: the first one seen is the best)
        Map<Double, Map<Double, ShapeEvaluation>> lines = new TreeMap<>();
        for (ShapeEvaluation e : ranked) {
            if (e.complete() && e.costPerMonth() != null) {
                lines.computeIfAbsent(Verdicts.ratioClass(e), k -> new TreeMap<>()).putIfAbsent(vcpu(e), e);
            }
        }
        ObjectNode config = ChartJs.config("line");
        int k = 0;
        for (Map.Entry<Double, Map<Double, ShapeEvaluation>> line : lines.entrySet()) {
            ObjectNode d = ChartJs.dataset(config, Amounts.trim(line.getKey()) + " GiB/vCPU", ChartJs.PALETTE[k++ % ChartJs.PALETTE.length]);
            d.put("fill", false);
            d.put("pointRadius", 3);
            ArrayNode data = d.putArray("data");
            for (ShapeEvaluation e : line.getValue().values()) {
                ChartJs.point(data, vcpu(e), e.costPerMonth()).put("name", e.shape().name());
            }
        }
        ObjectNode best = ChartJs.dataset(config, "best of its size class", "#1d2733");
        best.put("showLine", false);
        best.put("pointStyle", "star");
        best.put("pointRadius", 10);
        best.put("borderWidth", 2);
        ArrayNode data = best.putArray("data");
        for (Verdicts.ClassBest c : sizes.classes()) {
            ShapeEvaluation e = c.best();
            if (e != null && e.complete() && e.costPerMonth() != null) {
                ChartJs.point(data, vcpu(e), e.costPerMonth()).put("name", c.label() + ": " + e.shape().name());
            }
        }
        ChartJs.axis(config, "x", "logarithmic", "vCPU per node (log scale)", "vcpu");
        ChartJs.axis(config, "y", "linear", "$ per month for the workload", "money");
        return ChartJs.element(id, "monthly cost against node size, one line per memory-to-CPU ratio", 380, config);
    }

    private static double vcpu(ShapeEvaluation e) {
        return e.shape().capacity().cpuMillis() / 1000.0;
    }

    /**
     * For the cheapest shapes: CPU and memory of the nodes split into requested (workload and
     * DaemonSets), stranded (free on nodes where no pod of the workload fits what is left), on the spares the HA rules
     * add (empty, when a row has them) and free, in % of allocatable over all the nodes, as the table's CPU % and mem %.
     */
    static String utilisation(String id, List<ShapeEvaluation> ranked) {
        List<ShapeEvaluation> shown = new ArrayList<>();
        for (ShapeEvaluation e : ranked) {
            if (shown.size() < UTILISATION_SHAPES && e.complete() && e.packedNodes() > 0) {
                shown.add(e);
            }
        }
        ObjectNode config = ChartJs.config("bar");
        ((ObjectNode) config.get("options")).put("indexAxis", "y");
        ArrayNode labels = ChartJs.labels(config);
        shown.forEach(e -> labels.add(e.shape().name()));
        boolean spares = shown.stream().anyMatch(e -> e.nodes() > e.packedNodes());
        stack(config, shown, Resource.CPU, "CPU", ChartJs.BLUE, "#a9c6ee", spares);
        stack(config, shown, Resource.MEMORY, "memory", ChartJs.ORANGE, "#f2cf98", spares);
        // Of every node, the spares the HA rules add included, as the table's CPU % and mem % are (QA 48a: 38.9 % here, 19.4 % there).
        ChartJs.axis(config, "x", "linear", spares ? "% of allocatable on all nodes (HA spares included)" : "% of allocatable on the nodes",
                "percent").put("stacked", true).put("min", 0).put("max", 100);
        ChartJs.axis(config, "y", "category", null, null).put("stacked", true);
        return ChartJs.element(id, "requested, stranded and free CPU and memory per shape", 60 + 34 * shown.size(), config);
    }

    private static void stack(ObjectNode config, List<ShapeEvaluation> shown, Resource r, String name, String used, String stranded,
                              boolean spares) {
        ArrayNode req = ChartJs.dataset(config, name + " requested", used).put("stack", name).putArray("data");
        ArrayNode str = ChartJs.dataset(config, name + " stranded", stranded).put("stack", name).putArray("data");
        ArrayNode spare = spares ? ChartJs.dataset(config, name + " on HA spares", "#cfd8e3").put("stack", name).putArray("data") : null;
        ArrayNode free = ChartJs.dataset(config, name + " free", "#e3e7eb").put("stack", name).putArray("data");
        for (ShapeEvaluation e : shown) {
            // Utilisation counts every node of an HA-sized row; the stranded amount is of the packed nodes, the spares stay empty.
            double requested = 100 * (r == Resource.CPU ? e.cpuUtilization() : e.memoryUtilization());
            double alloc = (double) e.shape().allocatable().get(r) * e.nodes();
            double strandedPct = alloc <= 0 ? 0 : 100 * (r == Resource.CPU ? e.strandedCpuMillis() : e.strandedMemoryBytes()) / alloc;
            double sparePct = 100.0 * (e.nodes() - e.packedNodes()) / e.nodes();
            req.add(ChartJs.round(requested));
            str.add(ChartJs.round(strandedPct));
            if (spare != null) {
                spare.add(ChartJs.round(sparePct));
            }
            free.add(ChartJs.round(Math.max(0, 100 - requested - strandedPct - (spare != null ? sparePct : 0))));
        }
    }

    /** The mix's pools stacked into its monthly cost, next to the best single shape and the cost bound. */
    static String mix(String id, MixPlanner.Mix mix) {
        ObjectNode config = ChartJs.config("bar");
        ArrayNode labels = ChartJs.labels(config);
        labels.add("mixed pools");
        boolean single = mix.bestSingle() != null && mix.bestSingle().costPerMonth() != null;
        if (single) {
            labels.add("best single: " + mix.bestSingle().shape().name());
        }
        labels.add(mix.sizing() == null ? "cost lower bound" : "cost lower bound (planned nodes, before HA and control plane)");
        int columns = labels.size();
        int k = 0;
        for (MixPlanner.Pool p : mix.pools()) {
            ArrayNode data = ChartJs.dataset(config, p.shape().name() + " × " + p.nodes(), ChartJs.PALETTE[k++ % ChartJs.PALETTE.length])
                    .putArray("data");
            data.add(ChartJs.round(p.costPerHour() * ShapeEvaluation.HOURS_PER_MONTH));
            fillNulls(data, columns);
        }
        double controlPlane = mix.sizing() == null ? 0 : mix.sizing().controlPlaneCostPerHour();
        if (controlPlane > 0) {
            // Part of the mix's total, as in the table (QA 53a F6: the bar stopped short of the total by the fee).
            ArrayNode data = ChartJs.dataset(config, "control plane", "#8a96a3").putArray("data");
            data.add(ChartJs.round(controlPlane * ShapeEvaluation.HOURS_PER_MONTH));
            fillNulls(data, columns);
        }
        if (single) {
            ArrayNode data = ChartJs.dataset(config, "best single shape × " + mix.bestSingle().nodes(), ChartJs.GREY).putArray("data");
            data.add(NullNode.instance);
            data.add(ChartJs.round(mix.bestSingle().costPerMonth()));
            fillNulls(data, columns);
        }
        ArrayNode bound = ChartJs.dataset(config, "cost lower bound", "#c9d1da").putArray("data");
        fillNulls(bound, columns - 1);
        bound.add(ChartJs.round(mix.lowerBoundCostPerHour() * ShapeEvaluation.HOURS_PER_MONTH));
        ChartJs.axis(config, "x", "category", null, null).put("stacked", true);
        ChartJs.axis(config, "y", "linear", "$ per month", "money").put("stacked", true).put("beginAtZero", true);
        return ChartJs.element(id, "mixed pools' monthly cost against the best single shape and the bound", 300, config);
    }

    private static void fillNulls(ArrayNode data, int size) {
        while (data.size() < size) {
            data.add(NullNode.instance);
        }
    }
}
