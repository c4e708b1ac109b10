package io.nodesizer.quality;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
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

/**
 * The BPPLIB one-dimensional instances with known optima under {@code ../shared/data/binpacking}
 * (read in place, never copied: CC BY-NC-ND). Format: n, capacity, then n weights.
 */
final class BinPackingInstances {
    static final Path ROOT = Path.of("..", "shared", "data", "binpacking");

    record Instance(String set, String file, long capacity, long[] weights, int optimum) {
        /** The instance as a packing: an item a pod of its weight in CPU (one pod slot each), a bin a node of the capacity. */
        PackingProblem problem() {
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < weights.length; i++) {
                groups.add(new PodGroup("item-" + i, "bpplib", new Resources(weights[i], 0, 1, 0, 0),
                        1, true, null, new SourceRef(file, 3 + i)));
            }
            Resources cap = new Resources(capacity, 0, weights.length, 0, 0);
            NodeShape shape = new NodeShape("bin", "bpplib", "bpplib", "any", cap, cap, "none", null);
            return new PackingProblem(DemandTable.of(Workload.of(groups)),
                    shape, Resources.ZERO);
        }
    }

    private BinPackingInstances() {
    }

    static boolean available() {
        return Files.isRegularFile(ROOT.resolve("optima.csv"));
    }

    static List<Instance> load() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("optima.csv"));
        List<Instance> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            String[] tokens = Files.readString(ROOT.resolve(f[1].trim())).trim().split("\\s+");
            int n = Integer.parseInt(tokens[0]);
            long capacity = Long.parseLong(tokens[1]);
            long[] weights = new long[n];
            for (int i = 0; i < n; i++) {
                weights[i] = Long.parseLong(tokens[2 + i]);
            }
            out.add(new Instance(f[0].trim(), f[1].trim(), capacity, weights, Integer.parseInt(f[5].trim())));
        }
        return out;
    }
}
