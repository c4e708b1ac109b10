package io.nodesizer.input;

import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads every {@code --pods} path (files, or directories scanned recursively in sorted order) into one workload. */
public final class Inputs {
    /**
     * The most pods one run takes (and the most rows one CSV file may have): 5 million, over 30
     * times Kubernetes' documented 150,000-pod cluster limit, and what fits comfortably in the
     * 1 GB heap the CLI is tested with. Larger inputs fail with this message instead of running
     * out of memory.
     */
    public static final int MAX_PODS = 5_000_000;

    private Inputs() {
    }

    /** The workload of {@code paths}, with HorizontalPodAutoscalers keeping their targets within their bounds ({@code --hpa min}). */
    public static Workload read(List<Path> paths) {
        return read(paths, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode.MIN);
    }

    /** How errors name standard input ({@code --pods -}), as they name a file. */
    public static final String STDIN = "(stdin)";

    /** The inputs as an error about them all names them: their paths, standard input as {@link #STDIN}. */
    private static String named(List<Path> paths) {
        return String.join(", ", paths.stream().map(p -> p.toString().equals("-") ? STDIN : p.toString()).toList());
    }

    /** The workload of {@code paths}, with the HorizontalPodAutoscalers in them setting their targets' replicas as {@code hpa} says. */
    public static Workload read(List<Path> paths, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode hpa) {
        return read(paths, hpa, null);
    }

    /**
     * As {@link #read(List, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode)}, with the manifests' namespaced
     * objects that name no namespace put in {@code namespace} (null: "default"), as {@code kubectl apply -n} does.
     */
    public static Workload read(List<Path> paths, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode hpa, String namespace) {
        return read(paths, hpa, namespace, false);
    }

    /**
     * As above; with {@code daemonSetsSuffice}, inputs of DaemonSets alone are a workload too: rolled onto a running cluster
     * ({@code pack --fleet}) they are the whole question, "does my new agent fit, and whom does it preempt" (QA 70b F2).
     */
    public static Workload read(List<Path> paths, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode hpa, String namespace,
                                boolean daemonSetsSuffice) {
        try (RunInputs.Scope run = RunInputs.open()) { // a run's own when a command runs, else this reading's
            return readInRun(paths, hpa, namespace, daemonSetsSuffice);
        }
    }

