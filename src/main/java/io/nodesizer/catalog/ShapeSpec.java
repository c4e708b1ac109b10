package io.nodesizer.catalog;

import io.nodesizer.engine.Amounts;
import io.nodesizer.input.InputException;
import io.nodesizer.input.KeyValueSpec;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.input.Values;
import io.nodesizer.kube.provider.ReservationPolicy;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code --node} option: a catalog reference ({@code aws:m5.4xlarge}, {@code gce:n2-standard-8})
 * or an inline shape {@code cpu=8,memory=32Gi[,pods=110][,price=0.384][,gpu=1][,ephemeral-storage=100Gi][,name=…]}; either
 * may add {@code labels=k=v;k2=v2} and {@code taints=k=v:NoSchedule;k2:NoExecute} for its nodes.
 */
public final class ShapeSpec {
    /**
     * Every key an inline shape takes. labels= and taints= are taken off the spec before it is read as key=value pairs, yet
     * they are listed here so that an unknown key's message names them too (QA 61b F4).
     */
    static final List<String> INLINE_KEYS = List.of("cpu", "memory", "pods", "price", "gpu", "gpu-model", "ephemeral-storage", "name",
            "labels", "taints");

    /** The most memory (and ephemeral storage) one node may have: 1Pi. */
    public static final long MOST_NODE_MEMORY = 1L << 50;
    /** The most CPU one node may have: 2^20 cores, in millicores. */
    public static final long MOST_NODE_CPU = 1000L << 20;

    private ShapeSpec() {
    }

    /**
     * @param policyFor the reservation for a provider ({@code aws}, {@code gce}, {@code inline})
     */
    public static NodeShape parse(String spec, Function<String, ReservationPolicy> policyFor, Integer maxPods, Long diskBytes) {
        return parse(spec, policyFor, t -> maxPods, () -> maxPods, diskBytes);
    }

    /**
     * As above, the max pods override per catalog type ({@code maxPodsOf}, null for the provider's
     * default: --max-pods prefix gives each AWS type its own) and for an inline shape ({@code inlineMaxPods}).
     */
    public static NodeShape parse(String spec, Function<String, ReservationPolicy> policyFor, Function<InstanceType, Integer> maxPodsOf,
                                  java.util.function.Supplier<Integer> inlineMaxPods, Long diskBytes) {
        // labels=k=v;k2=v2 and taints=k=v:NoSchedule;k2:NoExecute may follow any shape, catalog or inline.
        List<String> rest = new java.util.ArrayList<>();
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        List<io.nodesizer.model.Placement.Taint> taints = new java.util.ArrayList<>();
        KeyValueSpec.checkItems("--node", spec); // here, where the items are as written: labels= and taints= are read apart below
        String previous = "";
        for (String token : spec.split(",", -1)) {
            String t = token.trim();
            if (t.startsWith("labels=")) {
                labels.putAll(labels(t.substring(7), spec));
            } else if (t.startsWith("taints=")) {
                taints.addAll(taints(t.substring(7), spec));
            } else {
                secondLabelOrTaint(previous, t, spec);
                rest.add(token);
            }
            previous = t;
        }
        if (String.join(",", rest).isBlank() && !spec.isBlank()) {
            throw new InputException(SourceLocation.ofFile("--node"), "The spec '" + spec + "' names no shape: labels= and taints= "
                    + "go after a catalog type or an inline shape, e.g. aws:m5.xlarge,labels=workload=batch.");
        }
        NodeShape shape = parseShape(String.join(",", rest), spec, policyFor, maxPodsOf, inlineMaxPods, diskBytes);
        return labels.isEmpty() && taints.isEmpty() ? shape : shape.withLabelsAndTaints(labels, taints);
    }

