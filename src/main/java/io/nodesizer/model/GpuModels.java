package io.nodesizer.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * GPU model names and the rule that matches a pod's allowed models (openb {@code gpu_spec}) with
 * a shape's model (catalog {@code gpu_model}, inline {@code gpu-model=}). Names compare without
 * case ({@code t4} = {@code T4}); a pod model with a memory suffix matches the bare model, since
 * catalogs name the chip only: {@code V100M16} and {@code V100M32} run on a {@code v100} shape.
 * A shape without a declared model (inline shapes, generic families) is not constrained: every
 * pod may use it, and reports say so.
 */
public final class GpuModels {
    private GpuModels() {
    }

    /** Upper case, trimmed. */
    public static String normalize(String model) {
        return model.trim().toUpperCase(Locale.ROOT);
    }

    /** A sorted, de-duplicated, normalised copy (empty: any model). */
    public static List<String> of(Collection<String> models) {
        if (models.isEmpty()) {
            return List.of(); // most pods name no model: no set to build (150,000 trace rows)
        }
        TreeSet<String> out = new TreeSet<>();
        for (String m : models) {
            if (!m.isBlank()) {
                out.add(normalize(m));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The chip of a GPU-feature-discovery product label ({@code nvidia.com/gpu.product}):
     * {@code Tesla-T4} → {@code T4}, {@code NVIDIA-A100-SXM4-40GB} → {@code A100},
     * {@code NVIDIA-A10G} → {@code A10G}; "" for none.
     */
    public static String fromProductLabel(String product) {
        if (product == null || product.isBlank()) {
            return "";
        }
        String p = normalize(product);
        for (String vendor : List.of("NVIDIA-", "TESLA-", "GEFORCE-", "QUADRO-")) {
            if (p.startsWith(vendor)) {
                p = p.substring(vendor.length());
            }
        }
        int dash = p.indexOf('-');
        return dash > 0 ? p.substring(0, dash) : p;
    }

    /** Whether a pod allowed on {@code podModels} (empty: any) may use a GPU of {@code shapeModel} ("" unknown). */
    public static boolean allows(List<String> podModels, String shapeModel) {
        if (podModels.isEmpty() || shapeModel.isEmpty()) {
            return true;
        }
        String s = normalize(shapeModel);
        for (String m : podModels) {
            if (m.equals(s) || (m.startsWith(s) && m.substring(s.length()).matches("M\\d+"))) {
                return true;
            }
        }
        return false;
    }
}
