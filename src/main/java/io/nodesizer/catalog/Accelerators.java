package io.nodesizer.catalog;

import java.util.Locale;
import java.util.Map;

/**
 * Accelerators that are not GPUs a pod can request: FPGAs, AWS Inferentia and Trainium, Gaudi,
 * Qualcomm AI 100, video transcoders. A workload cannot ask for them (the simulator models
 * {@code nvidia.com/gpu}-style GPUs only), so a sweep leaves them out unless asked: they cost a
 * premium for hardware the pods would not use.
 *
 * <p>Recognised by AWS family (Karpenter's instance-family label: f2, inf2, trn1, dl2q, vt1, …)
 * and, in any catalog, by a {@code gpu_manufacturer} of {@code xilinx} (Azure NP-series report
 * their U250 FPGAs as GPUs; they are not).
 */
public final class Accelerators {
    /**
     * The kind of a type whose one GPU is a share of a physical GPU (catalog {@code gpu_fraction}
     * below 1: Azure NVv4, NVadsA10 v5): pods ask for whole GPUs, so it holds none they can use.
     */
    public static final String GPU_PARTITION = "gpu-partition";

    /** AWS family prefix (letters before the generation digit) → accelerator kind. */
    private static final Map<String, String> AWS_FAMILIES = Map.of(
            "f", "fpga",
            "inf", "inferentia",
            "trn", "trainium",
            "dl", "gaudi",
            "vt", "video-transcoding");

    private Accelerators() {
    }

    /**
     * The accelerator kind of a catalog row, or {@code ""} for none (GPUs are counted apart).
     *
     * @param gpuManufacturer the catalog's {@code gpu_manufacturer} (may be empty)
     */
    public static String kind(String provider, String family, String gpuManufacturer) {
        if (gpuManufacturer.toLowerCase(Locale.ROOT).equals("xilinx")) {
            return "fpga";
        }
        if (provider.equals("aws")) {
            if (family.equals("dl2q")) {
                return "qualcomm-ai100";
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z]+)\\d+[a-z]*").matcher(family);
            if (m.matches()) {
                return AWS_FAMILIES.getOrDefault(m.group(1), "");
            }
        }
        return "";
    }
}
