package io.nodesizer.cli;

import io.nodesizer.catalog.AksSizes;
import io.nodesizer.catalog.CatalogFilter;
import io.nodesizer.catalog.Catalogs;
import io.nodesizer.catalog.GenericFamily;
import io.nodesizer.catalog.NodeShapes;
import io.nodesizer.catalog.PreviousGeneration;
import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The candidate node shapes: a filtered catalog, --node shapes and --generic families, with the allocatable policy. */
final class ShapeOptions {

    String catalog;

    @Option(names = "--catalog", paramLabel = "NAME|FILE", description = "aws (default), gce, azure, or a CSV file of instance types.")
    void catalog(String nameOrPath) {
        catalog = Catalogs.canonicalName(nameOrPath); // AWS is aws, as everything after reads it
    }

    @Option(names = "--families", split = ",", paramLabel = "F", description = "Only these families, e.g. m5,r5,c6i.")
    List<String> families;

    @Option(names = "--ratios", split = ",", paramLabel = "R", description = "Only these GiB-per-vCPU ratios (±10%%), e.g. 2,4,8.")
    List<Double> ratios;

    @Option(names = "--min-cpu", paramLabel = "N", description = "Smallest vCPU count.")
    Integer minCpu;

    @Option(names = "--max-cpu", paramLabel = "N", description = "Largest vCPU count.")
    Integer maxCpu;

    @Option(names = "--arch", paramLabel = "ARCH", description = "amd64, arm64 or any. Default: what the workload's pods require "
            + "(kubernetes.io/arch in node selectors or required node affinity): arm64 when every pod that names one takes only arm64, "
            + "any when some need amd64 and some arm64, else amd64; sizing a cluster snapshot, the architecture of "
            + "its worker nodes when they share one.")
    String arch;

    @Option(names = "--burstable", paramLabel = "MODE", description = "Burstable (CPU-credit) types: AWS T, Azure B, GCE shared-core: "
            + "exclude or include. Default: exclude, unless --families names the families.")
    String burstable;

    @Option(names = "--previous-generation", paramLabel = "MODE", description = "AWS's previous-generation families (t1, m1-m3, c1, c3, "
            + "r3, i2, g2, ...; AWS's Previous Generation Instances page): exclude or include. Default: exclude, unless --families names the families.")
    String previousGeneration;

    @Option(names = "--gpu", paramLabel = "MODE", description = "GPU instance types: exclude, include or only. Default: include when the workload requests GPUs or --families names "
            + "the families, else exclude.")
    String gpu;

    @Option(names = "--accelerators", paramLabel = "MODE", description = "Types with accelerators other than GPUs (FPGA, Inferentia, "
            + "Trainium, Gaudi, Qualcomm AI 100, video transcoding): exclude or include. Default: exclude, unless --families names the families.")
    String accelerators;

    @Option(names = "--node", paramLabel = "SPEC", description = "Add a shape (catalog type or inline spec); with --node or --generic alone, the catalog is not swept unless --catalog is given.")
    List<String> nodes;

    @Option(names = "--generic", paramLabel = "SPEC", description = "Add a generic family: cpu=2..96,ratio=2,4,8,price-per-cpu=0.0316,price-per-gib=0.0042.")
    List<String> generic;

    @Mixin
    NodeOptions nodeOptions;

    /** The node labels that name a node's CPU architecture. */
    private static final java.util.Set<String> ARCH_KEYS = java.util.Set.of("kubernetes.io/arch", "beta.kubernetes.io/arch");

