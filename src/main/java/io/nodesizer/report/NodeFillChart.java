package io.nodesizer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.model.Resource;

/**
 * How full each node of a packing is: per node, the workload's requests as a share of what pods
 * may use (allocatable less the DaemonSets) for CPU, memory, pod slots and, on GPU shapes, GPUs.
 * Bars up to {@link #BAR_NODES} nodes; beyond that a line per resource (bars would be thinner
 * than a pixel), and beyond {@link #MAX_POINTS} nodes consecutive nodes are averaged in runs.
 */
final class NodeFillChart {
    static final int BAR_NODES = 120;
    static final int MAX_POINTS = 2000;
    private static final Resource[] SHOWN = {Resource.CPU, Resource.MEMORY, Resource.PODS, Resource.GPU};
    private static final String[] COLORS = {ChartJs.BLUE, ChartJs.ORANGE, ChartJs.GREEN, ChartJs.PURPLE};

    private NodeFillChart() {
    }

    static String of(String id, PackingResult r, String nodeWord) {
        long[] load = r.nodeLoad();
        long[] cap = r.problem().podCapacity();
        int nodes = r.nodeCount();
        int run = Math.max(1, (nodes + MAX_POINTS - 1) / MAX_POINTS); // nodes per plotted point
        boolean bars = nodes <= BAR_NODES;
        ObjectNode config = ChartJs.config(bars ? "bar" : "line");
        ArrayNode labels = ChartJs.labels(config);
        for (int first = 0; first < nodes; first += run) {
            int last = Math.min(nodes, first + run) - 1;
            labels.add(run == 1 ? PackReport.nodeName(r, first) : nodeWord + " " + first + "–" + last);
        }
        for (int k = 0; k < SHOWN.length; k++) {
            int res = SHOWN[k].ordinal();
            if (cap[res] <= 0 || (SHOWN[k] == Resource.GPU && r.problem().shape().capacity().gpuMillis() == 0)) {
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
                for (int n = first; n < last; n++) {
                    sum += (double) load[n * DemandTable.D + res] / cap[res];
                }
                data.add(ChartJs.round(100 * sum / (last - first)));
            }
        }
        ChartJs.axis(config, "x", "category", run == 1 ? nodeWord : nodeWord + " (runs of " + run + ", averaged)", null)
                .putObject("ticks").put("autoSkip", true).put("maxRotation", 0);
        ChartJs.axis(config, "y", "linear", "% of what pods may use", "percent").put("min", 0).put("max", 100);
        return ChartJs.element(id, "requests per node as a share of what pods may use", 300, config);
    }
}
