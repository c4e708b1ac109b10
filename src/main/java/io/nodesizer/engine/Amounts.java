package io.nodesizer.engine;

import io.nodesizer.model.Resource;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Human-readable amounts for messages: CPU in cores, memory and storage in GiB, GPUs as counts. */
public final class Amounts {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Amounts() {
    }

    public static String format(Resource resource, long amount) {
        return switch (resource) {
            case CPU -> trim(amount / 1000.0);
            case MEMORY, EPHEMERAL_STORAGE -> trim(amount / GIB);
            case PODS -> Long.toString(amount);
            case GPU -> trim(amount / 1000.0);
        };
    }

    public static String unit(Resource resource) {
        return switch (resource) {
            case CPU -> "CPU";
            case MEMORY -> "GiB memory";
            case EPHEMERAL_STORAGE -> "GiB ephemeral-storage";
            case PODS -> "pod slots";
            case GPU -> "GPU";
        };
    }

    /** "0.25 CPU, 0.117 GiB memory": the amounts a pod asks (pod slots left out), or "none". */
    public static String describe(io.nodesizer.model.Resources r) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Resource res : java.util.List.of(Resource.CPU, Resource.MEMORY, Resource.GPU, Resource.EPHEMERAL_STORAGE)) {
            if (r.get(res) != 0) {
                out.add(format(res, r.get(res)) + " " + unit(res));
            }
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    /** {@link #format} with thousands separators, for running text beside money and counts: 72,761.612 CPU. */
    public static String formatGrouped(Resource resource, long amount) {
        return group(format(resource, amount));
    }

    /** A plain decimal with thousands separators in its whole part: 1,284.172, 48, 0.125. */
    public static String group(String plain) {
        int end = plain.indexOf('.') < 0 ? plain.length() : plain.indexOf('.');
        int start = plain.startsWith("-") ? 1 : 0;
        StringBuilder sb = new StringBuilder(plain);
        for (int i = end - 3; i > start; i -= 3) {
            sb.insert(i, ',');
        }
        return sb.toString();
    }

    /** Up to three decimals, no trailing zeros: 3.92, 48, 0.125. */
    public static String trim(double value) {
        return trim(value, 3);
    }

    /** {@code value} to {@code decimals} places (half up, as the JSON reports round), without trailing zeros. */
    public static String trim(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
