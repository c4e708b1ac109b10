package io.nodesizer.cli;

import io.nodesizer.input.ClasspathFiles;
import io.nodesizer.input.Inputs;
import io.nodesizer.input.csv.CsvProfileReader;
import io.nodesizer.input.manifest.HorizontalPodAutoscalers;
import io.nodesizer.model.Workload;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code --pods}: the workload, from files and directories, or the bundled sample. */
final class WorkloadOptions {
    static final String BUNDLED = "io/nodesizer/workloads/shop.csv";

    @Option(names = "--pods", paramLabel = "PATH", split = ",",
            description = "Workload input: CSV what-if profile, Kubernetes manifests (file or directory) or an Alibaba openb pod list. "
                    + "Repeatable. Default: the bundled sample workloads/shop.csv.")
    List<Path> pods;

    @Option(names = "--growth", paramLabel = "F", description = "Scale the workload: every Deployment-like group runs ⌈replicas × F⌉ "
            + "replicas; single pods (traces, bare Pods) become round(n × F) pods, extra copies named NAME~1…. DaemonSets stay per node, "
            + "Jobs and CronJobs at min(parallelism, completions). "
            + "E.g. 1.5 for half as much again. Default: 1.")
    Double growth;

    @Option(names = "--hpa", paramLabel = "MODE", description = "How HorizontalPodAutoscalers (and KEDA ScaledObjects) in the manifests set "
            + "their targets' replicas: min keeps spec.replicas within minReplicas..maxReplicas, as the HPA controller does whatever the load (a "
            + "chart that leaves replicas out packs at minReplicas, not 1); max packs every HPA's target at maxReplicas (the peak; a target two HPAs "
            + "share stays within both, as neither scales on metrics); "
            + "ignore packs spec.replicas as written. Default: min.")
    String hpa;

    @Option(names = "--namespace", paramLabel = "NS", description = "The namespace of the manifests' objects that name none, as kubectl "
            + "apply -n and helm install -n put them (a chart rendered without metadata.namespace): its LimitRanges, ResourceQuotas and "
            + "budgets then apply. An object naming another namespace exits 2, as kubectl refuses it. Default: default.")
    String namespace;

    Workload read() {
        return admitted(readWithoutQuotas());
    }

    /** Checks --hpa and --namespace as reading the workload does, reading nothing ({@link PreChecked}; QA 50b F3). */
    void check() {
        HorizontalPodAutoscalers.Mode.parse(hpa);
        checkNamespace(namespace);
    }

