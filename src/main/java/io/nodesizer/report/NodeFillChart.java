package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.model.Resource;

import java.util.function.IntFunction;

/**
 * How full each node is: per node, its requests as a share of what it offers, for CPU, memory, pod slots and, where some
 * node has them, GPUs. A packing's nodes against what pods may use (allocatable less the DaemonSets); a running cluster's
 * ({@code analyze}) against each node's allocatable. Bars up to {@link #BAR_NODES} nodes; beyond that a line per resource
 * (bars would be thinner than a pixel), and beyond {@link #MAX_POINTS} nodes consecutive nodes are averaged in runs.
 */
final class NodeFillChart {
    static final int BAR_NODES = 120;
    static final int MAX_POINTS = 2000;
    private static final Resource[] SHOWN = {Resource.CPU, Resource.MEMORY, Resource.PODS, Resource.GPU};
    private static final String[] COLORS = {ChartJs.BLUE, ChartJs.ORANGE, ChartJs.GREEN, ChartJs.PURPLE};

    private NodeFillChart() {
    }

    /** A node's request of a resource as a share of what it offers (1 = full), or NaN where it offers none. */
    @FunctionalInterface
    interface Share {
        double of(int node, Resource resource);
    }

    static String of(String id, PackingResult r, String nodeWord) {
        long[] load = r.nodeLoad();
        long[] cap = r.problem().podCapacity();
        boolean gpuShape = r.problem().shape().capacity().gpuMillis() != 0;
        return of(id, r.nodeCount(), n -> PackReport.nodeName(r, n), (n, res) -> (double) load[n * DemandTable.D + res.ordinal()]
                / cap[res.ordinal()], res -> cap[res.ordinal()] > 0 && (res != Resource.GPU || gpuShape), nodeWord,
                "% of what pods may use", "requests per node as a share of what pods may use");
    }

    /**
     * The chart of {@code nodes} nodes named by {@code name}: a line or bars per resource {@code shown} admits, each point the
     * share in per cent (the mean of a run's nodes that offer the resource; none where no node of the run does). The y axis
     * ends at 100 unless a node is above it (a running cluster's node may be, QA 76b F6), so no point is drawn off the plot.
     */
    static String of(String id, int nodes, IntFunction<String> name, Share share, java.util.function.Predicate<Resource> shown,
                     String nodeWord, String axis, String description) {
        int run = Math.max(1, (nodes + MAX_POINTS - 1) / MAX_POINTS); // nodes per plotted point
        boolean bars = nodes <= BAR_NODES;
        ObjectNode config = ChartJs.config(bars ? "bar" : "line");
        ArrayNode labels = ChartJs.labels(config);
        for (int first = 0; first < nodes; first += run) {
            int last = Math.min(nodes, first + run) - 1;
            labels.add(run == 1 ? name.apply(first) : nodeWord + " " + first + "–" + last);
        }
        double highest = 0;
        for (int k = 0; k < SHOWN.length; k++) {
            if (!shown.test(SHOWN[k])) {
                continue;
            }
            ObjectNode d = ChartJs.dataset(config, SHOWN[k].kubernetesName(), COLORS[k]);
            if (!bars) {
                d.put("pointRadius", 0);
                d.put("borderWidth", 1.5);
                d.put("fill", false);
            }
            ArrayNode data = d.putArray("data");
            for (int first = 0; first < nodes; first += run) {
                int last = Math.min(nodes, first + run);
                double sum = 0;
                int counted = 0;
                for (int n = first; n < last; n++) {
                    double s = share.of(n, SHOWN[k]);
                    if (!Double.isNaN(s)) {
                        sum += s;
                        counted++;
                    }
                }
                if (counted == 0) {
                    data.addNull();
                } else {
                    double point = ChartJs.round(100 * sum / counted);
                    highest = Math.max(highest, point);
                    data.add(point);
                }
            }
        }
        ChartJs.axis(config, "x", "category", run == 1 ? nodeWord : nodeWord + " (runs of " + run + ", averaged)", null)
                .putObject("ticks").put("autoSkip", true).put("maxRotation", 0);
        ObjectNode y = ChartJs.axis(config, "y", "linear", axis, "percent").put("min", 0);
        if (highest <= 100) {
            y.put("max", 100);
        }
        return ChartJs.element(id, description, 300, config);
    }
}