    private static Workload readInRun(List<Path> paths, io.nodesizer.input.manifest.HorizontalPodAutoscalers.Mode hpa, String namespace,
                                      boolean daemonSetsSuffice) {
        List<Path> files = new ArrayList<>();
        List<String> displays = new ArrayList<>();
        // The directory each file was found in (null: given by name), for the message on an empty one.
        List<String> directories = new ArrayList<>();
        for (Path path : paths) {
            String display = path.toString();
            if (display.equals("-")) {
                files.add(RunInputs.stdin(STDIN)); // helm template . | nodesizer pack --pods -
                displays.add(STDIN);
                directories.add(null);
            } else if (Files.isDirectory(path)) {
                List<Path> found = scan(path, display);
                if (found.isEmpty()) {
                    throw new InputException(SourceLocation.ofFile(display), "The directory has no .csv, .yaml, .yml or .json files.");
                }
                for (Path f : found) {
                    files.add(f);
                    displays.add(f.toString());
                    directories.add(display);
                }
            } else if (Files.isRegularFile(path)) {
                if (Unrendered.marker(path)) {
                    throw Unrendered.refusal(path, null);
                }
                files.add(path);
                displays.add(display);
                directories.add(null);
            } else if (Files.isReadable(path)) {
                // A pipe, a FIFO or a device (bash's --pods <(helm template .), /dev/null): read once per run, as standard
                // input is, where "does not exist" was said of them (QA 62 item 8).
                files.add(RunInputs.file(path, display));
                displays.add(display);
                directories.add(null);
            } else {
                throw new InputException(SourceLocation.ofFile(display), "The file does not exist. Maybe check the path.");
            }
        }
        checkGivenOnce(files, displays);
        // One reader reads every manifest, so that an object whose controller (metadata.ownerReferences) is in another
        // file is counted once, as the controller's, and what a dump's pods tell of their nodes is told once all are read.
        io.nodesizer.input.manifest.ManifestReader manifests = new io.nodesizer.input.manifest.ManifestReader(namespace);
        Workload all = new Workload(List.of(), List.of(), List.of(), List.of());
        for (int i = 0; i < files.size(); i++) {
            InputFormat format = InputFormat.detect(files.get(i), displays.get(i));
            if (format == InputFormat.MANIFEST && RunInputs.blank(files.get(i))) {
                throw emptyManifest(displays.get(i), directories.get(i));
            }
            all = all.plus(format == InputFormat.MANIFEST ? manifests.readPart(files.get(i), displays.get(i))
                    : format.reader().read(files.get(i), displays.get(i)));
        }
        all = manifests.acrossFiles(all);
        // PriorityClasses (cluster-scoped) give the pods naming them, or naming none, their priority; first, as the
        // steps below build workloads without the classes (a zero-replica workload's pods are resolved too).
        all = io.nodesizer.input.manifest.PriorityClasses.apply(all);
        // Argo Rollouts that take their template from a Deployment (spec.workloadRef), whichever file holds it.
        all = io.nodesizer.input.manifest.ArgoRollouts.resolve(all);
        // HorizontalPodAutoscalers set their targets' replicas, before names are qualified by kind;
        // first, so that a target a ScaledObject brings back from zero replicas is defaulted below too.
        all = io.nodesizer.input.manifest.HorizontalPodAutoscalers.apply(all, hpa);
        // LimitRanges default the requests of pods in their namespace, from whichever file they come.
        all = io.nodesizer.input.manifest.LimitRanges.apply(all);
        // RuntimeClasses (cluster-scoped) give their overhead and scheduling to the pods naming them, likewise.
        all = io.nodesizer.input.manifest.RuntimeClasses.apply(all);
        // ResourceQuotas admit the pods of their namespace that fit once --growth has scaled the replicas (WorkloadOptions.growth),
        // as the API server admits pods after LimitRanger and RuntimeClass admission.
        // Namespace objects' labels resolve pod affinity namespaceSelectors, whichever file holds them.
        all = io.nodesizer.input.manifest.Namespaces.apply(all);
        // A GPU pod's pin to NVIDIA's gpu.product label is a pin to a GPU model, matched against shapes' models.
        all = io.nodesizer.input.manifest.GpuProductSelectors.apply(all);
        // One map of the names finds whether any repeats; only then are kinds qualified and the names checked pair by pair (two
        // more maps of 150,000 trace pods' names cost a cold pack ~25 ms).
        if (anyNameTwice(all)) {
            all = qualifyKindCollisions(all);
            checkUniqueNames(all);
        }
        checkUniqueObjects(all);
        if (all.podCount() > MAX_PODS) {
            throw new InputException(SourceLocation.ofFile(named(paths)),
                    String.format(java.util.Locale.ROOT, "The inputs hold %,d pods; nodesizer packs at most %,d in one run. Maybe lower the replicas or split the workload.",
                            all.podCount(), MAX_PODS));
        }
        if (all.groups().isEmpty() && !(daemonSetsSuffice && !all.daemonSets().isEmpty())) {
            // Say what was found instead: DaemonSets only take room on every node, and listed objects
            // (at zero replicas, refused by a LimitRange, owned by another) say why they run no pod.
            String found = (all.daemonSets().isEmpty() ? "" : " They hold " + all.daemonSets().size() + " DaemonSet"
                    + (all.daemonSets().size() == 1 ? ", which takes" : "s, which take") + " room on every node but not pods to place.")
                    + (all.ignored().isEmpty() ? "" : " Not packed: " + all.ignored().stream().limit(3).map(o -> o.kind() + " " + o.name()
                    + " (" + o.reason() + ")").collect(java.util.stream.Collectors.joining("; ")) + (all.ignored().size() > 3 ? "; …" : "") + ".");
            throw new InputException(SourceLocation.ofFile(named(paths)),
                    "No pods found: the inputs hold no Pod, Deployment, ReplicaSet, StatefulSet, ReplicationController, Rollout, Job, CronJob or profile row."
                    + found);
        }
        return all;
    }

