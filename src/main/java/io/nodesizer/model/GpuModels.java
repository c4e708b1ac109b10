package io.nodesizer.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * GPU model names and the rule that matches a pod's allowed models (openb {@code gpu_spec}, a pin to GPU feature
 * discovery's {@code nvidia.com/gpu.product}) with a shape's model (catalog {@code gpu_model}, inline {@code gpu-model=}, a
 * running node's product label). A name is read as a board ({@link Board}): the chip, and where the name gives them the
 * memory ({@code 80GB}, openb's {@code V100M32}) and the form factor ({@code SXM4}, {@code PCIe}, {@code NVL}). A pod's
 * pin admits a board of its chip whose memory and form factor are those the pin names: kube-scheduler's NodeAffinity
 * compares label values as exact strings (k8s.io/component-helpers nodeaffinity), and GFD writes the NVML device name,
 * spaces as dashes ({@code NVIDIA-A100-SXM4-40GB} on a 40 GB board, {@code NVIDIA-A100-SXM4-80GB} on an 80 GB one;
 * NVIDIA/k8s-device-plugin, gpu-feature-discovery's {@code nvidia.com/gpu.product}), so a pin to the 80 GB board keeps a
 * pod off the 40 GB one (QA 69a F2). Catalogs name the chip only ({@code a100} for p4d and p4de alike): the types whose
 * chip comes in several boards get theirs from {@link #BOARDS}; where no board is known and a pin names memory or a form
 * factor, the pod is refused with that said ({@link #whyNot}), not matched on a guess. Names compare without case; a
 * shape without a declared model (inline shapes, generic families) is not constrained: every pod may use it.
 */
public final class GpuModels {
    private GpuModels() {
    }

    /**
     * The board of the catalog types whose chip is made in several (memory, form factor), by {@code provider:family}, from
     * the providers' instance-type pages: AWS EC2 accelerated computing (p3dn: 8 × V100 32 GB SXM2; p4d: 8 × A100 40 GB;
     * p4de: 8 × A100 80 GB; p5: H100 80 GB SXM; p5e, p5en: H200 141 GB) and Azure's GPU sizes (NCv3: V100 16 GB PCIe; NDv2:
     * V100 32 GB SXM2; ND A100 v4: A100 40 GB SXM4; NDm A100 v4: A100 80 GB SXM4; NC A100 v4: A100 80 GB PCIe; NCads H100 v5:
     * H100 NVL 94 GB; ND H100 v5: H100 80 GB SXM). The other bundled GPU chips come in one board (T4, A10G, L4, L40S, …).
     */
    private static final java.util.Map<String, String> BOARDS = java.util.Map.ofEntries(
            java.util.Map.entry("aws:p3dn", "V100-SXM2-32GB"), java.util.Map.entry("aws:p4d", "A100-SXM4-40GB"),
            java.util.Map.entry("aws:p4de", "A100-SXM4-80GB"), java.util.Map.entry("aws:p5", "H100-SXM5-80GB"),
            java.util.Map.entry("aws:p5e", "H200-SXM5-141GB"), java.util.Map.entry("aws:p5en", "H200-SXM5-141GB"),
            java.util.Map.entry("azure:NCs_v3", "V100-PCIE-16GB"), java.util.Map.entry("azure:NCrs_v3", "V100-PCIE-16GB"),
            java.util.Map.entry("azure:NDrs_v2", "V100-SXM2-32GB"), java.util.Map.entry("azure:NDasr_v4", "A100-SXM4-40GB"),
            java.util.Map.entry("azure:NDamsr_v4", "A100-SXM4-80GB"), java.util.Map.entry("azure:NCads_v4", "A100-PCIE-80GB"),
            java.util.Map.entry("azure:NCads_v5", "H100-NVL-94GB"), java.util.Map.entry("azure:NCadis_v5", "H100-NVL-94GB"),
            java.util.Map.entry("azure:NDisr_v5", "H100-SXM5-80GB"));

    /**
     * A GPU as a name gives it: the chip (dashes and vendor words dropped: {@code A100}, {@code RTXPRO6000}), the form
     * factor ({@code SXM}, {@code PCIE}, {@code NVL}; "" not given) and the memory in GB (0 not given).
     */
    public record Board(String chip, String form, int memoryGb) {
        private static final java.util.regex.Pattern MEMORY = java.util.regex.Pattern.compile("(\\d+)GB");
        private static final java.util.regex.Pattern OPENB = java.util.regex.Pattern.compile("([A-Z]+\\d+)M(\\d+)");
        /** Words of NVML names that say no more than the chip does (the RTX PRO boards' "Blackwell Server Edition"). */
        private static final java.util.Set<String> DROPPED = java.util.Set.of("BLACKWELL", "SERVER", "EDITION");

        /**
         * Boards already read, by name. A fleet packing asks {@link #allows} once per pod and candidate node (pods of
         * openb's gpuspec lists name a model: millions of calls over a handful of names), and reading one takes several
         * regular expressions. The names come from one run's inputs; past {@link #CACHED} of them the rest are read
         * each time.
         */
        private static final java.util.concurrent.ConcurrentHashMap<String, Board> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
        private static final int CACHED = 4096;

        /** {@code name} read: a product label, a catalog model ({@code rtx-pro-server-6000}), an openb model ({@code V100M32}). */
        public static Board parse(String name) {
            Board known = PARSED.get(name);
            if (known != null) {
                return known;
            }
            Board read = read(name);
            if (PARSED.size() < CACHED) {
                PARSED.putIfAbsent(name, read);
            }
            return read;
        }

        private static Board read(String name) {
            String p = fromProductLabel(name.replace(' ', '-').replace('_', '-'));
            StringBuilder chip = new StringBuilder();
            String form = "";
            int memory = 0;
            for (String t : p.split("-+")) {
                java.util.regex.Matcher m = MEMORY.matcher(t);
                if (m.matches()) {
                    memory = Integer.parseInt(m.group(1));
                } else if (t.matches("SXM\\d*")) {
                    form = "SXM";
                } else if (t.equals("PCIE") || t.equals("NVL")) {
                    form = t;
                } else if (!t.matches("HBM\\d*E?") && !DROPPED.contains(t)) {
                    chip.append(t);
                }
            }
            String c = chip.toString();
            java.util.regex.Matcher openb = OPENB.matcher(c);
            if (openb.matches() && memory == 0) {
                c = openb.group(1);
                memory = Integer.parseInt(openb.group(2));
            }
            // Azure writes the RTX PRO 6000 Blackwell Server Edition as one word, AWS as rtx-pro-server-6000.
            return new Board(c.equals("RTXPRO6000BSE") ? "RTXPRO6000" : c, form, memory);
        }

        /** Whether a pod pinned to this board may use a GPU of {@code offered}: its chip, and what the pin names of the rest. */
        boolean admits(Board offered) {
            return chip.equals(offered.chip) && (memoryGb == 0 || memoryGb == offered.memoryGb) && (form.isEmpty() || form.equals(offered.form));
        }
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
     * The board of a GPU-feature-discovery product label ({@code nvidia.com/gpu.product}), its vendor word dropped:
     * {@code Tesla-T4} → {@code T4}, {@code NVIDIA-A100-SXM4-40GB} → {@code A100-SXM4-40GB}; "" for none. The memory and
     * form factor stay: they tell the boards of one chip apart (QA 69a F2).
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
        return p;
    }

    /**
     * The model of a {@code provider} type of {@code family} whose catalog names {@code model}: its board ({@link #BOARDS})
     * where the catalog names only a chip made in several, {@code model} otherwise.
     */
    public static String board(String provider, String family, String model) {
        String b = model.isEmpty() ? null : BOARDS.get(provider + ":" + family);
        if (b == null) {
            return model;
        }
        Board named = Board.parse(model);
        return named.chip().equals(Board.parse(b).chip()) && named.memoryGb() == 0 && named.form().isEmpty() ? b : model;
    }

    /** The model of {@code shape}'s GPUs, its board where known ({@link #board(String, String, String)}). */
    public static String board(NodeShape shape) {
        return board(shape.provider(), shape.family(), shape.gpuModel());
    }

    /** Whether a pod allowed on {@code podModels} (empty: any) may use a GPU of {@code shapeModel} ("" unknown). */
    public static boolean allows(List<String> podModels, String shapeModel) {
        if (podModels.isEmpty() || shapeModel.isEmpty()) {
            return true;
        }
        Board offered = Board.parse(shapeModel);
        for (String m : podModels) {
            if (Board.parse(m).admits(offered)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a pod allowed on {@code podModels} cannot use {@code shape}'s GPUs, or null when it can: the models, and where
     * the shape has the chip but its memory or form factor is not known, that it is not (QA 69a F2: not taken as met).
     */
    public static String whyNot(List<String> podModels, NodeShape shape) {
        String offered = board(shape);
        if (allows(podModels, offered)) {
            return null;
        }
        Board b = Board.parse(offered);
        boolean unknown = podModels.stream().map(Board::parse).anyMatch(p -> p.chip().equals(b.chip())
                && (p.memoryGb() != 0 && b.memoryGb() == 0 || !p.form().isEmpty() && b.form().isEmpty()));
        return "needs GPU model " + String.join(" or ", podModels) + "; " + shape.name() + " has " + offered + (unknown
                ? ", which board of it (memory, form factor) is not known: give it as gpu-model= with them (A100-SXM4-80GB, V100M32)"
                : "");
    }
}