    /**
     * Refuses --pods beside a --snapshot (given: not null), whose pods are the workload; a precheck too, so that a sweep
     * refuses the pair before its first run (QA 64a F12: it failed after the other scenarios had run).
     */
    void checkApartFrom(List<String> snapshot) {
        if (snapshot != null && pods != null && !pods.isEmpty()) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--snapshot"),
                    "--snapshot and --pods exclude each other: the snapshot's pods are the workload.");
        }
    }

    /**
     * As {@link #read}, before the ResourceQuotas admit the pods: rightsize admits its workload before and after
     * each, as smaller requests may let a quota hold more of the replicas.
     */
    Workload readWithoutQuotas() {
        return readWithoutQuotas(false);
    }

    /** As {@link #readWithoutQuotas()}; {@code daemonSetsSuffice}: DaemonSets alone are a workload (pack --fleet's roll-out). */
    Workload readWithoutQuotas(boolean daemonSetsSuffice) {
        HorizontalPodAutoscalers.Mode mode = HorizontalPodAutoscalers.Mode.parse(hpa); // a bad value exits 2 with the bundled sample too
        return scaled(pods == null || pods.isEmpty() ? bundled() : Inputs.read(pods, mode, checkNamespace(namespace), daemonSetsSuffice),
                growth, mode);
    }

    /** {@code --namespace} as given (null: none), or an input error unless it is a DNS label, as a namespace's name must be. */
    static String checkNamespace(String namespace) {
        if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--namespace"), "The namespace ("
                    + namespace + ") must be a DNS label: up to 63 lowercase letters, digits and '-', starting and ending alphanumeric.");
        }
        return namespace;
    }

    /**
     * A snapshot's workload: its pods as they run (the HPAs set today's replicas), every HPA's target at its maxReplicas
     * with --hpa max (the snapshot's HPAs, kubectl get …,hpa; QA 38a finding 7: it was accepted and did nothing), then
     * --growth as {@link #grow}.
     */
    Workload growSnapshot(Workload w) {
        HorizontalPodAutoscalers.Mode mode = HorizontalPodAutoscalers.Mode.parse(hpa);
        return growth(mode == HorizontalPodAutoscalers.Mode.MAX ? HorizontalPodAutoscalers.apply(w, mode) : w, growth, mode);
    }

    /** The workload scaled by --growth (unchanged without it), HPA targets capped at their maxReplicas unless --hpa ignore. */
    Workload grow(Workload w) {
        return growth(w, growth, HorizontalPodAutoscalers.Mode.parse(hpa));
    }

    /** Fails unless {@code growth} is above 0 and at most 1000 (sweep checks it so before its first run). */
    static void checkGrowth(double growth) {
        if (!(growth > 0) || growth > 1000) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--growth"),
                    "The growth (" + growth + ") must be above 0 and at most 1000, e.g. 1.5 for 50 % more replicas.");
        }
    }

    /**
     * {@code w} scaled by {@code growth} (null: as it is), no HPA target above its maxReplicas unless
     * {@code hpa} is IGNORE, then admitted by its namespaces' ResourceQuotas ({@link ResourceQuotas}: a
     * quota holds the grown replicas as it would the written ones); a growth that is not above 0 and
     * at most 1000, or that leaves no pods, and quotas that admit none, exit 2.
     */
    static Workload growth(Workload w, Double growth, HorizontalPodAutoscalers.Mode hpa) {
        return admitted(scaled(w, growth, hpa));
    }

    /** {@code w} as its namespaces' ResourceQuotas admit it ({@link io.nodesizer.input.manifest.ResourceQuotas}); none admitted exits 2. */
    static Workload admitted(Workload w) {
        return admitted(w, java.util.List.of());
    }

    /** As {@link #admitted(Workload)}, beside {@code running}, pods the quotas admitted already (a snapshot's). */
    static Workload admitted(Workload w, java.util.List<io.nodesizer.model.ClusterSnapshot.Pod> running) {
        Workload admitted = io.nodesizer.input.manifest.ResourceQuotas.apply(w, running);
        if (admitted.groups().isEmpty() && !w.groups().isEmpty()) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile(String.join(", ", w.sources())),
                    "No pods: the ResourceQuotas admit none of the workload's pods (" + String.join("; ", admitted.ignored().stream()
                            .filter(o -> o.kind().equals("ResourceQuota")).map(o -> o.name() + ": " + o.reason()).toList()) + ").");
        }
        return admitted;
    }

    static Workload scaled(Workload w, Double growth, HorizontalPodAutoscalers.Mode hpa) {
        Workload out = grownBy(w, growth, hpa);
        io.nodesizer.input.AmountTotals.check(out); // sums past a long, as read or grown, are a unit off
        return out;
    }

    private static Workload grownBy(Workload w, Double growth, HorizontalPodAutoscalers.Mode hpa) {
        if (growth == null) {
            return w;
        }
        checkGrowth(growth);
        checkCopiesWithinLimit(w, growth);
        Workload grown = HorizontalPodAutoscalers.capGrowth(w.grown(growth), hpa);
        checkKeepsPods(w, grown, growth);
        checkWithinLimit(w, grown.podCount(), growth);
        return grown;
    }

    /**
     * As {@link #checkWithinLimit}, before growing: a trace's or bare Pods' copies are objects, counted before they are made (a
     * single-pod Job's are not: growth copies none, review 60).
     */
    private static void checkCopiesWithinLimit(Workload w, double growth) {
        checkWithinLimit(w, Math.round(w.singlesCopiedByGrowth() * growth), growth);
    }

    /**
     * Fails when a grown workload of {@code pods} is over what one run packs ({@link io.nodesizer.input.Inputs#MAX_PODS}, which
     * the inputs as read are held to): 5,000,000 replicas × 400 ended in "out of memory" with advice for a bigger heap (QA 60b F1).
     */
    private static void checkWithinLimit(Workload w, long pods, double growth) {
        if (pods > io.nodesizer.input.Inputs.MAX_PODS) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--growth"), String.format(java.util.Locale.ROOT,
                    "The growth (%s) makes %,d of the inputs' %,d pods; nodesizer packs at most %,d in one run. Maybe a growth of at most %s, "
                            + "or split the workload.", plain(growth), pods, w.podCount(), io.nodesizer.input.Inputs.MAX_PODS,
                    plain(largestGrowthWithinLimit(w, growth))));
        }
    }

    /**
     * The largest growth, in hundredths below {@code growth}, whose grown workload stays within the pods one run packs, by the
     * rounding growth uses (⌈replicas × F⌉ a replicated group): the pods divided into the limit was refused in turn for 1-replica
     * groups (QA 68c F8: 33.33 made 5,100,000 of 150,000 pods). HorizontalPodAutoscalers' caps are left out: the answer is safe.
     */
    private static double largestGrowthWithinLimit(Workload w, double growth) {
        long lo = 1;
        long hi = Math.max(1, (long) Math.floor(growth * 100) - 1);
        if (w.podCountGrownBy(0.01) > io.nodesizer.input.Inputs.MAX_PODS) {
            return 0.01;
        }
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (w.podCountGrownBy(mid / 100.0) <= io.nodesizer.input.Inputs.MAX_PODS) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo / 100.0;
    }

    /** Fails when {@code growth} leaves none of the workload's pods (a sweep checks it before its runs: QA 58d F5). */
    static void checkGrowthKeepsPods(Workload w, double growth) {
        grownBy(w, growth, HorizontalPodAutoscalers.Mode.IGNORE); // the run's checks, without capping at the HPAs
    }

    private static void checkKeepsPods(Workload w, Workload grown, double growth) {
        if (grown.groups().isEmpty() && !w.groups().isEmpty()) {
            // Only single pods can vanish (a Deployment keeps at least one replica): round(n × F) is 0
            // below F = 0.5 / n. Checked here, after growth, as the inputs' own "No pods found" is before it.
            int singles = w.groups().size();
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile("--growth"),
                    "The growth (" + plain(growth) + ") leaves no pods: the workload's " + singles + " single pod" + (singles == 1 ? "" : "s")
                    + " (trace rows, bare Pods) × " + plain(growth) + " round to 0. Maybe a growth of at least "
                    + plain(smallestKeepingOne(singles)) + " (one pod), or no --growth.");
        }
    }

    /**
     * The workload a running cluster's snapshot holds to size (its pods grouped by controller), or an
     * input error when it holds none: a new cluster, a wrong context, or nodes only (sizing nothing
     * recommended 0 nodes "100 % cheaper").
     */
    static Workload ofSnapshot(io.nodesizer.model.ClusterSnapshot s, List<String> files) {
        return ofSnapshot(s, files, false);
    }

    /** As {@link #ofSnapshot(io.nodesizer.model.ClusterSnapshot, List)}; with {@code daemonSetsSuffice}, DaemonSets alone are enough (rightsize advises on them). */
    static Workload ofSnapshot(io.nodesizer.model.ClusterSnapshot s, List<String> files, boolean daemonSetsSuffice) {
        Workload w = io.nodesizer.analyze.SnapshotWorkload.of(s);
        if (w.groups().isEmpty() && !(daemonSetsSuffice && !w.daemonSets().isEmpty())) {
            throw new io.nodesizer.input.InputException(io.nodesizer.input.SourceLocation.ofFile(String.join(", ", files)),
                    "No pods found to size: the snapshot holds " + s.nodes().size() + " node" + (s.nodes().size() == 1 ? "" : "s")
                    + " and no running or pending pod of a workload (DaemonSet and static pods only ride on the nodes). Maybe the "
                    + "kubectl context is another cluster, or the snapshot was taken without pods (kubectl get nodes,pods -A -o json).");
        }
        return w;
    }

    /**
     * The smallest growth, to 3 significant digits, that keeps one of {@code n} single pods: round(n × F)
     * is 1 from F = 0.5 / n on (rounded up, so that it is not just below).
     */
    static double smallestKeepingOne(int n) {
        double f = new java.math.BigDecimal(0.5 / n).round(new java.math.MathContext(3, java.math.RoundingMode.CEILING)).doubleValue();
        while (Math.round(n * f) < 1) {
            f = Math.nextUp(f); // not reached for n up to the pod limit; kept as the guarantee the message makes
        }
        return f;
    }

    /** A growth as a user writes it: 0.000333, not 3.33E-4. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * Warns (stderr) about GPU models the pods ask for (openb {@code gpu_spec}) that no bundled
     * catalog offers, where such pods get no GPU shape of the run ({@code shapes}): they then fit only shapes
     * declared with that {@code gpu-model=}, or shapes without a declared model. A warning, not an
     * error: internal models (openb's G2, G3) are real, and a run whose shapes take such pods (one declared
     * with the model, or one that declares none) is told nothing about them (QA 69a F8: the warning's example
     * was the very --node given; QA 75a item 5: it fired on a run of one shape declaring no model).
     */
    static void warnUnknownGpuModels(Workload w, List<io.nodesizer.model.NodeShape> shapes, java.io.PrintWriter err) {
        java.util.Set<String> asked = new java.util.TreeSet<>();
        java.util.Set<List<String>> checked = new java.util.HashSet<>();
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            // Most pods name no model; a trace's name few sets of them: each set checked once (150,000 groups).
            if (!g.gpuModels().isEmpty() && checked.add(g.gpuModels()) && shapes.stream().noneMatch(s -> s.allocatable().gpuMillis() > 0
                    && io.nodesizer.model.GpuModels.allows(g.gpuModels(), io.nodesizer.model.GpuModels.board(s)))) {
                asked.addAll(g.gpuModels());
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        java.util.Set<String> offered = new java.util.TreeSet<>();
        for (String catalog : io.nodesizer.catalog.Catalogs.BUNDLED) {
            for (io.nodesizer.model.InstanceType t : io.nodesizer.catalog.Catalogs.load(catalog)) {
                if (t.gpuCount() > 0 && !t.gpuModel().isEmpty()) {
                    offered.add(io.nodesizer.model.GpuModels.board(t.provider(), t.family(), t.gpuModel()));
                }
            }
        }
        List<String> unknown = asked.stream()
                .filter(m -> offered.stream().noneMatch(o -> io.nodesizer.model.GpuModels.allows(List.of(m), o))).toList();
        if (!unknown.isEmpty()) {
            err.println("nodesizer: warning: the pods ask for GPU model" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ", which no bundled catalog (" + String.join(", ", io.nodesizer.catalog.Catalogs.BUNDLED) + ") offers and no GPU "
                    + "shape of this run takes; such pods"
                    + " fit only shapes with that gpu-model= (e.g. --node cpu=96,memory=384Gi,gpu=8,gpu-model=" + unknown.get(0)
                    + ") or shapes that declare no GPU model.");
            err.flush();
        }
    }

    /** The bundled default workload, read through the normal CSV reader (it is a file like any other). */
    static Workload bundled() {
        return ClasspathFiles.read(BUNDLED, path -> new CsvProfileReader().read(path, "workloads/shop.csv (bundled)"));
    }
}
