package io.nodesizer.catalog;

import io.nodesizer.engine.Amounts;
import io.nodesizer.input.InputException;
import io.nodesizer.input.KeyValueSpec;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.kube.provider.ReservationPolicy;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code --generic cpu=2..96,ratio=2,4,8,price-per-cpu=0.0316,price-per-gib=0.0042[,pods=110]}:
 * a family of shapes for users without a cloud price list. Sizes are the powers of two within the
 * range plus its upper end (2..96 → 2, 4, 8, 16, 32, 64, 96), or an explicit list
 * ({@code cpu=4,8,16}); one shape per size and ratio, memory = size × ratio GiB, price linear in
 * vCPU and GiB. {@code gpu=0,8} adds a variant of every shape per GPU count ({@code price-per-gpu}
 * per GPU-hour, required when a count is above 0).
 */
public final class GenericFamily {
    static final List<String> KEYS = List.of("cpu", "ratio", "price-per-cpu", "price-per-gib", "pods", "gpu", "price-per-gpu");

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
            double v;
            try {
                v = Double.parseDouble(r);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            // One message for every wrong ratio (QA 68c F2: -2 was "a non-negative number", then 0 "above zero").
            if (!(v > 0) || !Double.isFinite(v)) {
                throw spec.error("Every ratio (GiB of memory per CPU) must be a number above zero; found " + r + ".");
            }
            ratios.add(v);
        }
        double perCpu = number(spec, "price-per-cpu", spec.single("price-per-cpu"));
        double perGib = number(spec, "price-per-gib", spec.single("price-per-gib"));
        int pods = maxPods != null ? maxPods : spec.has("pods") ? whole(spec, "pods", spec.single("pods"), 100_000) : policy.defaultMaxPods(null);
        long disk = diskBytes != null ? diskBytes : policy.defaultDiskBytes();
        TreeSet<Integer> gpus = new TreeSet<>();
        if (spec.has("gpu")) {
            for (String g : spec.list("gpu")) {
                double v = number(spec, "gpu", g);
                if (v != Math.rint(v) || v > 64) {
                    throw spec.error("Every gpu count must be a whole number from 0 to 64; found " + g + ".");
                }
                gpus.add((int) v);
            }
        } else {
            gpus.add(0);
        }
        double perGpu = 0;
        if (gpus.last() > 0) {
            if (!spec.has("price-per-gpu")) {
                throw spec.error("The generic family '" + text + "' has GPUs, so it must give price-per-gpu (dollars per GPU-hour), e.g. price-per-gpu=0.9.");
            }
            perGpu = number(spec, "price-per-gpu", spec.single("price-per-gpu"));
        }
        List<NodeShape> shapes = new ArrayList<>();
        for (int cpu : sizes) {
            for (double ratio : ratios) {
                for (int gpu : gpus) {
                    double gib = cpu * ratio;
                    long memory = Math.round(gib * 1024) * 1024 * 1024;
                    Resources capacity = new Resources(cpu * 1000L, memory, pods, gpu * 1000L, disk);
                    String name = "generic-" + cpu + "c-" + Amounts.format(Resource.MEMORY, memory) + "g" + (gpu > 0 ? "-" + gpu + "gpu" : "");
                    double price = cpu * perCpu + gib * perGib + gpu * perGpu;
                    if (!NodeShape.priceInRange(price)) {
                        throw spec.error("The shape " + name + " would cost " + (Double.isFinite(price) ? "$" + Amounts.trim(price, 2)
                                : "more than $10,000") + " per hour (" + cpu + " × price-per-cpu + "
                                + Amounts.trim(gib) + " GiB × price-per-gib" + (gpu > 0 ? " + " + gpu + " × price-per-gpu" : "")
                                + "); a node's price must be " + NodeShape.PRICE_RANGE + ".");
                    }
                    shapes.add(new NodeShape(name, "generic", "generic-" + Amounts.trim(ratio), "amd64", capacity,
                            policy.allocatable(capacity), policy.name(), price, "", Map.of(), List.of(), "",
                            policy.kubeletCapacity(capacity)));
                }
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
            int lo = whole(spec, "cpu", range[0], 1024);
            int hi = whole(spec, "cpu", range[1], 1024);
            if (hi < lo) {
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
                sizes.add(whole(spec, "cpu", v, 1024));
            }
        }
        return sizes;
    }

    /**
     * A size or pod count from 1 to {@code max}, one message for every way it is wrong: pods=1.5 and cpu=2.5 were read as 1 and 2
     * while 0 was "at least 1" (QA 61b F5).
     */
    private static int whole(KeyValueSpec spec, String key, String text, int max) {
        return (int) Values.integer(text, text, spec.at(key), key, 1, max);
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
