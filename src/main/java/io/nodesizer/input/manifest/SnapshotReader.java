package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NamespaceSpec;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster snapshot: {@code kubectl get nodes,pods -A -o json} (a {@code List}), separate
 * {@code NodeList}/{@code PodList} files, or the same as YAML. Nodes keep capacity, allocatable,
 * labels and the cordon flag; pods their effective requests (as manifests are read), node, phase
 * and owner. Succeeded and Failed pods are left out (they hold nothing). Namespace objects
 * ({@code kubectl get …,namespaces}) resolve the pods' pod affinity namespaceSelectors
 * ({@link Namespaces#apply(List, List)}); other kinds are skipped.
 */
public final class SnapshotReader {
    private SnapshotReader() {
    }

    /**
     * Reads the snapshot from files, directories, pipes and {@code -} (standard input): a pipe or standard input is copied
     * to a temporary file as it comes ({@link io.nodesizer.input.RunInputs}), never whole in memory, and read as JSON when
     * it starts with '{'. A directory is read whole, every {@code .json},
     * {@code .yaml} and {@code .yml} file under it in name order, as {@code kubectl cluster-info dump --output-directory}
     * writes them ({@code nodes.json}, {@code <namespace>/pods.json}, {@code replicasets.json}, …); its files of other kinds
     * (events, services) are passed over, where a file given by name must hold something the snapshot reads.
     */
    public static ClusterSnapshot read(List<String> specs) {
        try (io.nodesizer.input.RunInputs.Scope run = io.nodesizer.input.RunInputs.open()) { // a run's own when a command runs
            return readInRun(specs);
        }
    }

    private static ClusterSnapshot readInRun(List<String> specs) {
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        java.util.Set<Integer> optional = new java.util.HashSet<>();
        // The inputs as given: a directory as itself, not each of its files (QA 64a F27: a dump of 100 namespaces made a
        // title of ~200 paths, each namespace's events.json among them).
        List<String> shown = new ArrayList<>();
        for (String s : specs) {
            // Standard input named as every other input's errors name it ("(stdin)", as --pods - does: QA 68c F5).
            shown.add(s.equals("-") ? io.nodesizer.input.Inputs.STDIN : s);
            if (s.equals("-")) {
                // Copied as it comes, never whole in memory, at most 1 GiB, once per run.
                files.add(io.nodesizer.input.RunInputs.stdin(io.nodesizer.input.Inputs.STDIN));
                names.add(io.nodesizer.input.Inputs.STDIN);
                continue;
            }
            Path p = Path.of(s);
            if (java.nio.file.Files.isDirectory(p)) {
                List<Path> inside = directory(p, s);
                for (Path f : inside) {
                    optional.add(files.size());
                    files.add(f);
                    names.add(f.toString());
                }
            } else if (java.nio.file.Files.isRegularFile(p)) {
                files.add(p);
                names.add(s);
            } else if (io.nodesizer.input.RunInputs.stream(p)) {
                // A pipe, a FIFO or a device (--snapshot <(kubectl get nodes,pods -A -o json)): read once per run, as '-' is.
                files.add(io.nodesizer.input.RunInputs.file(p, s));
                names.add(s);
            } else {
                throw new InputException(SourceLocation.ofFile(s), java.nio.file.Files.exists(p)
                        ? "The snapshot is neither a file nor a directory." : "The snapshot file does not exist.");
            }
        }
        return read(files, names, optional, shown);
    }

    private static List<Path> directory(Path dir, String shown) {
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            List<Path> out = walk.filter(java.nio.file.Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
            if (out.isEmpty()) {
                throw new InputException(SourceLocation.ofFile(shown), "The directory holds no .json, .yaml or .yml file; expected a "
                        + "snapshot's files (kubectl cluster-info dump --all-namespaces --output-directory DIR writes them).");
            }
            return out;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new InputException(SourceLocation.ofFile(shown), "The directory could not be read: " + e.getMessage() + ".");
        }
    }

    public static ClusterSnapshot read(List<Path> files, List<String> names) {
        return read(files, names, java.util.Set.of(), names);
    }

    /**
     * @param optional the indexes of files read from a directory, which may hold nothing the snapshot reads
     * @param shown    the inputs as the user gave them (a directory, not its files): the snapshot's sources
     */
    private static ClusterSnapshot read(List<Path> files, List<String> names, java.util.Set<Integer> optional, List<String> shown) {
        List<ClusterSnapshot.Node> nodes = new ArrayList<>();
        List<ClusterSnapshot.Pod> pods = new ArrayList<>();
        List<io.nodesizer.model.Autoscaling> hpas = new ArrayList<>();
        List<io.nodesizer.model.DisruptionBudget> budgets = new ArrayList<>();
        List<ClusterSnapshot.Controller> controllers = new ArrayList<>();
        List<NamespaceSpec> namespaces = new ArrayList<>();
        List<ClusterSnapshot.Pod> withClaims = new ArrayList<>();
        List<io.nodesizer.model.PriorityClassSpec> classes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String file = names.get(i);
            int before = nodes.size() + pods.size() + budgets.size() + namespaces.size() + classes.size() + controllers.size() + hpas.size();
            boolean[] emptyList = {false};
            ManifestParser.stream(files.get(i), file, (doc, path) -> {
                emptyList[0] |= emptyList(doc);
                object(doc, file, path, nodes, pods, budgets, controllers, namespaces, withClaims, classes);
                ManifestReader.hpas(doc, file, hpas, true); // kubectl get …,hpa: kept for rightsize
            });
            // A file of one kind (kubectl get rs -A -o json > rs.json) counts, and so does an empty list (a namespace without
            // pods: cluster-info dump --output-directory writes "items": null); a file of nothing the snapshot reads does not,
            // unless a directory holds it (events.json). An empty file does not in a directory either: cluster-info dump
            // writes none, and a failed kubectl get … > dir/pods.json left the cluster analysed without its pods.
            if (nodes.size() + pods.size() + budgets.size() + namespaces.size() + classes.size() + controllers.size() + hpas.size() == before
                    && !emptyList[0]) {
                boolean empty = io.nodesizer.input.RunInputs.blank(files.get(i));
                if (empty || !optional.contains(i)) {
                    throw new InputException(SourceLocation.ofFile(file), "Expected a cluster snapshot: a List, NodeList or PodList "
                            + "(kubectl get nodes,pods -A -o json); found " + (empty
                            ? io.nodesizer.input.RunInputs.emptyInputFound(file) : "no Node and no Pod.")
                            + (empty && optional.contains(i) ? " Every .json, .yaml and .yml file of a snapshot's directory is "
                            + "read: write it again or remove it." : ""));
                }
            }
        }
        if (nodes.isEmpty()) {
            throw new InputException(SourceLocation.ofFile(String.join(", ", shown)), "The snapshot has no Node: add "
                    + "'kubectl get nodes -o json' (or a NodeList file).");
        }
        once("node", nodes, ClusterSnapshot.Node::name, ClusterSnapshot.Node::origin);
        once("pod", pods, ClusterSnapshot.Pod::fullName, ClusterSnapshot.Pod::origin);
        // One per namespace/name too: counted twice, a budget's pods looked doubly covered and no drain could pass both.
        once("PodDisruptionBudget", budgets, io.nodesizer.model.DisruptionBudget::fullName, io.nodesizer.model.DisruptionBudget::origin);
        // kubectl get …,namespaces: their labels resolve the pods' pod affinity namespaceSelectors.
        return new ClusterSnapshot(nodes, withClassPriorities(Namespaces.apply(inTheirZones(pods, withClaims, nodes), namespaces), classes),
                shown, hpas, budgets, controllers);
    }

    /** A list ({@code kind: List}, {@code PodList}, …) whose {@code items} are null or empty. */
    private static boolean emptyList(YamlNode doc) {
        if (!(doc instanceof YamlNode.Mapping m) || !(m.get("kind") instanceof YamlNode.Scalar kind) || kind.isNull()
                || !kind.text().endsWith("List") || !m.entries().containsKey("items")) {
            return false;
        }
        YamlNode items = m.get("items");
        return items instanceof YamlNode.Scalar s && s.isNull() || items instanceof YamlNode.Sequence seq && seq.items().isEmpty();
    }

    /**
     * A pod that writes no {@code spec.priority} (hand-written: the API server writes it on every pod)
     * takes the value of the snapshot's PriorityClass it names ({@code kubectl get priorityclasses,…}),
     * or of its globalDefault class when it names none, as the Priority admission plugin gives it; and the
     * class's {@code preemptionPolicy}. Pods that write spec.priority keep it.
     */
    private static List<ClusterSnapshot.Pod> withClassPriorities(List<ClusterSnapshot.Pod> pods, List<io.nodesizer.model.PriorityClassSpec> classes) {
        if (classes.isEmpty()) {
            return pods;
        }
        Map<String, io.nodesizer.model.PriorityClassSpec> byName = new java.util.HashMap<>();
        io.nodesizer.model.PriorityClassSpec globalDefault = null;
        for (io.nodesizer.model.PriorityClassSpec c : classes) {
            byName.putIfAbsent(c.name(), c);
            globalDefault = c.globalDefault() && globalDefault == null ? c : globalDefault;
        }
        List<ClusterSnapshot.Pod> out = new ArrayList<>(pods.size());
        for (ClusterSnapshot.Pod p : pods) {
            io.nodesizer.model.PodTemplate t = p.template();
            io.nodesizer.model.PriorityClassSpec c = t == null || t.priority() != null ? null
                    : t.priorityClassName() != null ? byName.get(t.priorityClassName()) : globalDefault;
            if (c == null) {
                out.add(p);
                continue;
            }
            io.nodesizer.model.PodTemplate given = t.preemptionPolicy() == null && c.preemptionPolicy() != null
                    ? t.withPreemptionPolicy(c.preemptionPolicy()) : t;
            out.add(new ClusterSnapshot.Pod(p.namespace(), p.name(), p.request(), p.nodeName(), p.phase(), p.owner(), p.ownerName(),
                    p.origin(), given, p.templateHash(), p.placement(), p.ready(), p.terminating(), p.doNotDisrupt(), p.heldZoneKey(),
                    c.value(), p.startTime(), p.extended(), p.drain(), p.schedulerName(), p.oomKilled(), p.schedulingGates()));
        }
        return out;
    }

    /**
     * The pods with a persistentVolumeClaim volume, held to the zone
     * of the node they run on: zonal block storage (EBS, Persistent Disk, Azure Disk) binds the
     * claim's PersistentVolume to one zone, and kube-scheduler's VolumeZone and VolumeBinding filters
     * (pkg/scheduler/framework/plugins/volumezone, volumebinding) admit only nodes of it. Without the
     * PersistentVolume objects that is the safe reading. As a node selector on the zone label the
     * node carries, every move, replacement (which keeps its node group's labels, the zone among
     * them), merge, repack and the bound check it like any other. A pod not running yet, or on a
     * node without a zone label, is not restricted.
     */
    private static List<ClusterSnapshot.Pod> inTheirZones(List<ClusterSnapshot.Pod> pods, List<ClusterSnapshot.Pod> withClaims,
                                                          List<ClusterSnapshot.Node> nodes) {
        if (withClaims.isEmpty()) {
            return pods;
        }
        Map<String, ClusterSnapshot.Node> byName = new java.util.HashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        java.util.Set<ClusterSnapshot.Pod> claims = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        claims.addAll(withClaims);
        List<ClusterSnapshot.Pod> out = new ArrayList<>(pods.size());
        for (ClusterSnapshot.Pod p : pods) {
            ClusterSnapshot.Node node = p.nodeName() == null ? null : byName.get(p.nodeName());
            String zone = node == null ? null : node.zone();
            if (!claims.contains(p) || zone == null) {
                out.add(p);
                continue;
            }
            String key = node.labels().containsKey("topology.kubernetes.io/zone") ? "topology.kubernetes.io/zone"
                    : "failure-domain.beta.kubernetes.io/zone";
            if (p.placement().nodeSelector().containsKey(key)) {
                out.add(p); // its own selector holds it to a zone already
                continue;
            }
            Map<String, String> selector = new LinkedHashMap<>(p.placement().nodeSelector());
            selector.put(key, zone);
            out.add(p.heldTo(key, p.placement().withNodeSelectorAndTolerations(selector, p.placement().tolerations())));
        }
        return out;
    }

    /** Whether the pod spec has a persistentVolumeClaim volume (a claim that outlives the pod). */
    private static boolean claimsVolume(YamlNode.Mapping spec, String path) {
        YamlNode.Sequence volumes = Manifests.sequence(spec, "volumes", path);
        for (int i = 0; volumes != null && i < volumes.items().size(); i++) {
            YamlNode.Mapping v = Manifests.mapping(volumes.items().get(i), at(path, "volumes[" + i + "]"));
            // Only a claim that outlives the pod: a generic ephemeral volume's claim is the pod's own, deleted
            // with it, and the pod that replaces an evicted one gets a new claim in whichever zone it lands.
            if (v.get("persistentVolumeClaim") != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The API server holds one Node per name and one Pod per namespace/name, so an object read twice
     * is the same object given twice (overlapping files, or one file twice): counted twice it
     * doubled nodes and cost, and consolidate acted on one node twice. Exits 2 naming both places.
     */
    private static <T> void once(String what, List<T> objects, java.util.function.Function<T, String> name,
                                 java.util.function.Function<T, SourceRef> origin) {
        Map<String, SourceRef> first = new java.util.HashMap<>();
        for (T o : objects) {
            SourceRef at = origin.apply(o);
            SourceRef before = first.putIfAbsent(name.apply(o), at);
            if (before != null) {
                // One line holds both in a file written on one line (jq -c, kubectl get --raw): a file read twice is one guess
                // of two there, not the answer (QA 69b F4).
                boolean sameFile = before.file().equals(at.file());
                String where = before.equals(at) ? "twice on this line (a file on one line, as jq -c writes it, that lists it twice, "
                        + "or a file given twice)" : "here and at " + before;
                throw new InputException(SourceLocation.of(at.file(), at.line()), "The " + what + " " + name.apply(o)
                        + " is in the snapshot twice, " + where + "; the cluster has one " + what + " of that name. "
                        + (sameFile && !before.equals(at) ? "Give each object once."
                        : "Maybe the snapshot files overlap (the same file twice, or 'kubectl get nodes,pods' beside "
                        + "'kubectl get nodes'): give each object once."));
            }
        }
    }

    private static void object(YamlNode node, String file, String path, List<ClusterSnapshot.Node> nodes, List<ClusterSnapshot.Pod> pods,
                               List<io.nodesizer.model.DisruptionBudget> budgets, List<ClusterSnapshot.Controller> controllers,
                               List<NamespaceSpec> namespaces, List<ClusterSnapshot.Pod> withClaims,
                               List<io.nodesizer.model.PriorityClassSpec> classes) {
        YamlNode.Mapping obj = Manifests.mapping(node, path.isEmpty() ? "(document)" : path);
        String kind = Manifests.text(obj, "kind", path);
        YamlNode.Sequence items = Manifests.sequence(obj, "items", path);
        if (items != null && (kind == null || kind.endsWith("List"))) {
            for (int i = 0; i < items.items().size(); i++) {
                String at = ManifestParser.itemPath(path, i);
                object(ManifestParser.typed(items.items().get(i), obj.entries(), at), file, at, nodes, pods, budgets, controllers, namespaces,
                        withClaims, classes);
            }
            return;
        }
        if (kind == null && path.endsWith("]")) {
            // An item of a generic List without its kind (a typed NodeList or PodList gives its items theirs): kubectl refuses
            // such a list ("Object 'Kind' is missing"); passed over, a pod's requests vanished from every total (QA 52c F7).
            throw new InputException(obj.at().withField(at(path, "kind")), "The item at " + path + " has no kind; expected kind: Node, "
                    + "Pod, … in every item of a List (kubectl get -o json writes them), or a typed list such as kind: PodList.");
        }
        if ("Table".equals(kind)) {
            throw new InputException(obj.at(), "The file is a kind: Table (meta.k8s.io, the server-side printing kubectl asks for to show "
                    + "columns), not the objects; export them with kubectl get nodes,pods -A -o json.");
        }
        if ("Node".equals(kind)) {
            nodes.add(node(obj, file, path));
        } else if ("Pod".equals(kind)) {
            ClusterSnapshot.Pod p = pod(obj, file, path);
            if (p != null) {
                pods.add(p);
                if (claimsVolume(Manifests.requiredMapping(obj, "spec", path), at(path, "spec"))) {
                    withClaims.add(p); // held to its node's zone once every node is read (inTheirZones)
                }
            }
        } else if ("Namespace".equals(kind)) {
            YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
            String name = Manifests.text(metadata, "name", at(path, "metadata"));
            if (name != null && !name.isBlank()) {
                namespaces.add(new NamespaceSpec(name, ManifestReader.labels(metadata, at(path, "metadata")),
                        new SourceRef(file, Math.max(1, obj.at().line()))));
            }
        } else if ("PriorityClass".equals(kind) && PriorityClasses.API_VERSION.equals(Manifests.text(obj, "apiVersion", path))) {
            YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
            String name = Manifests.text(metadata, "name", at(path, "metadata"));
            if (name != null && !name.isBlank()) {
                classes.add(PriorityClasses.read(obj, name, new SourceRef(file, Math.max(1, obj.at().line()))));
            }
        } else if ("PodDisruptionBudget".equals(kind)) {
            budgets.add(budget(obj, file, path));
        } else if ("ReplicaSet".equals(kind) || "Deployment".equals(kind) || "StatefulSet".equals(kind) || "Job".equals(kind)) {
            controllers.add(controller(kind, obj, file, path));
        } else if (kind != null && !READ_KINDS.contains(kind) && io.nodesizer.model.NameLists.nearest(kind, READ_KINDS) instanceof String near) {
            // QA 62b F10: kind: Nodee was dropped without a word, and that node's pods counted as on nodes the snapshot lacks.
            throw new InputException(obj.get("kind").at().withField(at(path, "kind")), "The kind " + kind + (path.isEmpty() ? "" : " at "
                    + path) + " is no kind the API has; did you mean " + near + "? (kubectl get -o json writes it so.)");
        }
    }

    /** The kinds a snapshot reads: a near miss of one is a typo, where other kinds (Service, Event …) are let through. */
    private static final java.util.Set<String> READ_KINDS = java.util.Set.of("Node", "Pod", "Namespace", "PriorityClass",
            "PodDisruptionBudget", "ReplicaSet", "Deployment", "StatefulSet", "Job", "HorizontalPodAutoscaler");

    /**
     * A workload controller: its controller owner, spec.replicas, a ReplicaSet's revision, a
     * Deployment's spec.paused and a StatefulSet's status.updateRevision.
     */
    private static ClusterSnapshot.Controller controller(String kind, YamlNode.Mapping obj, String file, String path) {
        YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
        String name = Manifests.text(metadata, "name", at(path, "metadata"));
        String namespace = Manifests.text(metadata, "namespace", at(path, "metadata"));
        String[] owner = controllerOwner(metadata, at(path, "metadata"));
        YamlNode.Mapping spec = Manifests.optionalMapping(obj, "spec", path);
        Integer replicas = null;
        if (!"Job".equals(kind)) {
            String r = spec == null ? null : Manifests.integerText(spec, "replicas", at(path, "spec"));
            replicas = r == null ? 1 : wholeNumber(r, spec, at(path, "spec.replicas"));
        }
        long revision = 0;
        YamlNode.Mapping annotations = Manifests.optionalMapping(metadata, "annotations", at(path, "metadata"));
        String rev = annotations == null ? null : Manifests.text(annotations, "deployment.kubernetes.io/revision", at(path, "metadata.annotations"));
        if (rev != null && rev.trim().matches("\\d{1,18}")) {
            revision = Long.parseLong(rev.trim());
        }
        boolean paused = "Deployment".equals(kind) && spec != null && Manifests.flag(spec, "paused", at(path, "spec"));
        YamlNode.Mapping status = Manifests.optionalMapping(obj, "status", path);
        String updateRevision = "StatefulSet".equals(kind) && status != null ? Manifests.text(status, "updateRevision", at(path, "status")) : null;
        return new ClusterSnapshot.Controller(kind, namespace == null ? "default" : namespace, name == null ? "(unnamed)" : name, replicas,
                owner[0], owner[1], revision, paused, updateRevision, new SourceRef(file, Math.max(1, obj.at().line())));
    }

    private static int wholeNumber(String text, YamlNode.Mapping spec, String path) {
        String t = text.trim();
        if (!t.matches("\\d{1,9}")) {
            throw new InputException(spec.at().withField(path), "The value at " + path + " must be a whole number of replicas "
                    + "(0 or more); found '" + Manifests.shown(spec, "replicas") + "'.");
        }
        return Integer.parseInt(t);
    }

    /**
     * The kind and name of the controller owner in metadata.ownerReferences (the one with
     * {@code controller: true}), or nulls. Only that one: an owner without it (a ConfigMap, a
     * custom object) does not recreate the pod, as apimachinery's {@code metav1.GetControllerOf}
     * and Cluster Autoscaler's drain rules (replicacount, via {@code ControllerRef}) read it, so such
     * a pod has no controller and its node stays as for a bare pod.
     */
    /**
     * The pod's extended requests with one {@code resourceClaim:NAME} per device it claims through Dynamic Resource
     * Allocation: no node lists such a resource, so, as a pod requesting hugepages or a device-plugin resource, it keeps
     * its node in consolidate and is said to fit nowhere else, where the scheduler's DynamicResources plugin would find
     * only the nodes whose ResourceSlices hold the device (QA 55a F2: a GPU claim read as its CPU and memory alone could
     * be moved onto any node).
     */
    private static Map<String, Long> withClaims(Map<String, Long> extended, YamlNode.Mapping spec) {
        List<String> claims = PodSpecRequests.resourceClaims(spec);
        if (claims.isEmpty()) {
            return extended;
        }
        Map<String, Long> out = new java.util.TreeMap<>(extended);
        claims.forEach(c -> out.put(io.nodesizer.model.ExtendedResources.CLAIM + c, 1000L)); // one device, in the thousandths extended amounts are kept in
        return out;
    }



    private static String[] controllerOwner(YamlNode.Mapping metadata, String path) {
        YamlNode.Sequence owners = Manifests.sequence(metadata, "ownerReferences", path);
        for (int i = 0; owners != null && i < owners.items().size(); i++) {
            String at = at(path, "ownerReferences[" + i + "]");
            YamlNode.Mapping o = Manifests.mapping(owners.items().get(i), at);
            if (Manifests.flag(o, "controller", at)) {
                return new String[] {Manifests.text(o, "kind", at), Manifests.text(o, "name", at)};
            }
        }
        return new String[] {null, null};
    }

    /** A PodDisruptionBudget: its selector, min/max, and status.disruptionsAllowed when present. */
    static io.nodesizer.model.DisruptionBudget budget(YamlNode.Mapping obj, String file, String path) {
        YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
        String name = Manifests.text(metadata, "name", at(path, "metadata"));
        if (name == null || name.isBlank()) {
            throw new InputException(metadata.at(), "The PodDisruptionBudget at " + (path.isEmpty() ? "(document)" : path)
                    + " must have metadata.name.");
        }
        String namespace = Manifests.text(metadata, "namespace", at(path, "metadata"));
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        YamlNode.Mapping spec = Manifests.requiredMapping(obj, "spec", path);
        String min = intOrPercent(spec, "minAvailable", at(path, "spec"));
        String max = intOrPercent(spec, "maxUnavailable", at(path, "spec"));
        if (min != null && max != null) {
            // The API server's validation: "minAvailable and maxUnavailable cannot be both set".
            throw new InputException(spec.get("maxUnavailable").at().withField(at(path, "spec.maxUnavailable")), "The PodDisruptionBudget "
                    + namespace + "/" + name + " sets both spec.minAvailable and spec.maxUnavailable; expected one of them, as the API server "
                    + "accepts (minAvailable and maxUnavailable cannot be both set).");
        }
        Integer allowed = null;
        YamlNode.Mapping status = Manifests.optionalMapping(obj, "status", path);
        String v = status == null ? null : Manifests.integerText(status, "disruptionsAllowed", at(path, "status"));
        if (v != null) {
            try {
                allowed = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new InputException(status.at().withField(at(path, "status.disruptionsAllowed")), "The value at "
                        + at(path, "status.disruptionsAllowed") + " must be a whole number; found '" + Manifests.shown(status, "disruptionsAllowed") + "'.");
            }
        }
        return new io.nodesizer.model.DisruptionBudget(namespace, name, PodPlacement.budgetSelector(spec, at(path, "spec"), namespace),
                allowed, min, max, new SourceRef(file, Math.max(1, obj.at().line())), alwaysAllowUnhealthy(spec, at(path, "spec")));
    }

    /**
     * spec.unhealthyPodEvictionPolicy: AlwaysAllow (true), IfHealthyBudget or absent (false, the
     * API's default); any other value the API server refuses, so it is an error here too.
     */
    private static boolean alwaysAllowUnhealthy(YamlNode.Mapping spec, String path) {
        String v = Manifests.text(spec, "unhealthyPodEvictionPolicy", path);
        if (v == null || "IfHealthyBudget".equals(v)) {
            return false;
        }
        if ("AlwaysAllow".equals(v)) {
            return true;
        }
        throw new InputException(spec.get("unhealthyPodEvictionPolicy").at().withField(path + ".unhealthyPodEvictionPolicy"), "The value at "
                + path + ".unhealthyPodEvictionPolicy must be IfHealthyBudget or AlwaysAllow; found '" + v + "'. Maybe AlwaysAllow?");
    }

    /**
     * An IntOrString budget field: a whole number or a percentage (e.g. 50%), else a clear error. A
     * number is read as kubectl sends it ({@code 0x10} is 16); a quoted one is a string, which the
     * API server takes only as a percentage, so {@code "3"} is refused as it refuses it.
     */
    static String intOrPercent(YamlNode.Mapping spec, String key, String path) {
        String v = Manifests.text(spec, key, path);
        if (v == null) {
            return null;
        }
        YamlNode.Scalar s = (YamlNode.Scalar) spec.get(key);
        if (s.isString() && Manifests.quotedNumber(s)) {
            throw new InputException(s.at().withField(path + "." + key), "The value at " + path + "." + key + " must be a whole number "
                    + "or a percentage such as 50%; found the string \"" + v + "\" (quoted), which the API server takes only as a "
                    + "percentage. Write it without quotes (" + v.strip() + ").");
        }
        String t = s.number() != null ? s.number() : v.trim();
        boolean number = t.matches("\\d{1,9}%?");
        if (!number || (t.endsWith("%") && Integer.parseInt(t.substring(0, t.length() - 1)) > 100)) {
            throw new InputException(spec.at().withField(path + "." + key), "The value at " + path + "." + key
                    + " must be a whole number (up to 999,999,999) or a percentage from 0% to 100% such as 50%; found '" + s.shown() + "'.");
        }
        return t;
    }

    private static String at(String path, String rest) {
        return path.isEmpty() ? rest : path + "." + rest;
    }

    private static ClusterSnapshot.Node node(YamlNode.Mapping obj, String file, String path) {
        YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
        String name = Manifests.text(metadata, "name", at(path, "metadata"));
        if (name == null || name.isBlank()) {
            throw new InputException(metadata.at(), "The node at " + (path.isEmpty() ? "(document)" : path) + " must have metadata.name.");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        YamlNode.Mapping l = Manifests.optionalMapping(metadata, "labels", at(path, "metadata"));
        if (l != null) {
            for (Map.Entry<String, YamlNode> e : l.entries().entrySet()) {
                // A label written 'key:' with no value is null in YAML; the API server stores it as "".
                if (e.getValue() instanceof YamlNode.Scalar s) {
                    labels.put(e.getKey(), s.isNull() ? "" : s.text());
                }
            }
        }
        YamlNode.Mapping status = Manifests.optionalMapping(obj, "status", path);
        YamlNode.Mapping alloc = status == null ? null : Manifests.optionalMapping(status, "allocatable", at(path, "status"));
        if (alloc == null) {
            throw new InputException(obj.at(), "The node " + name + " (" + at(path, "status.allocatable") + ") has no status.allocatable: "
                    + "take the snapshot with 'kubectl get nodes -o json', which includes it.");
        }
        Resources allocatable = PodSpecRequests.nodeResources(alloc, at(path, "status.allocatable"));
        YamlNode.Mapping cap = Manifests.optionalMapping(status, "capacity", at(path, "status"));
        Resources capacity = cap == null ? allocatable : PodSpecRequests.nodeResources(cap, at(path, "status.capacity"));
        for (io.nodesizer.model.Resource r : io.nodesizer.model.Resource.values()) {
            // The kubelet reports allocatable as capacity less what it reserves: above it, the figures were edited or mixed up
            // (QA 62b F11: cpu 64 on a 4-CPU node drew a consolidation onto it). Only where the capacity names the resource
            // (GPUs go by their vendors' names).
            if (cap != null && r != io.nodesizer.model.Resource.GPU && cap.get(r.kubernetesName()) != null
                    && allocatable.get(r) > capacity.get(r)) {
                throw new InputException(alloc.get(r.kubernetesName()).at().withField(at(path, "status.allocatable." + r.kubernetesName())),
                        "The node " + name
                        + " has more " + r.kubernetesName() + " allocatable than capacity (" + r.fieldName() + " " + allocatable.get(r)
                        + " > " + capacity.get(r) + "); the kubelet reports allocatable as capacity less its reservations: check "
                        + at(path, "status.capacity") + " and status.allocatable.");
            }
        }
        YamlNode.Mapping spec = Manifests.optionalMapping(obj, "spec", path);
        boolean cordoned = spec != null && Manifests.flag(spec, "unschedulable", at(path, "spec"));
        java.util.Set<String> vendors = PodSpecRequests.gpuVendorsOffered(alloc, at(path, "status.allocatable"));
        if (cap != null) {
            vendors.addAll(PodSpecRequests.gpuVendorsOffered(cap, at(path, "status.capacity")));
        }
        return new ClusterSnapshot.Node(name, labels, capacity, allocatable, cordoned, new SourceRef(file, Math.max(1, obj.at().line())),
                PodPlacement.taints(spec, at(path, "spec")), protectedBy(metadata, at(path, "metadata"), NODE_PROTECTION),
                io.nodesizer.model.GpuVendors.of(vendors), PodSpecRequests.extendedAmounts(alloc, at(path, "status.allocatable")),
                NodeStatusConditions.of(status, at(path, "status")));
    }

    private static ClusterSnapshot.Pod pod(YamlNode.Mapping obj, String file, String path) {
        YamlNode.Mapping status = Manifests.optionalMapping(obj, "status", path);
        String phase = status == null ? "Pending" : PodPhases.of(status, at(path, "status"));
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return null;
        }
        YamlNode.Mapping metadata = Manifests.requiredMapping(obj, "metadata", path);
        String name = Manifests.text(metadata, "name", at(path, "metadata"));
        if (name == null || name.isBlank()) {
            // The API server names every pod (generateName too: a ReplicaSet's pods get theirs as they are created), so only a
            // hand-written file lacks one; read as "(unnamed)", such pods could not be told apart (QA c F7), as a node is not.
            throw new InputException(metadata.at(), "The pod at " + (path.isEmpty() ? "(document)" : path) + " must have metadata.name "
                    + "(a pod the API server returns always has one, generateName'd pods too); found none.");
        }
        String namespace = Manifests.text(metadata, "namespace", at(path, "metadata"));
        String[] controller = controllerOwner(metadata, at(path, "metadata"));
        String owner = controller[0];
        String ownerName = controller[1];
        if (owner == null && Manifests.mirrorPod(metadata, at(path, "metadata"))) {
            // A static pod's mirror from a kubelet that sets no Node owner (before 1.19-era kubelets, some distributions):
            // kubelet's IsMirrorPod and Cluster Autoscaler's mirror drain rule read the annotation (QA 52c F8).
            YamlNode.Mapping spec = Manifests.optionalMapping(obj, "spec", path);
            owner = "Node";
            ownerName = spec == null ? null : Manifests.text(spec, "nodeName", at(path, "spec"));
        }
        YamlNode.Mapping labels = Manifests.optionalMapping(metadata, "labels", at(path, "metadata"));
        String templateHash = labels == null ? null : Manifests.text(labels, "pod-template-hash", at(path, "metadata.labels"));
        YamlNode.Mapping spec = Manifests.requiredMapping(obj, "spec", path);
        io.nodesizer.model.PodTemplate template = PodSpecRequests.template(spec, at(path, "spec"), false);
        Resources request = ResizeStatus.request(template, status, at(path, "status"));
        String nodeName = Manifests.text(spec, "nodeName", at(path, "spec"));
        if ((nodeName == null || nodeName.isBlank()) && ("Running".equals(phase) || "Unknown".equals(phase))) {
            // Only the kubelet of the node a pod is bound to runs it and reports its phase, and spec.nodeName is immutable once
            // set: a running pod without one was edited or mixed up. Read as pending, it moved its requests off the node that
            // runs it and was "not short of capacity" (QA 76b F3).
            YamlNode field = spec.get("nodeName");
            throw new InputException((field != null ? field : spec).at().withField(at(path, "spec.nodeName")), "The pod "
                    + (namespace == null ? "default" : namespace) + "/" + name + " is " + phase + " (status.phase) but " + at(path, "spec.nodeName")
                    + (field == null ? " is missing" : " is empty") + "; a pod runs only on the node it is bound to, "
                    + "whose kubelet reports its phase, and the API server never clears spec.nodeName, so the snapshot was edited: "
                    + "restore spec.nodeName, or give the pod status.phase Pending if it is not scheduled.");
        }
        return new ClusterSnapshot.Pod(namespace == null ? "default" : namespace, name, request,
                nodeName == null || nodeName.isBlank() ? null : nodeName, phase == null ? "Pending" : phase, owner, ownerName,
                new SourceRef(file, Math.max(1, obj.at().line())), template, templateHash,
                withControllerSpread(PodPlacement.of(spec, at(path, "spec"), namespace == null ? "default" : namespace,
                        ManifestReader.labels(metadata, at(path, "metadata")), false), owner),
                ready(status, at(path, "status")), Manifests.text(metadata, "deletionTimestamp", at(path, "metadata")) != null,
                protectedBy(metadata, at(path, "metadata"), POD_PROTECTION), null, snapshotPriority(template),
                startTime(status, at(path, "status")), withClaims(PodSpecRequests.extended(spec, at(path, "spec")), spec),
                drain(metadata, spec, at(path, "metadata"), at(path, "spec")), schedulerName(spec, at(path, "spec")),
                oomKilled(status, at(path, "status")), schedulingGates(spec, at(path, "spec")));
    }

    /** The names of {@code spec.schedulingGates} (KEP-3521: the scheduler leaves the pod alone until they are removed). */
    private static List<String> schedulingGates(YamlNode.Mapping spec, String path) {
        List<String> out = new ArrayList<>();
        YamlNode.Sequence gates = Manifests.sequence(spec, "schedulingGates", path);
        for (int i = 0; gates != null && i < gates.items().size(); i++) {
            YamlNode.Mapping gate = Manifests.mapping(gates.items().get(i), at(path, "schedulingGates[" + i + "]"));
            String name = Manifests.text(gate, "name", at(path, "schedulingGates[" + i + "]"));
            out.add(name == null ? "(unnamed)" : name);
        }
        return out;
    }

    /**
     * The containers whose current state or last state is terminated with reason {@code OOMKilled}, with their
     * restartCount: {@code status.containerStatuses} and {@code initContainerStatuses} (a sidecar's too), as the VPA
     * recommender's OOM observer reads them (kubernetes/autoscaler vertical-pod-autoscaler/pkg/recommender/input/oom/observer.go).
     */
    private static Map<String, Integer> oomKilled(YamlNode.Mapping status, String path) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (status == null) {
            return out;
        }
        for (String list : List.of("initContainerStatuses", "containerStatuses")) {
            YamlNode.Sequence statuses = Manifests.sequence(status, list, path);
            for (int i = 0; statuses != null && i < statuses.items().size(); i++) {
                String at = at(path, list + "[" + i + "]");
                YamlNode.Mapping c = Manifests.mapping(statuses.items().get(i), at);
                String name = Manifests.text(c, "name", at);
                if (name != null && (oomKilledIn(c, "state", at) || oomKilledIn(c, "lastState", at))) {
                    String restarts = Manifests.text(c, "restartCount", at);
                    out.put(name, restarts != null && restarts.matches("\\d{1,9}") ? Integer.parseInt(restarts) : 0);
                }
            }
        }
        return out;
    }

    /** Whether {@code state.terminated.reason} (or lastState's) is OOMKilled. */
    private static boolean oomKilledIn(YamlNode.Mapping container, String state, String path) {
        YamlNode.Mapping s = Manifests.optionalMapping(container, state, path);
        YamlNode.Mapping terminated = s == null ? null : Manifests.optionalMapping(s, "terminated", at(path, state));
        return terminated != null && "OOMKilled".equals(Manifests.text(terminated, "reason", at(path, state + ".terminated")));
    }

    /** What Cluster Autoscaler's drain rules read of the pod ({@link ClusterSnapshot.Drain}; {@link EvictionAnnotations}). */
    private static ClusterSnapshot.Drain drain(YamlNode.Mapping metadata, YamlNode.Mapping spec, String metaPath, String specPath) {
        io.nodesizer.model.PodTemplate.Eviction e = EvictionAnnotations.read(metadata, spec, metaPath, specPath);
        return new ClusterSnapshot.Drain("true".equals(e.safeToEvict()), e.localStorage());
    }

    /** {@code spec.schedulerName}, or null for kube-scheduler's own ({@code default-scheduler}, or none given). */
    private static String schedulerName(YamlNode.Mapping spec, String path) {
        String name = Manifests.text(spec, "schedulerName", path);
        return name == null || name.isBlank() || name.equals("default-scheduler") ? null : name;
    }

    /** {@code status.startTime} (RFC 3339, as the API server writes it), or null when absent. */
    private static java.time.Instant startTime(YamlNode.Mapping status, String path) {
        String text = status == null ? null : Manifests.text(status, "startTime", path);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            YamlNode v = status.entries().get("startTime");
            throw new InputException(v == null ? status.at() : v.at(), "The value at " + at(path, "startTime")
                    + " must be an RFC 3339 time such as 2026-01-05T10:00:00Z, as the API server writes it; found '" + text + "'.");
        }
    }

    /**
     * A snapshot's pod carries the {@code spec.priority} admission gave it; a hand-written one may name
     * only a class, of which the built-ins are known here ({@link PriorityClasses#SYSTEM}); else 0, the
     * priority of a cluster without a globalDefault class.
     */
    private static int snapshotPriority(io.nodesizer.model.PodTemplate t) {
        if (t.priority() != null) {
            return t.priority();
        }
        Integer system = t.priorityClassName() == null ? null : PriorityClasses.SYSTEM.get(t.priorityClassName());
        return system == null ? 0 : system;
    }

    /**
     * Pod annotations that forbid the autoscalers to evict the pod, so its node stays: Karpenter's
     * {@code karpenter.sh/do-not-disrupt} (website concepts/disruption.md, "Pod-level Controls") and
     * Cluster Autoscaler's {@code safe-to-evict: "false"} (cluster-autoscaler FAQ "What types of pods
     * can prevent CA from removing a node?"; simulator/drainability/rules).
     */
    private static final Map<String, String> POD_PROTECTION = Map.of("karpenter.sh/do-not-disrupt", "true",
            "cluster-autoscaler.kubernetes.io/safe-to-evict", "false");

    /**
     * Node annotations that take a node out of consolidation: Karpenter's {@code karpenter.sh/do-not-disrupt}
     * ("Node-level Controls") and Cluster Autoscaler's {@code scale-down-disabled} (core/scaledown/eligibility:
     * such a node is never a scale-down candidate).
     */
    private static final Map<String, String> NODE_PROTECTION = Map.of("karpenter.sh/do-not-disrupt", "true",
            "cluster-autoscaler.kubernetes.io/scale-down-disabled", "true");

    /** The first of {@code protection}'s annotations the object carries with its value, as {@code key: "value"}, or null. */
    private static String protectedBy(YamlNode.Mapping metadata, String path, Map<String, String> protection) {
        YamlNode.Mapping annotations = Manifests.optionalMapping(metadata, "annotations", path);
        if (annotations == null) {
            return null;
        }
        for (String key : new java.util.TreeSet<>(protection.keySet())) {
            String v = Manifests.text(annotations, key, at(path, "annotations"));
            // Both autoscalers compare the value exactly ("true" / "false"); anything else protects nothing.
            if (v != null && v.equals(protection.get(key))) {
                return key + ": \"" + protection.get(key) + "\"";
            }
        }
        return null;
    }

    /**
     * The placement with the scheduler's system default spreading on when the pod's controller is
     * one whose selector {@code DefaultSelector} reads (ReplicaSet, StatefulSet, ReplicationController).
     */
    private static io.nodesizer.model.Placement withControllerSpread(io.nodesizer.model.Placement p, String ownerKind) {
        boolean controlled = "ReplicaSet".equals(ownerKind) || "StatefulSet".equals(ownerKind) || "ReplicationController".equals(ownerKind);
        // A DaemonSet's pods never move, and another pod asking for one of their host ports is kept off
        // their node by its own term against their port label: their terms would only slow every check.
        p = "DaemonSet".equals(ownerKind) ? PodPlacement.withoutHostPortTerms(p) : p;
        return p.withPreferences(p.preferences().withSystemSpread(controlled));
    }

    /** The pod's Ready condition (status.conditions[type=Ready].status == "True"), or null without conditions. */
    private static Boolean ready(YamlNode.Mapping status, String path) {
        YamlNode.Sequence conditions = status == null ? null : Manifests.sequence(status, "conditions", path);
        if (conditions == null) {
            return null;
        }
        for (int i = 0; i < conditions.items().size(); i++) {
            YamlNode.Mapping c = Manifests.mapping(conditions.items().get(i), at(path, "conditions[" + i + "]"));
            if ("Ready".equals(Manifests.text(c, "type", at(path, "conditions[" + i + "]")))) {
                return "True".equals(Manifests.text(c, "status", at(path, "conditions[" + i + "]")));
            }
        }
        return false; // conditions without Ready: the kubelet has not reported it ready
    }
}