    /**
     * Refuses {@code token} after a labels= or taints= item ({@code previous}) when it is no key of a shape: labels=a=b,c=d
     * was read as an unknown key 'c' of a spec without the labels (QA 68c F2), where a second label was meant, which goes
     * after ';' as the comma separates the shape's keys. A catalog type may follow them too (labels=a=b,aws:m5.large).
     */
    private static void secondLabelOrTaint(String previous, String token, String spec) {
        boolean list = previous.startsWith("labels=") || previous.startsWith("taints=");
        int eq = token.indexOf('=');
        int colon = token.indexOf(':');
        boolean key = eq > 0 && INLINE_KEYS.contains(token.substring(0, eq).trim());
        boolean catalogType = eq < 0 && colon > 0 && Catalogs.BUNDLED.contains(token.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
        if (list && !key && !catalogType) {
            String what = previous.substring(0, 6);
            throw new InputException(SourceLocation.of("--node", 0, 0, what), "The spec '" + spec + "' has '" + token + "' after "
                    + what + "=, which is not a key of the shape (" + String.join(", ", INLINE_KEYS) + "); several " + what
                    + " are separated by ';': " + previous + ";" + token + ".");
        }
    }

    private static final java.util.regex.Pattern LABEL_KEY = io.nodesizer.kube.NodeMatching.LABEL_KEY;
    private static final java.util.regex.Pattern LABEL_VALUE = io.nodesizer.kube.NodeMatching.LABEL_VALUE;

    /** {@code k=v;k2=v2}: node labels, keys and values as Kubernetes allows them. */
    static java.util.Map<String, String> labels(String text, String spec) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : text.split(";", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (eq < 0 || !LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
                throw new InputException(SourceLocation.of("--node", 0, 0, "labels"), "The label '" + pair + "' in '" + spec
                        + "' must be key=value with a Kubernetes label key and value, e.g. labels=workload=batch;team=ml.");
            }
            if (out.containsKey(key)) {
                throw new InputException(SourceLocation.of("--node", 0, 0, "labels"), "The label key " + key + " is given twice in '" + spec
                        + "' (" + key + "=" + out.get(key) + " and " + key + "=" + value + "); a node has one value per label key.");
            }
            out.put(key, value);
        }
        return out;
    }