    /**
     * The --arch the workload asks for, as --gpu follows its GPUs: arm64 when every pod that can run on only one architecture
     * needs arm64 (a Graviton image pinned with {@code kubernetes.io/arch: arm64}), any when some need amd64 and some arm64,
     * else amd64. Only the architecture is judged: every other label a pod requires is taken as met here.
     */
    static String workloadArch(Workload w) {
        boolean amdOnly = false;
        boolean armOnly = false;
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            io.nodesizer.model.Placement p = g.placement();
            if (p.isAny()) {
                continue;
            }
            java.util.Set<String> assumed = io.nodesizer.kube.NodeMatching.keysNamed(p);
            assumed.removeAll(ARCH_KEYS);
            boolean amd = io.nodesizer.kube.NodeMatching.whyNot(p, archLabels("amd64"), List.of(), null, assumed) == null;
            boolean arm = io.nodesizer.kube.NodeMatching.whyNot(p, archLabels("arm64"), List.of(), null, assumed) == null;
            amdOnly |= amd && !arm;
            armOnly |= arm && !amd;
        }
        return armOnly ? (amdOnly ? "any" : "arm64") : "amd64";
    }

    private static java.util.Map<String, String> archLabels(String arch) {
        return java.util.Map.of("kubernetes.io/arch", arch, "beta.kubernetes.io/arch", arch);
    }

    /**
     * The candidates, de-duplicated by name; {@code describe} collects a line per source. The
     * catalog (aws by default) is swept unless only --node or --generic shapes are given.
     */
    List<NodeShape> candidates(Workload w, List<String> describe) {
        sizingNotes.clear();
        if (diskNote != null) {
            sizingNotes.add(diskNote);
        }
        givenFilter();
        requireCatalogForFilters();
        List<NodeShape> shapes = new ArrayList<>();
        if (catalog != null || !explicitShapes()) {
            String name = catalog == null ? "aws" : catalog;
            List<InstanceType> types = Catalogs.load(name);
            boolean workloadWantsGpus = w.groups().stream().anyMatch(g -> g.request().gpuMillis() > 0);
            String nodesArch = snapshot == null ? null : nodesArch(snapshot);
            CatalogFilter filter = CatalogFilter.fromOptions(families, ratios, minCpu, maxCpu, arch != null ? arch
                            : nodesArch != null ? nodesArch : workloadArch(w),
                    // Named families lift the default exclusion of GPU types as they do the other filters' (QA 71b F7: --families g5 for
                    // CPU pods exited 2 with "none … has no GPUs").
                    gpu == null ? (workloadWantsGpus || families != null && !families.isEmpty() ? "include" : "exclude") : gpu, accelerators,
                    burstable,
                    // Only AWS names previous generations: elsewhere the candidates line would name a filter that removes nothing.
                    previousGeneration == null && types.stream().noneMatch(PreviousGeneration::is) ? "include" : previousGeneration);
            checkFamilies(filter, types, name);
            List<InstanceType> kept = filter.apply(types);
            if (kept.isEmpty()) {
                throw noneLeft(name, filter.emptiedBy(types), filter.whyEmpty(types) + ".");
            }
            // AKS refuses node pools of its smallest sizes: under an AKS reservation a sweep leaves them out.
            List<InstanceType> aksAllowed = kept.stream().filter(t -> !isAks(t.provider()) || AksSizes.allowed(t)).toList();
            if (aksAllowed.isEmpty()) {
                throw noneLeft(name, "--overhead", "the " + kept.size() + " left have fewer than 2 vCPUs or 2 GiB, which AKS refuses "
                        + "for node pools (give --overhead none to size plain Azure VMs).");
            }
            boolean droppedSmall = aksAllowed.size() < kept.size();
            kept = aksAllowed;
            List<InstanceType> bootable = kept.stream().filter(io.nodesizer.catalog.PvOnly::allowed).toList();
            if (bootable.isEmpty()) {
                throw noneLeft(name, "--catalog", "the " + kept.size() + " left are of the first EC2 generations (m1, m2, c1, t1), "
                        + "which boot only paravirtual images; every Kubernetes node image is HVM.");
            }
            boolean droppedPv = bootable.size() < kept.size();
            kept = bootable;
            java.util.Set<String> reservations = new java.util.TreeSet<>();
            java.util.Set<String> maxPods = new java.util.TreeSet<>();
            for (InstanceType t : kept) {
                io.nodesizer.kube.provider.ReservationPolicy policy = nodeOptions.policyFor(t.provider());
                NodeShape s = NodeShapes.toShape(t, policy, nodeOptions.maxPodsFor(t), nodeOptions.diskBytes());
                reservations.add(s.reservation());
                // A catalog row without a max pods of its own gets the policy's default (110 under EKS), whatever the
                // policy's basis says of catalogs that give one (QA 65a F6: "each type's ENI limit" over 110 a node).
                maxPods.add(t.maxPods() == null && policy.readsCatalogMaxPods()
                        ? "max pods " + policy.defaultMaxPods(null) + " where the catalog gives none (its max_pods_eni column)"
                        : policy.maxPodsBasis());
                shapes.add(s);
            }
            // A user catalog's reservation follows its provider column: say which one the types got, in the
            // header every format prints, so a missing or unknown provider (no reservation) is not silent.
            String reserved = Catalogs.BUNDLED.contains(name) ? "" : "; reservation " + String.join(", ", reservations)
                    + (reservations.contains("none") && nodeOptions.overhead == null && nodeOptions.reserved == null
                    ? " (provider column not aws, gce or azure: allocatable = capacity; give --overhead eks, gke or aks)" : "");
            String described = filter.describe() + (droppedSmall ? ", " + AksSizes.DESCRIBED : "")
                    + (droppedPv ? ", " + io.nodesizer.catalog.PvOnly.DESCRIBED : "")
                    // The max pods assumed: it caps the pods a node takes and, where reserved per pod, its allocatable memory.
                    + "; " + (nodeOptions.prefixDelegation() ? "max pods by EKS prefix delegation (--max-pods prefix)"
                    : nodeOptions.maxPods() != null ? "max pods " + nodeOptions.maxPods() + " (--max-pods)" : String.join("; ", maxPods));
            List<String> otherArch = filter.familiesOfOtherArch(types);
            if (!otherArch.isEmpty()) {
                described += "; left out for their arch: " + String.join(", ", otherArch) + " (give --arch any to rank them)";
            }
            if (arch == null && nodesArch != null) {
                String mine = "arch " + nodesArch + " as the snapshot's nodes";
                described = described.contains("arch " + nodesArch) ? described.replace("arch " + nodesArch, mine) : described + ", " + mine;
            }
            String basis = Catalogs.priceBasis(name);
            if (basis == null) {
                // A catalog of one's own: the region its prices are of, and a warning where rows of several are ranked together.
                java.util.Set<String> regions = new java.util.TreeSet<>();
                kept.forEach(t -> regions.add(t.region()));
                regions.remove("");
                basis = regions.isEmpty() ? null : regions.size() == 1 ? "prices of " + regions.iterator().next()
                        : "prices of " + regions.size() + " regions ranked together (" + String.join(", ", regions)
                        + "): give one region's rows to compare like with like";
            }
            describe.add(kept.size() + " of " + types.size() + " " + name + " types (" + described + reserved + ")"
                    + (basis == null ? "" : ", " + basis));
        }
        if (nodes != null) {
            for (String n : nodes) {
                NodeShape s = nodeOptions.shape(n);
                AksSizes.note(s).ifPresent(sizingNotes::add);
                shapes.add(s);
            }
            describe.add(nodes.size() + " --node shapes");
        }
        if (generic != null) {
            for (String g : generic) {
                List<NodeShape> family = genericFamily(g);
                shapes.addAll(family);
                describe.add(family.size() + " generic shapes (" + g + ")");
            }
        }
        // A shape given twice (a catalog type swept and named with --node too) is one candidate; a second
        // shape under a name already taken (an instance type again with other labels or taints, two
        // inline shapes of one size without name=) is another candidate, under a name of its own.
        java.util.Map<String, NodeShape> byName = new java.util.LinkedHashMap<>();
        // Per name the shapes given under it, as given: one given again (the batch group's twice) is no third candidate.
        java.util.Map<String, List<NodeShape>> given = new java.util.HashMap<>();
        for (NodeShape s : shapes) {
            NodeShape taken = byName.get(s.name());
            List<NodeShape> same = given.computeIfAbsent(s.name(), k -> new ArrayList<>());
            if (same.contains(s)) {
                continue;
            }
            same.add(s);
            if (taken == null) {
                byName.put(s.name(), s);
            } else {
                int k = 2;
                while (byName.containsKey(s.name() + "#" + k)) {
                    k++;
                }
                NodeShape renamed = io.nodesizer.kube.NodeLabels.renamed(s, s.name() + "#" + k);
                byName.put(renamed.name(), renamed);
                describe.add(renamed.name() + ": a second " + s.name() + " (" + differences(taken, s) + ")");
            }
        }
        List<NodeShape> out = io.nodesizer.kube.EksAutoMode.apply(new ArrayList<>(byName.values()), w, sizingNotes);
        return snapshot == null ? out : io.nodesizer.analyze.ObservedAllocatable.apply(out, snapshot, sizingNotes);
    }

    /** A family the catalog lacks exits 2, with the families it has that look like it. */
    private static void checkFamilies(CatalogFilter filter, List<InstanceType> types, String name) {
        java.util.Map<String, List<String>> unknown = filter.unknownFamilies(types);
        if (!unknown.isEmpty()) {
            List<String> each = new ArrayList<>();
            unknown.forEach((f, like) -> each.add(f + (like.isEmpty() ? "" : " (did you mean " + String.join(" or ", like) + "?)")));
            throw new InputException(SourceLocation.ofFile("--families"), "Catalog " + name + " has no instance family "
                    + String.join(", ", each) + " (families are named as in the catalog's family column, such as "
                    + String.join(", ", CatalogFilter.someFamilies(types)) + ").");
        }
    }

    /**
     * The filters' values as {@link #candidates} checks them, without a workload: the catalog, its families (when the
     * catalog is known before a snapshot is read), the architecture, GPU, accelerator and burstable modes ({@link PreChecked}).
     */
    void checkFilters(boolean snapshotGiven) {
        CatalogFilter filter = givenFilter();
        requireCatalogForFilters();
        checkNodeOptions();
        // Without --catalog a snapshot's run takes the catalog of its nodes' types (catalogFrom), known once it is read.
        if (catalog == null && (explicitShapes() || snapshotGiven)) {
            return;
        }
        String name = catalog == null ? "aws" : catalog;
        List<InstanceType> types;
        try {
            types = Catalogs.load(name);
        } catch (InputException e) {
            // At the option, so that sweep names the scenario's catalog key (the message keeps the file and line).
            throw new InputException(SourceLocation.ofFile("--catalog"), e.getMessage(), e);
        }
        checkFamilies(filter, types, name);
        // The filters as given, every architecture and GPU admitted (the run narrows them to the workload's): none left is
        // certain before any input is read (QA 66b M1: --families m5 --max-cpu 1 failed only at its run).
        List<InstanceType> kept = filter.apply(types);
        if (kept.isEmpty()) {
            throw noneLeft(name, filter.emptiedBy(types), filter.whyEmpty(types) + ".");
        }
        // The allocatable options for each provider of the types the filters keep, as their shapes get them (review 66: a
        // catalog of aws and gce rows filtered to m5 refused --max-pods prefix for the gce rows the run never reads).
        java.util.Map<String, InstanceType> oneOf = new java.util.LinkedHashMap<>();
        kept.forEach(t -> oneOf.putIfAbsent(t.provider(), t));
        // Refused only when every such provider refuses them: the run narrows the types further by the workload's arch and
        // GPUs, and may keep only the providers that take them.
        InputException first = null;
        for (InstanceType t : oneOf.values()) {
            try {
                nodeOptions.policyFor(t.provider());
                nodeOptions.maxPodsFor(t);
                return;
            } catch (InputException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The shapes of one --generic family, with the node options' allocatable policy, max pods and disk. */
    private List<NodeShape> genericFamily(String spec) {
        return GenericFamily.parse(spec, nodeOptions.policyFor("generic"), nodeOptions.maxPodsWithoutTypes("--generic shapes"),
                nodeOptions.diskBytes());
    }

    /**
     * The node options as the run reads them for the --node and --generic shapes, which need no input (QA 66b M1: an
     * --overhead, --max-pods, --disk, --reserved, --os-memory or --network-plugin mistake failed a sweep's run after the others).
     */
    private void checkNodeOptions() {
        nodeOptions.maxPods();
        nodeOptions.diskBytes();
        if (nodes != null) {
            nodes.forEach(nodeOptions::shape);
        }
        if (generic != null) {
            generic.forEach(this::genericFamily);
        }
    }

    /**
     * The options that supplied the candidates, as an error names them: "--node", "--generic", "--catalog" (or
     * "--families", "--catalog/--families" where families chose the catalog's types), comma-separated where several did
     * (review 75b #3: a replay of --generic shapes alone blamed --catalog, which was never given).
     */
    String sourceOptions() {
        List<String> out = new ArrayList<>();
        if (catalog != null || !explicitShapes()) {
            boolean chosen = families != null && !families.isEmpty();
            out.add(catalog != null && chosen ? "--catalog/--families" : chosen ? "--families" : "--catalog");
        }
        if (nodes != null && !nodes.isEmpty()) {
            out.add("--node");
        }
        if (generic != null && !generic.isEmpty()) {
            out.add("--generic");
        }
        return String.join(", ", out);
    }

    /** Whether shapes are given with --node or --generic: then no catalog is swept unless --catalog names one. */
    /**
     * Whether these options give several candidate shapes whatever the workload: two --node shapes or more and nothing
     * else, a --node beside a swept --catalog, or nothing given at all (the whole aws catalog). Otherwise the count depends
     * on the filters, the catalog and the workload's arch and GPUs, which the run sees.
     */
    boolean surelySeveral() {
        boolean nodesOnly = nodes != null && !nodes.isEmpty() && (generic == null || generic.isEmpty());
        if (nodesOnly && catalog == null) {
            return nodes.size() > 1;
        }
        if (nodesOnly) {
            return true;
        }
        return !explicitShapes() && catalog == null && families == null && ratios == null && minCpu == null && maxCpu == null;
    }

    private boolean explicitShapes() {
        return (nodes != null && !nodes.isEmpty()) || (generic != null && !generic.isEmpty());
    }

    /**
     * An input error when a catalog filter is given beside --node or --generic shapes without --catalog: then no catalog is
     * swept, and `--families m5 --node cpu=4,...` ranked the one shape without a word of m5 (QA 57a F3).
     */
    private void requireCatalogForFilters() {
        if (catalog != null || !explicitShapes()) {
            return;
        }
        List<String> given = new ArrayList<>();
        if (families != null && !families.isEmpty()) {
            given.add("--families");
        }
        if (ratios != null && !ratios.isEmpty()) {
            given.add("--ratios");
        }
        if (minCpu != null) {
            given.add("--min-cpu");
        }
        if (maxCpu != null) {
            given.add("--max-cpu");
        }
        if (arch != null) {
            given.add("--arch");
        }
        if (gpu != null) {
            given.add("--gpu");
        }
        if (burstable != null) {
            given.add("--burstable");
        }
        if (accelerators != null) {
            given.add("--accelerators");
        }
        if (previousGeneration != null) {
            given.add("--previous-generation");
        }
        if (!given.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(given.get(0)), String.join(", ", given) + (given.size() == 1 ? " filters" : " filter")
                    + " a catalog's types, and with --node or --generic shapes alone no catalog is swept. Add --catalog aws (or gce, "
                    + "azure, a catalog file) to rank its types so filtered beside those shapes, or leave " + (given.size() == 1 ? "it" : "them")
                    + " out.");
        }
    }

    /**
     * The filter of the options as given (the workload's defaults aside), which checks their values: an --arch,
     * --gpu, --accelerators or --burstable mode that is none of its words exits 2 even where no catalog is swept
     * (--arch sparc beside --node was taken without a word). An empty family list (--families '' or ',') exits 2:
     * it counted as families named, which lifts the default exclusions, and filtered nothing (QA 62 item 6).
     */
    private CatalogFilter givenFilter() {
        if (families != null && families.stream().allMatch(f -> f.isBlank())) {
            throw new InputException(SourceLocation.ofFile("--families"), "The family list ('" + String.join(",", families)
                    + "') names no family; give one or more, e.g. --families m5,r5, or leave the option out for every family.");
        }
        return CatalogFilter.fromOptions(families, ratios, minCpu, maxCpu, arch != null ? arch : "any", gpu == null ? "include" : gpu,
                accelerators, burstable, previousGeneration);
    }

    /**
     * Today's nodes' prices by instance type for a running cluster's saving: with --catalog a catalog of one's own
     * (savings-plan prices, another region's), its prices, which the candidates have, over the bundled on-demand prices
     * for the types it does not list; null otherwise (the bundled prices, which the candidates have then too). A saving
     * from today's nodes at list price to candidates at a discount was a saving of the discount alone (QA 55b F1).
     * {@code notes} gets which of the snapshot's worker types kept a bundled price.
     */
    java.util.Map<String, Double> nodePrices(io.nodesizer.model.ClusterSnapshot s, List<String> notes) {
        if (catalog == null || Catalogs.BUNDLED.contains(catalog)) {
            return null;
        }
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        for (InstanceType t : Catalogs.load(catalog)) {
            if (t.pricePerHourUsd() != null) {
                out.putIfAbsent(t.name(), t.pricePerHourUsd()); // a catalog of several regions: its first row, as its note says
            }
        }
        java.util.Set<String> listed = java.util.Set.copyOf(out.keySet());
        io.nodesizer.analyze.ClusterAnalysis.prices().forEach(out::putIfAbsent);
        java.util.Set<String> bundled = new java.util.TreeSet<>();
        for (io.nodesizer.model.ClusterSnapshot.Node n : s.nodes()) {
            if (n.worker() && n.instanceType() != null && !listed.contains(n.instanceType()) && out.containsKey(n.instanceType())) {
                bundled.add(n.instanceType());
            }
        }
        notes.add("today's nodes are priced from " + catalog + " where it lists their type, as the candidates are"
                + (bundled.isEmpty() ? "" : "; " + io.nodesizer.model.NameLists.firstOf(new ArrayList<>(bundled), 5)
                + (bundled.size() == 1 ? " is" : " are") + " not in it and kept the bundled on-demand price, which a saving then "
                + "compares with " + catalog + "'s: add " + (bundled.size() == 1 ? "its row" : "their rows") + " to compare like with like"));
        return out;
    }

    /** The error when no type of catalog {@code name} is left, and why. */
    private static InputException noneLeft(String name, String option, String why) {
        return new InputException(SourceLocation.ofFile(option), "No instance type of catalog " + name + " passes the filters: " + why);
    }

    /** What {@link NodeOptions#diskFrom} said of the running cluster's root disk, or null. */
    private String diskNote;

    /** The running cluster given to {@link #catalogFrom}, or null. */
    private io.nodesizer.model.ClusterSnapshot snapshot;
    private final List<String> sizingNotes = new ArrayList<>();

    /** Whether the provider's shapes get an AKS reservation (aks, aks-legacy): then AKS's size rules apply. */
    private boolean isAks(String provider) {
        return "azure".equals(provider) && nodeOptions.policyFor(provider).name().startsWith("aks");
    }

    /**
     * What the last {@link #candidates} call says of how it sized them: the instance types sized as a snapshot's nodes
     * report, the aws shapes standing for EKS Auto Mode nodes ({@link io.nodesizer.kube.EksAutoMode}).
     */
    List<String> sizingNotes() {
        return List.copyOf(sizingNotes);
    }

    /** What sets {@code b} apart from {@code a}, a shape of the same name. */
    private static String differences(NodeShape a, NodeShape b) {
        List<String> out = new ArrayList<>();
        if (!a.labels().equals(b.labels())) {
            out.add("labels " + (b.labels().isEmpty() ? "none" : b.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(";"))));
        }
        if (!a.taints().equals(b.taints())) {
            out.add("taints " + (b.taints().isEmpty() ? "none" : b.taints().stream()
                    .map(t -> t.key() + (t.value().isEmpty() ? "" : "=" + t.value()) + ":" + t.effect()).collect(java.util.stream.Collectors.joining(";"))));
        }
        if (!java.util.Objects.equals(a.pricePerHourUsd(), b.pricePerHourUsd())) {
            out.add("price " + (b.pricePerHourUsd() == null ? "none" : "$" + b.pricePerHourUsd() + "/h"));
        }
        if (!a.capacity().equals(b.capacity()) || !a.allocatable().equals(b.allocatable())) {
            io.nodesizer.model.Resources r = b.allocatable();
            out.add("allocatable " + io.nodesizer.engine.Amounts.format(io.nodesizer.model.Resource.CPU, r.cpuMillis()) + " CPU, "
                    + io.nodesizer.engine.Amounts.format(io.nodesizer.model.Resource.MEMORY, r.memoryBytes()) + " GiB memory, " + r.pods() + " pods"
                    + (r.gpuMillis() > 0 ? ", " + io.nodesizer.engine.Amounts.format(io.nodesizer.model.Resource.GPU, r.gpuMillis()) + " GPU" : ""));
        }
        if (out.isEmpty()) {
            out.add("other attributes");
        }
        return String.join(", ", out);
    }

    /**
     * For a running cluster's snapshot: without --catalog, --node or --generic, the candidates come
     * from the bundled catalog that holds most of its nodes' instance types (a GKE cluster is
     * compared with GCE shapes, not AWS ones at a GCE-priced baseline); and the instance types it runs
     * take the allocatable its nodes report ({@link #sizingNotes} says which).
     */
    void catalogFrom(io.nodesizer.model.ClusterSnapshot s) {
        snapshot = s;
        diskNote = nodeOptions.diskFrom(s);
        if (catalog == null && !explicitShapes()) {
            catalog = catalogOf(s);
        }
    }

    /**
     * The architecture of a snapshot's worker nodes when they share one; null when they mix (an arm64
     * pool beside an amd64 one says nothing of the unpinned pods' images: the pods' rule decides, as
     * without a snapshot) or none is labelled. It is the default --arch for a running cluster: its pods run
     * there today, images and all, where a pod naming no architecture says nothing of its image,
     * and one pending pod pinned to arm64 moved a whole amd64 cluster to Graviton shapes (QA 47).
     * Such a pod is then left out, with its reason.
     */
    static String nodesArch(io.nodesizer.model.ClusterSnapshot s) {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (io.nodesizer.model.ClusterSnapshot.Node n : s.nodes()) {
            if (!n.worker()) {
                continue;
            }
            String a = n.labels().getOrDefault("kubernetes.io/arch", n.labels().get("beta.kubernetes.io/arch"));
            if (a != null && (a.equals("amd64") || a.equals("arm64"))) {
                seen.add(a);
            }
        }
        return seen.size() == 1 ? seen.iterator().next() : null; // mixed: the pods' own rule, as without a snapshot
    }

    /** The bundled catalog holding most of the snapshot's instance types (aws when none does). */
    static String catalogOf(io.nodesizer.model.ClusterSnapshot s) {
        String best = "aws";
        int bestCount = 0;
        for (String c : Catalogs.BUNDLED) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (io.nodesizer.model.InstanceType t : Catalogs.load(c)) {
                names.add(t.name());
            }
            int count = 0;
            for (io.nodesizer.model.ClusterSnapshot.Node n : s.nodes()) {
                if (n.instanceType() != null && names.contains(n.instanceType())) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = c;
                bestCount = count;
            }
        }
        return best;
    }
}