    /**
     * A manifest input that holds nothing but white space: a 0-byte file is what {@code helm template . > f} leaves when the
     * render fails, or a truncated copy, and read as no objects it sized the cluster without them. Refused as an empty CSV
     * is, whether given by name (QA 75a item 8), beside other inputs, or found in a directory (where it passed silently
     * while an empty .csv beside it exited 2). A file of comments or bare "---" separators is no such mistake (Helm
     * renders a template that its values switch off so) and reads as no objects, as kubectl reads it.
     *
     * @param directory the directory given that holds it, or null when it was given by name
     */
    private static InputException emptyManifest(String display, String directory) {
        return new InputException(SourceLocation.ofFile(display), RunInputs.emptyInput(display)
                + "; expected Kubernetes manifests (a Pod, Deployment, ReplicaSet, StatefulSet, Job, CronJob, …)."
                + (directory == null ? "" : " Every .yaml, .yml, .json and .csv file below " + directory + " is read: write it "
                + "again (did the command writing it fail?) or remove it."));
    }

    /** Whether reading a directory (here, any below it) takes {@code file} as an input: by its extension. */
    public static boolean scanned(Path file) {
        return InputFormat.candidate(file);
    }

    /**
     * The files to read below a directory, in sorted order: by their extension, without the kustomizations that only
     * gather files; a kustomization that changes what it gathers, or a Helm chart, is refused ({@link Unrendered}).
     */
    private static List<Path> scan(Path dir, String display) {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(dir)) {
            found = walk.filter(Files::isRegularFile).filter(f -> InputFormat.candidate(f) || Unrendered.marker(f)).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InputException(SourceLocation.ofFile(display), "The directory could not be read: " + e.getMessage() + ".");
        }
        return Unrendered.check(found);
    }

    /**
     * Kubernetes names are unique per kind and namespace, so a Deployment and a StatefulSet (or a
     * Pod and a Job) may share one. Such workloads are reported as {@code web[Deployment]} and
     * {@code web[StatefulSet]} (brackets are never part of a Kubernetes name, so no real name
     * collides), each listed once; two workloads of one kind with one name stay an error.
     */
    static Workload qualifyKindCollisions(Workload w) {
        // One map of first kinds finds whether any name has two (a set per name for 150,000 trace
        // pods cost a cold pack ~25 ms of packing, its garbage collected and code compiled meanwhile).
        Map<String, String> first = new java.util.HashMap<>(w.groups().size() * 4 / 3 + 1);
        boolean twoKinds = false;
        for (PodGroup g : w.groups()) {
            String kind = first.putIfAbsent(g.name(), g.kind());
            twoKinds |= kind != null && !kind.equals(g.kind());
        }
        if (!twoKinds) {
            return w;
        }
        Map<String, java.util.Set<String>> kinds = new java.util.HashMap<>(w.groups().size() * 4 / 3 + 1);
        boolean any = false;
        for (PodGroup g : w.groups()) {
            java.util.Set<String> k = kinds.computeIfAbsent(g.name(), n -> new java.util.TreeSet<>());
            // Only objects' kinds: a CSV row or trace pod named like a manifest's workload is the same workload given twice.
            any |= k.add(g.kind()) && k.size() > 1 && k.stream().allMatch(io.nodesizer.input.manifest.ManifestReader::workloadKind);
        }
        if (!any) {
            return w;
        }
        List<PodGroup> groups = new ArrayList<>(w.groups().size());
        List<io.nodesizer.model.IgnoredObject> ignored = new ArrayList<>(w.ignored());
        for (PodGroup g : w.groups()) {
            java.util.Set<String> k = kinds.get(g.name());
            if (k.size() < 2 || !k.stream().allMatch(io.nodesizer.input.manifest.ManifestReader::workloadKind)) {
                groups.add(g);
                continue;
            }
            String qualified = g.name() + "[" + g.kind() + "]";
            groups.add(g.named(qualified));
            ignored.add(new io.nodesizer.model.IgnoredObject(g.kind(), g.name(), g.origin(), "packed, and reported as " + qualified
                    + ": a " + String.join(" and a ", k.stream().filter(x -> !x.equals(g.kind())).toList())
                    + " of the same namespace has the same name"));
        }
        return new Workload(groups, w.daemonSets(), ignored, w.sources(), w.autoscalers(), w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    /**
     * A file read twice (given twice, or given and inside a directory given) has every name defined twice: said as such, not
     * as "'a' is also defined at" the very line (QA 59c F5).
     */
    private static void checkGivenOnce(List<Path> files, List<String> displays) {
        Map<Path, String> seen = new java.util.HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path real;
            try {
                real = files.get(i).toRealPath();
            } catch (java.io.IOException | UnsupportedOperationException e) {
                continue; // standard input's temporary copy, or a file that vanished: the reader says so
            }
            String first = seen.putIfAbsent(real, displays.get(i));
            if (first != null) {
                throw new InputException(SourceLocation.ofFile(displays.get(i)), "The file is given twice" + (first.equals(displays.get(i)) ? ""
                        : " (also as " + first + ")") + "; give each input once.");
            }
        }
    }

    /** Whether two of the workload's groups share a name. */
    private static boolean anyNameTwice(Workload w) {
        java.util.Set<String> names = new java.util.HashSet<>(w.groups().size() * 4 / 3 + 1);
        for (PodGroup g : w.groups()) {
            if (!names.add(g.name())) {
                return true;
            }
        }
        return false;
    }

    private static void checkUniqueNames(Workload w) {
        // Sized up front: growing a map of 150,000 names rehashes it a dozen times.
        Map<String, PodGroup> seen = new java.util.HashMap<>(w.groups().size() * 4 / 3 + 1);
        for (PodGroup g : w.groups()) {
            PodGroup first = seen.putIfAbsent(g.name(), g);
            if (first != null) {
                throw new InputException(SourceLocation.of(g.origin().file(), g.origin().line()), "The workload name '" + g.name()
                        + "' is also defined at " + first.origin() + "; names must be unique across all inputs.");
            }
        }
    }

    /** DaemonSets and PodDisruptionBudgets are each given once. */
    private static void checkUniqueObjects(Workload w) {
        List<String> ds = new ArrayList<>();
        for (var d : w.daemonSets()) {
            if (ds.contains(d.name())) {
                throw new InputException(SourceLocation.of(d.origin().file(), d.origin().line()), "The DaemonSet '" + d.name()
                        + "' is defined twice.");
            }
            ds.add(d.name());
        }
        // The API server holds one PodDisruptionBudget per namespace and name (a second apply replaces the first). Counted
        // twice, the budget's pods looked covered by two and every drain of them was refused as "several budgets".
        Map<String, io.nodesizer.model.SourceRef> budgets = new java.util.HashMap<>();
        for (io.nodesizer.model.IgnoredObject o : w.ignored()) {
            if (o.budget() == null) {
                continue;
            }
            io.nodesizer.model.SourceRef first = budgets.putIfAbsent(o.budget().fullName(), o.origin());
            if (first != null) {
                throw new InputException(SourceLocation.of(o.origin().file(), o.origin().line()), "The PodDisruptionBudget '"
                        + o.budget().fullName() + "' is also defined at " + first + "; the cluster holds one budget per namespace "
                        + "and name, so give it once (or name the second one apart).");
            }
        }
    }
}