    /** {@code key=value:Effect;key:Effect}: node taints, as kubectl taint writes them. */
    static List<io.nodesizer.model.Placement.Taint> taints(String text, String spec) {
        List<io.nodesizer.model.Placement.Taint> out = new java.util.ArrayList<>();
        for (String raw : text.split(";", -1)) {
            String t = raw.trim();
            int colon = t.lastIndexOf(':');
            String effect = colon < 0 ? "" : t.substring(colon + 1);
            String kv = colon < 0 ? t : t.substring(0, colon);
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (!java.util.Set.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect) || !LABEL_KEY.matcher(key).matches()
                    || !LABEL_VALUE.matcher(value).matches()) {
                throw new InputException(SourceLocation.of("--node", 0, 0, "taints"), "The taint '" + t + "' in '" + spec
                        + "' must be key[=value]:Effect with an effect of NoSchedule, PreferNoSchedule or NoExecute, "
                        + "e.g. taints=dedicated=gpu:NoSchedule.");
            }
            for (io.nodesizer.model.Placement.Taint other : out) {
                if (other.key().equals(key) && other.effect().equals(effect)) {
                    throw new InputException(SourceLocation.of("--node", 0, 0, "taints"), "The taint " + key + ":" + effect
                            + " is given twice in '" + spec + "'; the API server allows one taint per key and effect.");
                }
            }
            out.add(new io.nodesizer.model.Placement.Taint(key, value, effect));
        }
        return out;
    }

    /** {@code spec} is the shape without its labels= and taints=; {@code shown} the spec as given, for the messages. */
    private static NodeShape parseShape(String spec, String shown, Function<String, ReservationPolicy> policyFor,
                                        Function<InstanceType, Integer> maxPodsOf, java.util.function.Supplier<Integer> inlineMaxPods,
                                        Long diskBytes) {
        String s = spec.trim();
        catalogTypeWithKeys(s, shown);
        int colon = s.indexOf(':');
        if (colon > 0 && !s.contains("=")) {
            String catalog = s.substring(0, colon).toLowerCase(java.util.Locale.ROOT); // as --catalog takes it
            String type = s.substring(colon + 1);
            if (type.isBlank() && Catalogs.BUNDLED.contains(catalog)) {
                // aws: listed t2.nano, t3.nano, … as near an instance type '' (QA 68c F5).
                String example = Map.of("aws", "m5.xlarge", "gce", "n2-standard-4", "azure", "Standard_D4s_v5").get(catalog);
                throw new InputException(SourceLocation.ofFile("--node"), "The instance type after '" + s + "' is missing: give one, "
                        + "e.g. " + catalog + ":" + example + ".");
            }
            if (!Catalogs.BUNDLED.contains(catalog)) {
                String meant = Catalogs.meant(catalog);
                throw new InputException(SourceLocation.ofFile("--node"), "The catalog in '" + shown + "' must be one of "
                        + String.join(", ", Catalogs.BUNDLED) + "; found '" + catalog + "'" + (meant == null ? "." : ": did you mean "
                        + meant + ":" + type + "?"));
            }
            List<InstanceType> types = Catalogs.load(catalog);
            for (InstanceType t : types) {
                if (t.name().equals(type)) {
                    return NodeShapes.toShape(t, policyFor.apply(t.provider()), maxPodsOf.apply(t), diskBytes);
                }
            }
            throw notInCatalog(catalog, type, types);
        }
        if (colon < 0 && !s.contains("=")) {
            // A type's name without its catalog (m5.4xlarge) read as an inline spec said only "must be key=value pairs".
            List<String> offered = Catalogs.offering(s);
            if (!offered.isEmpty()) {
                throw new InputException(SourceLocation.ofFile("--node"), "The shape '" + shown + "' names no catalog; a catalog type is "
                        + "given as catalog:type. Maybe " + String.join(" or ", offered) + "?");
            }
        }
        return inline(spec, shown, policyFor.apply("inline"), inlineMaxPods.get(), diskBytes);
    }

    private static InputException notInCatalog(String catalog, String type, List<InstanceType> types) {
        // Nearest ignoring case first: aws:M5.4xlarge put m5.4xlarge third, after c5.4xlarge and g5.4xlarge.
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        List<String> near = types.stream().map(InstanceType::name)
                .sorted(Comparator.comparingInt((String n) -> io.nodesizer.model.NameLists.distance(n.toLowerCase(java.util.Locale.ROOT), lower))
                        .thenComparingInt(n -> io.nodesizer.model.NameLists.distance(n, type)).thenComparing(n -> n)).limit(5).toList();
        return new InputException(SourceLocation.ofFile("--node"), "The instance type '" + type + "' is not in the " + catalog
                + " catalog. Maybe " + String.join(", ", near) + "?");
    }

    /**
     * Refuses a catalog type followed by other items (labels= and taints= are taken off before): aws:m5.large,price=1 (a
     * negotiated price) said only "must be key=value pairs; found 'aws:m5.large'" (QA 68c F5). A catalog type is the
     * catalog's row as it is; the way to another price is an inline shape of its size, which the message writes out.
     */
    private static void catalogTypeWithKeys(String s, String shown) {
        int comma = s.indexOf(',');
        String first = comma < 0 ? s : s.substring(0, comma).trim();
        int colon = first.indexOf(':');
        if (comma < 0 || colon <= 0 || first.contains("=")) {
            return;
        }
        String catalog = first.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (!Catalogs.BUNDLED.contains(catalog)) {
            return;
        }
        String rest = s.substring(comma + 1);
        if (!rest.contains("=")) {
            throw new InputException(SourceLocation.ofFile("--node"), "The spec '" + shown + "' gives more than the catalog type "
                    + first + ", which takes nothing else but labels= and taints=; give each shape its own --node.");
        }
        String type = first.substring(colon + 1).trim();
        List<InstanceType> types = Catalogs.load(catalog);
        InstanceType t = types.stream().filter(i -> i.name().equals(type)).findFirst().orElseThrow(() -> notInCatalog(catalog, type, types));
        String price = java.util.Arrays.stream(rest.split(",")).map(String::trim).filter(i -> i.startsWith("price="))
                .findFirst().orElse(t.pricePerHourUsd() == null ? "price=PRICE" : "price=" + t.pricePerHourUsd());
        // Its GPUs and the catalog's max pods too (review 68: the suggestion dropped a g5's GPU and an m5.large's 29 pods).
        String size = "cpu=" + t.vcpu() + ",memory=" + (t.memoryMib() % 1024 == 0 ? t.memoryMib() / 1024 + "Gi" : t.memoryMib() + "Mi")
                + (t.gpuCount() > 0 ? ",gpu=" + t.gpuCount() + (t.gpuModel() == null || t.gpuModel().isBlank() ? "" : ",gpu-model=" + t.gpuModel()) : "")
                + (t.maxPods() == null ? "" : ",pods=" + t.maxPods());
        throw new InputException(SourceLocation.ofFile("--node"), "The spec '" + shown + "' gives keys after the catalog type " + first
                + ", which takes none but labels= and taints=: its size and price are the catalog's (--max-pods and --disk set its "
                + "max pods and root disk). For another price, give an inline shape of its size, e.g. --node " + size + "," + price
                + " (--overhead " + io.nodesizer.kube.provider.ReservationPolicies.forProvider(t.provider()).name() + " for " + catalog
                + "'s reservation).");
    }

    /**
     * Why a node's memory or disk of {@code bytes}, written {@code written}, is too small for one (null when it is not): a
     * quantity without a unit is bytes, so memory=64 or --disk 100 meant Gi; as such it left every pod unschedulable with
     * exit 0 (QA 55c F3, QA 68c F6). {@code key} is how the value is given ({@code memory=}, {@code --disk }).
     */
    public static String tooSmall(String what, String written, long bytes, long least, String leastText, String key, String howGiven) {
        if (bytes >= least) {
            return null;
        }
        String w = written.trim();
        return "The " + what + " (" + w + ") is " + bytes + " bytes" + (Values.plainNumber(w) && bytes > 0
                ? ": a quantity without a unit is bytes. Give a unit, e.g. " + key + Values.withSuffix(w, "Gi") + "."
                : ", less than " + leastText + "; " + howGiven + ".");
    }

    /**
     * Why a node's root disk (--disk, an inline ephemeral-storage=) cannot be one, or null: under 1 GiB no node boots (EKS's
     * default volume is 20 GiB, GKE's smallest boot disk 10 GB), and the kubelet's images and logs live on it; past 1Pi, as
     * for memory, a unit is off (--disk 2Ei was taken where ephemeral-storage=2Ei was refused).
     */
    public static String diskOutOfRange(String what, String written, long bytes, String key) {
        if (bytes > MOST_NODE_MEMORY) {
            return "The " + what + " (" + written.trim() + ") must be at most 1Pi, the most nodesizer takes for one node. Maybe a "
                    + "unit is off: P and E are 10^15 and 10^18 bytes; Gi is 2^30.";
        }
        return tooSmall(what, written, bytes, 1L << 30, "1 GiB", key, "a node's root disk is given in Gi, e.g. " + key + "100Gi");
    }

    private static NodeShape inline(String rest, String text, ReservationPolicy policy, Integer maxPods, Long diskBytes) {
        KeyValueSpec spec = KeyValueSpec.parse("--node", rest, text, INLINE_KEYS);
        if (!spec.has("cpu") || !spec.has("memory")) {
            throw spec.error("The inline shape '" + text + "' must give cpu and memory, e.g. cpu=8,memory=32Gi,pods=110,price=0.384;"
                    + " or name a catalog type such as aws:m5.2xlarge.");
        }
        long cpu = Values.cpuMillis(spec.single("cpu"), spec.at("cpu"), "node cpu");
        long memory = Values.bytes(spec.single("memory"), spec.at("memory"), "node memory");
        if (cpu == 0 || memory == 0) {
            throw spec.error("The inline shape '" + text + "' must have cpu and memory above zero.");
        }
        // A node is never a few bytes or millicores: memory=64 (bytes, as a quantity without a unit is) meant 64Gi, and
        // packed so it left every pod unschedulable with exit 0 (QA 55c F3).
        String small = tooSmall("node memory", spec.single("memory"), memory, 1L << 20, "1 MiB", "memory=",
                "a node's memory is given in Gi, e.g. memory=32Gi");
        if (small != null) {
            throw spec.error(small);
        }
        // The largest cloud nodes have 32 TiB and under 1,000 vCPUs. A node within 1 PiB and 2^20 cores keeps the sums over
        // thousands of nodes within a long (a cluster's allocatable, what a packing strands), as a catalog's memory_mib is
        // capped alike; past it a unit is off (memory=512Pi for 512Gi left a negative memory use in the replay).
        if (memory > MOST_NODE_MEMORY) {
            throw spec.error("The node memory (" + spec.single("memory").trim() + ") must be at most 1Pi, the most nodesizer takes for one "
                    + "node (the largest cloud nodes have 32Ti). Maybe a unit is off: P and E are 10^15 and 10^18 bytes; Gi is 2^30.");
        }
        if (cpu > MOST_NODE_CPU) {
            throw spec.error("The node cpu (" + spec.single("cpu").trim() + ") must be at most 1048576 cores (2^20), the most nodesizer "
                    + "takes for one node. Maybe a unit is off: cpu=4 is four cores, cpu=4000m too.");
        }
        if (cpu < 100) {
            throw spec.error("The node cpu (" + spec.single("cpu") + ") is " + cpu + " millicores, below a tenth of a core: write whole "
                    + "cores (cpu=4) or millicores of a node's size (cpu=3920m).");
        }
        // One range for every wrong pods= (QA 61b F5: 1.5 was "from 0 to 100000" while 0 was "at least 1"); --max-pods checks its own.
        int pods = maxPods != null ? maxPods
                : spec.has("pods") ? (int) Values.integer(spec.single("pods"), spec.single("pods"), spec.at("pods"), "node pods", 1, 100_000)
                : policy.defaultMaxPods(null);
        long gpus = spec.has("gpu") ? Values.wholeCount(spec.single("gpu"), spec.at("gpu"), "node gpu") : 0;
        if (gpus > io.nodesizer.engine.GpuDevices.MAX) {
            // Devices are tracked per node (whole GPUs and shares of one): more would be packed as 64, and bounded as 64 too.
            throw spec.error("The node gpu (" + gpus + ") must be at most " + io.nodesizer.engine.GpuDevices.MAX + ": nodesizer tracks "
                    + "each GPU of a node as a device. Time-sliced GPUs (the device plugin's replicas) are not devices to pack onto: "
                    + "give the physical GPUs, and requests of a share (gpu_milli in a trace) for pods that share one.");
        }
        long disk = spec.has("ephemeral-storage") ? Values.bytes(spec.single("ephemeral-storage"), spec.at("ephemeral-storage"), "node ephemeral-storage")
                : diskBytes != null ? diskBytes : policy.defaultDiskBytes();
        String wrongDisk = spec.has("ephemeral-storage")
                ? diskOutOfRange("node ephemeral-storage", spec.single("ephemeral-storage"), disk, "ephemeral-storage=") : null;
        if (wrongDisk != null) {
            throw spec.error(wrongDisk);
        }
        Double price = null;
        if (spec.has("price")) {
            try {
                price = Double.parseDouble(spec.single("price"));
            } catch (NumberFormatException e) {
                price = Double.NaN;
            }
            if (!NodeShape.priceInRange(price)) {
                throw spec.error("The node price (" + spec.single("price") + ") must be " + NodeShape.PRICE_RANGE + ".");
            }
        }
        Resources capacity = new Resources(cpu, memory, pods, gpus * 1000, disk);
        String name = spec.has("name") ? spec.single("name")
                : "custom-" + Amounts.format(Resource.CPU, cpu) + "c-" + Amounts.format(Resource.MEMORY, memory) + "g"
                        + (gpus > 0 ? "-" + gpus + "gpu" : "");
        String gpuModel = spec.has("gpu-model") ? spec.single("gpu-model").trim() : "";
        if (!gpuModel.isEmpty() && gpus == 0) {
            throw spec.error("The inline shape '" + text + "' names a gpu-model but has no gpu; give gpu=N too.");
        }
        return new NodeShape(name, "inline", "custom", "amd64", capacity, policy.allocatable(capacity), policy.name(), price, gpuModel,
                Map.of(), List.of(), "", policy.kubeletCapacity(capacity));
    }
}
