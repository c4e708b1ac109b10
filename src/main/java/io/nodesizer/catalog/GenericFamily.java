package io.nodesizer.catalog;

import io.nodesizer.engine.Amounts;
import io.nodesizer.input.InputException;
import io.nodesizer.input.KeyValueSpec;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.kube.provider.ReservationPolicy;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --generic cpu=2..96,ratio=2,4,8,price-per-cpu=0.0316,price-per-gib=0.0042[,pods=110]}:
 * a family of shapes for users without a cloud price list. Sizes are the powers of two within the
 * range plus its upper end (2..96 → 2, 4, 8, 16, 32, 64, 96), or an explicit list
 * ({@code cpu=4,8,16}); one shape per size and ratio, memory = size × ratio GiB, price linear in
 * vCPU and GiB.
 */
public final class GenericFamily {
    static final List<String> KEYS = List.of("cpu", "ratio", "price-per-cpu", "price-per-gib", "pods");

    private GenericFamily() {
    }

    public static List<NodeShape> parse(String text, ReservationPolicy policy, Integer maxPods, Long diskBytes) {
        KeyValueSpec spec = KeyValueSpec.parse("--generic", text, KEYS);
        for (String k : List.of("cpu", "ratio", "price-per-cpu", "price-per-gib")) {
            if (!spec.has(k)) {
                throw spec.error("The generic family '" + text + "' must give " + k
                        + "; e.g. cpu=2..96,ratio=2,4,8,price-per-cpu=0.0316,price-per-gib=0.0042.");
            }
        }
        TreeSet<Integer> sizes = sizes(spec);
        List<Double> ratios = new ArrayList<>();
        for (String r : spec.list("ratio")) {
            double v = number(spec, "ratio", r);
            if (!(v > 0)) {
                throw spec.error("Every ratio must be above zero; found " + r + ".");
            }
            ratios.add(v);
        }
        double perCpu = number(spec, "price-per-cpu", spec.single("price-per-cpu"));
        double perGib = number(spec, "price-per-gib", spec.single("price-per-gib"));
        int pods = maxPods != null ? maxPods : spec.has("pods") ? (int) number(spec, "pods", spec.single("pods")) : policy.defaultMaxPods(null);
        if (pods < 1) {
            throw spec.error("The pods per node must be at least 1.");
        }
        long disk = diskBytes != null ? diskBytes : policy.defaultDiskBytes();
        List<NodeShape> shapes = new ArrayList<>();
        for (int cpu : sizes) {
            for (double ratio : ratios) {
                double gib = cpu * ratio;
                long memory = Math.round(gib * 1024) * 1024 * 1024;
                Resources capacity = new Resources(cpu * 1000L, memory, pods, 0, disk);
                String name = "generic-" + cpu + "c-" + Amounts.format(Resource.MEMORY, memory) + "g";
                shapes.add(new NodeShape(name, "generic", "generic-" + Amounts.trim(ratio), "amd64", capacity,
                        policy.allocatable(capacity), policy.name(), cpu * perCpu + gib * perGib));
            }
        }
        return shapes;
    }

    private static TreeSet<Integer> sizes(KeyValueSpec spec) {
        TreeSet<Integer> sizes = new TreeSet<>();
        List<String> values = spec.list("cpu");
        if (values.size() == 1 && values.get(0).contains("..")) {
            String[] range = values.get(0).split("\\.\\.", -1);
            if (range.length != 2) {
                throw spec.error("The cpu range '" + values.get(0) + "' must look like 2..96.");
            }
            int lo = (int) number(spec, "cpu", range[0]);
            int hi = (int) number(spec, "cpu", range[1]);
            if (lo < 1 || hi < lo || hi > 1024) {
                throw spec.error("The cpu range " + lo + ".." + hi + " must satisfy 1 <= low <= high <= 1024.");
            }
            for (int p = 1; p <= hi; p *= 2) {
                if (p >= lo) {
                    sizes.add(p);
                }
            }
            sizes.add(hi);
        } else {
            for (String v : values) {
                int c = (int) number(spec, "cpu", v);
                if (c < 1 || c > 1024) {
                    throw spec.error("Every cpu size must be 1 to 1024; found " + v + ".");
                }
                sizes.add(c);
            }
        }
        return sizes;
    }

    private static double number(KeyValueSpec spec, String key, String text) {
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(SourceLocation.ofFile("--generic"), "The " + key + " (" + text + ") must be a non-negative number.");
        }
    }
}
