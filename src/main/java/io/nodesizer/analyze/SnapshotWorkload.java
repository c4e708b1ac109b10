package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.Resources;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The workload a running cluster runs, for {@code recommend --snapshot}: its running and pending
 * pods grouped by workload ({@link WorkloadOwners#workloadOf}: identical containers of one
 * Deployment, StatefulSet, Job… become one group, named {@code namespace/name}; pods without a
 * controller stay single), DaemonSets and workers' static pods as per-node overhead (one pod's
 * request each, on every node), nothing from control-plane nodes (their static pods are not the
 * user's to place) and no terminating pod (listed as ignored).
 *
 * <p>Replica counts are the owner's: when the snapshot has the Deployment, StatefulSet or
 * standalone ReplicaSet, its spec.replicas with its current template (the newest ReplicaSet's,
 * by {@code deployment.kubernetes.io/revision}; a StatefulSet's by {@code status.updateRevision}),
 * so a rollout's surge pods and old template are not counted twice, and replicas not created yet
 * still are; the older template's pods and a workload scaled to 0 are listed as ignored. A paused
 * Deployment's rollout is held where it is: each template at its ReplicaSet's spec.replicas.
 * Without the object, the pods present.
 */
public final class SnapshotWorkload {
    private SnapshotWorkload() {
    }

    public static Workload of(ClusterSnapshot snapshot) {
        // Control-plane nodes' pods are not the user's to place; Fargate's run on AWS's micro-VMs, one each, not on nodes to size.
        Set<String> controlPlane = snapshot.nodes().stream().filter(n -> !n.worker()).map(ClusterSnapshot.Node::name)
                .collect(Collectors.toSet());
        WorkloadOwners owners = new WorkloadOwners(snapshot);
        Map<String, List<ClusterSnapshot.Pod>> groups = new LinkedHashMap<>();
        Map<String, List<ClusterSnapshot.Pod>> perNode = new LinkedHashMap<>(); // DaemonSets' and static pods by name
        Map<ClusterSnapshot.WorkloadRef, Integer> terminating = new LinkedHashMap<>();
        Map<ClusterSnapshot.WorkloadRef, Integer> fargate = new LinkedHashMap<>();
        Map<ClusterSnapshot.WorkloadRef, io.nodesizer.model.SourceRef> fargateOrigin = new LinkedHashMap<>();
        Map<ClusterSnapshot.WorkloadRef, io.nodesizer.model.SourceRef> terminatingOrigin = new LinkedHashMap<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() != null && controlPlane.contains(p.nodeName())) {
                continue;
            }
            if (p.daemonSet() || p.staticPod()) {
                // A static pod comes with its node's configuration (the kubelet runs it from a file; its
                // mirror pod is owned by the Node): per-node overhead like a DaemonSet's, not a pod to place.
                perNode.computeIfAbsent(workloadOf(p, owners).fullName(), k -> new ArrayList<>()).add(p);
                continue;
            }
            if (ClusterAnalysis.FARGATE_SCHEDULER.equals(p.schedulerName())) {
                // Pending for EKS Fargate: AWS runs it on a micro-VM of its own, as it does the pods on Fargate nodes.
                fargate.merge(p.owner() == null ? p.workload() : owners.workloadOf(p), 1, Integer::sum);
                fargateOrigin.putIfAbsent(p.owner() == null ? p.workload() : owners.workloadOf(p), p.origin());
                continue;
            }
            if (p.terminating()) {
                // Being deleted: it holds its node's room today, but the cluster to size runs without it
                // (its controller's replacement is another pod of the snapshot, running or pending).
                terminating.merge(p.owner() == null ? p.workload() : owners.workloadOf(p), 1, Integer::sum);
                terminatingOrigin.putIfAbsent(p.owner() == null ? p.workload() : owners.workloadOf(p), p.origin());
                continue;
            }
            ClusterSnapshot.WorkloadRef ref = owners.workloadOf(p);
            String key = p.owner() == null ? "pod " + p.fullName()
                    : ref.fullName() + " " + ref.kind() + " " + p.template() + " " + withoutPerPodLabels(p.placementUnheld());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        // Workloads whose object the snapshot has: sized at spec.replicas with the current template.
        Map<ClusterSnapshot.WorkloadRef, List<List<ClusterSnapshot.Pod>>> byWorkload = new LinkedHashMap<>();
        for (List<ClusterSnapshot.Pod> pods : groups.values()) {
            ClusterSnapshot.Pod first = pods.get(0);
            if (first.owner() != null && owners.desiredReplicas(owners.workloadOf(first)) != null) {
                byWorkload.computeIfAbsent(owners.workloadOf(first), k -> new ArrayList<>()).add(pods);
            }
        }
        List<IgnoredObject> ignored = new ArrayList<>();
        List<DaemonSetSpec> daemonSets = new ArrayList<>();
        Set<String> workers = snapshot.nodes().stream().filter(ClusterSnapshot.Node::worker).map(ClusterSnapshot.Node::name)
                .collect(Collectors.toSet());
        perNode.forEach((name, pods) -> {
            String partial = pods.get(0).staticPod() ? onSomeWorkers(pods, workers) : null;
            if (partial != null) {
                ignored.add(new IgnoredObject("Pod", name, pods.get(0).origin(), partial));
            } else {
                daemonSets.add(perNodeOverhead(name, pods, ignored));
            }
        });
        // A Deployment known only from its pods' names whose pods belong to several ReplicaSets: mid-rollout,
        // each ReplicaSet's pods are sized, where its object would say how many replicas it keeps. Said, not guessed.
        Map<ClusterSnapshot.WorkloadRef, java.util.TreeSet<String>> sets = new LinkedHashMap<>();
        Map<ClusterSnapshot.WorkloadRef, io.nodesizer.model.SourceRef> setOrigin = new LinkedHashMap<>();
        for (List<ClusterSnapshot.Pod> pods : groups.values()) {
            ClusterSnapshot.Pod first = pods.get(0);
            ClusterSnapshot.WorkloadRef ref = first.owner() == null ? null : owners.workloadOf(first);
            if (ref != null && "Deployment".equals(ref.kind()) && "ReplicaSet".equals(first.owner()) && owners.desiredReplicas(ref) == null) {
                for (ClusterSnapshot.Pod q : pods) {
                    sets.computeIfAbsent(ref, k -> new java.util.TreeSet<>()).add(q.ownerName());
                }
                setOrigin.putIfAbsent(ref, first.origin());
            }
        }
        sets.forEach((ref, names) -> {
            if (names.size() > 1) {
                // Sized, not left out: "packed, but" words it as a caveat, not as an ignored object (QA 64a F8b).
                ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), setOrigin.get(ref), "packed, but runs pods of " + names.size()
                        + " ReplicaSets (" + String.join(", ", names) + "): a rollout in progress? Without the Deployment and its ReplicaSets "
                        + "in the snapshot the pods of every one are sized; add deployments,replicasets to the kubectl get (the kubectl "
                        + "plugin does)"));
            }
        });
        terminating.forEach((ref, n) -> ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), terminatingOrigin.get(ref), n
                + " terminating pod(s) (metadata.deletionTimestamp set): left out of the workload to size")));
        fargate.forEach((ref, n) -> ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), fargateOrigin.get(ref), n
                + " pending pod(s) for EKS Fargate (spec.schedulerName " + ClusterAnalysis.FARGATE_SCHEDULER + "): AWS runs each on a "
                + "micro-VM of its own, not on nodes to size")));
        // As the manifest reader says of a template that asks for them (ManifestReader.unmodelled).
        Map<ClusterSnapshot.WorkloadRef, java.util.SortedSet<String>> devices = new LinkedHashMap<>();
        Map<ClusterSnapshot.WorkloadRef, io.nodesizer.model.SourceRef> deviceOrigin = new LinkedHashMap<>();
        for (List<ClusterSnapshot.Pod> pods : groups.values()) {
            ClusterSnapshot.Pod first = pods.get(0);
            if (!first.extended().isEmpty()) {
                ClusterSnapshot.WorkloadRef ref = first.owner() == null ? first.workload() : owners.workloadOf(first);
                devices.computeIfAbsent(ref, k -> new java.util.TreeSet<>()).addAll(first.extended().keySet());
                deviceOrigin.putIfAbsent(ref, first.origin());
            }
        }
        Map<ClusterSnapshot.WorkloadRef, java.util.SortedSet<String>> shares = new LinkedHashMap<>();
        devices.forEach((ref, names) -> {
            // Shares of NVIDIA GPUs leave the workload out, as the manifest reader does; the rest is approximated.
            java.util.SortedSet<String> gpu = new java.util.TreeSet<>();
            names.stream().filter(io.nodesizer.model.ExtendedResources::nvidiaGpuShare).forEach(gpu::add);
            names.removeAll(gpu);
            if (!gpu.isEmpty()) {
                shares.put(ref, gpu);
                ignored.add(IgnoredObject.gpuShares(ref.kind(), ref.fullName(), deviceOrigin.get(ref), gpu));
            }
            if (!names.isEmpty()) {
                ignored.add(IgnoredObject.unmodelledRequests(ref.kind(), ref.fullName(), deviceOrigin.get(ref), names));
            }
        });
        List<PodGroup> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (List<ClusterSnapshot.Pod> pods : groups.values()) {
            ClusterSnapshot.Pod first = pods.get(0);
            boolean single = first.owner() == null;
            ClusterSnapshot.WorkloadRef ref = single ? first.workload() : owners.workloadOf(first);
            if (shares.containsKey(ref)) {
                continue; // listed above
            }
            int replicas = pods.size();
            List<List<ClusterSnapshot.Pod>> variants = byWorkload.get(ref);
            ClusterSnapshot.Controller workload = variants == null ? null : owners.controller(ref.kind(), ref.namespace(), ref.name());
            if (variants != null && workload != null && workload.paused() && variants.size() > 1) {
                // A paused rollout is held where it is: each ReplicaSet keeps its own replicas, both templates run.
                ClusterSnapshot.Controller rs = owners.ownerOf(first);
                long sameSet = variants.stream().filter(v -> owners.ownerOf(v.get(0)) == rs).count();
                replicas = rs != null && rs.replicas() != null && sameSet == 1 ? rs.replicas() : pods.size();
                if (replicas == 0) {
                    ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), first.origin(), pods.size() + " pod(s) of a ReplicaSet the "
                            + "paused rollout scales to 0"));
                    continue;
                }
            } else if (variants != null) {
                List<ClusterSnapshot.Pod> current = current(variants, owners, workload);
                if (current != pods) {
                    ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), first.origin(), pods.size() + " pod(s) of an older template "
                            + "(a rollout in progress): the workload is sized with its current template"));
                    continue;
                }
                replicas = owners.desiredReplicas(ref);
                if (replicas == 0) {
                    ignored.add(new IgnoredObject(ref.kind(), ref.fullName(), first.origin(), "scaled to 0 replicas (spec.replicas)"));
                    continue;
                }
            }
            String name = ref.fullName();
            String unique = name;
            for (int i = 2; !names.add(unique); i++) {
                unique = name + "~" + i; // one controller with pods of different requests, without its object in the snapshot
            }
            out.add(new PodGroup(unique, ref.kind(), specRequest(first), replicas, single && replicas == 1, null, first.origin(), List.of(),
                    first.template(), first.placementUnheld(), first.priority())); // a cluster sized afresh: its claims' volumes are not in a zone yet
        }
        return io.nodesizer.input.manifest.GpuProductSelectors.apply(new Workload(out, List.copyOf(daemonSets), ignored,
                snapshot.sources(), snapshot.autoscalers()));
    }

    /**
     * The workload {@link #of} puts a pod in, named as its group or per-node overhead is: a DaemonSet's pod its
     * DaemonSet's, a static pod's mirror the static pod's own name ({@link #staticName}), any other its owner chain's
     * ({@link WorkloadOwners#workloadOf}). Usage that names the pod goes there (rightsize).
     */
    public static ClusterSnapshot.WorkloadRef workloadOf(ClusterSnapshot.Pod p, WorkloadOwners owners) {
        if (p.daemonSet()) {
            return new ClusterSnapshot.WorkloadRef(p.namespace(), "DaemonSet", p.ownerName() == null ? p.name() : p.ownerName());
        }
        if (p.staticPod()) {
            return new ClusterSnapshot.WorkloadRef(p.namespace(), "Pod", staticName(p));
        }
        return owners.workloadOf(p);
    }

    /**
     * A pod's request as its spec asks it, the size a cluster sized afresh gives it: a pod being
     * resized in place counts its status too where it runs today ({@code request}), but a pod made
     * anew takes its spec.
     */
    private static Resources specRequest(ClusterSnapshot.Pod p) {
        return p.template() == null ? p.request() : p.template().effectiveRequest();
    }

    /**
     * Why a static pod is no per-node overhead, or null when it is: as the manifest reader has it (DumpedNodes), a static pod
     * whose mirrors run on every worker node the snapshot lists (kops' kube-proxy, kubespray's nginx-proxy) comes with every
     * node, also the nodes to come; one on some of them only comes from those nodes' own configuration, and charging it on
     * every node of every candidate shape overstated the overhead (QA 78c: a proxy on one of two workers was 0.5 CPU on each).
     */
    private static String onSomeWorkers(List<ClusterSnapshot.Pod> pods, Set<String> workers) {
        Set<String> on = pods.stream().map(ClusterSnapshot.Pod::nodeName).filter(java.util.Objects::nonNull)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        if (!workers.isEmpty() && on.containsAll(workers)) {
            return null; // the snapshot lists its nodes: on every worker, also the only one, it comes with every node
        }
        long running = on.stream().filter(workers::contains).count();
        return "a static pod (its mirror pods: " + String.join(", ", pods.stream().map(ClusterSnapshot.Pod::fullName).sorted().limit(3).toList())
                + (pods.size() > 3 ? ", …" : "") + ") on " + running + " of the " + workers.size() + " worker node" + (workers.size() == 1 ? "" : "s")
                + ": the kubelet runs it from those nodes' own configuration (staticPodPath), so it is not sized as per-node overhead, "
                + "which a static pod on every worker node is";
    }

    /**
     * The per-node overhead of a DaemonSet (or a static pod) from its pods. They may ask different
     * amounts (a VPA's per-pod requests, a rollout's old template): every new node runs one of them,
     * so per resource the most any of them asks counts, whatever order the snapshot lists them in, and
     * the difference is said: with each container at its most where that comes to the same, else
     * without a container breakdown. The template and placement are a pod's asking the most CPU, then
     * memory, GPUs, storage (the first by name among equals).
     */
    private static DaemonSetSpec perNodeOverhead(String name, List<ClusterSnapshot.Pod> pods, List<IgnoredObject> ignored) {
        ClusterSnapshot.Pod first = pods.get(0);
        Map<Resources, Integer> asks = new LinkedHashMap<>();
        for (ClusterSnapshot.Pod p : pods) {
            asks.merge(specRequest(p), 1, Integer::sum);
        }
        io.nodesizer.model.PodTemplate template = first.template();
        if (asks.size() > 1) {
            java.util.Comparator<ClusterSnapshot.Pod> larger = java.util.Comparator.comparing((ClusterSnapshot.Pod p) -> specRequest(p).cpuMillis())
                    .thenComparing(p -> specRequest(p).memoryBytes()).thenComparing(p -> specRequest(p).gpuMillis())
                    .thenComparing(p -> specRequest(p).ephemeralStorageBytes()).reversed().thenComparing(ClusterSnapshot.Pod::fullName);
            first = pods.stream().min(larger).orElseThrow();
            // Per resource, the most any pod asks in all: the node's worst case. Each container at its most gives it
            // whenever the pods differ in step (a VPA raising them, a rollout changing one); where they differ the other
            // way (one pod's app container larger, another's sidecar) it would count more than any pod asks, and
            // then the totals stand without a container breakdown.
            Resources most = asks.keySet().stream().reduce(Resources::max).orElseThrow();
            io.nodesizer.model.PodTemplate atMost = eachContainerAtItsMost(pods);
            template = atMost != null && atMost.effectiveRequest().equals(most) ? atMost : null;
            if (template == null) {
                return note(name, first, asks, ignored, "the most any pod asks of each resource", most, spec(name, most, first, null));
            }
            return note(name, first, asks, ignored, "each container at the most any pod asks", template.effectiveRequest(),
                    spec(name, template.effectiveRequest(), first, template));
        }
        return spec(name, template == null ? specRequest(first) : template.effectiveRequest(), first, template);
    }

    /** The DaemonSet (or static pod) with {@code request} and {@code template}, placed as {@code first} is. */
    private static DaemonSetSpec spec(String name, Resources request, ClusterSnapshot.Pod first, io.nodesizer.model.PodTemplate template) {
        if (first.staticPod()) {
            return new DaemonSetSpec(name, request, java.util.Map.of(), first.origin(), template, ON_ANY_NODE);
        }
        return new DaemonSetSpec(name, request, first.placement().nodeSelector(), first.origin(), template, withoutNodeName(first.placement()));
    }

    /** Says that the pods of {@code name} ask different amounts and what each node counts ({@code how}); returns {@code spec}. */
    private static DaemonSetSpec note(String name, ClusterSnapshot.Pod first, Map<Resources, Integer> asks,
                                      List<IgnoredObject> ignored, String how, Resources counted, DaemonSetSpec spec) {
        List<String> each = new ArrayList<>();
        asks.entrySet().stream().sorted(Map.Entry.<Resources, Integer>comparingByValue().reversed()
                .thenComparing(e -> io.nodesizer.engine.Amounts.describe(e.getKey())))
                .forEach(e -> each.add(io.nodesizer.engine.Amounts.describe(e.getKey()) + " on " + e.getValue()
                        + (e.getValue() == 1 ? " node" : " nodes")));
        ignored.add(new IgnoredObject(first.staticPod() ? "Pod" : "DaemonSet", name, first.origin(), "applied: its pods ask different amounts ("
                + String.join("; ", each) + "): every new node counts " + how + ", " + io.nodesizer.engine.Amounts.describe(counted)));
        return spec;
    }

    /**
     * The pods' template with each container's requests and limits, and the overhead, at the most
     * any of the pods has; null unless every pod has the same containers (names and roles) and
     * pod-level requests.
     */
    private static io.nodesizer.model.PodTemplate eachContainerAtItsMost(List<ClusterSnapshot.Pod> pods) {
        io.nodesizer.model.PodTemplate out = pods.get(0).template();
        if (out == null) {
            return null;
        }
        for (ClusterSnapshot.Pod p : pods) {
            io.nodesizer.model.PodTemplate t = p.template();
            if (t == null || t.containers().size() != out.containers().size() || !java.util.Objects.equals(t.podLevel(), out.podLevel())) {
                return null;
            }
            for (io.nodesizer.model.PodTemplate.Container c : t.containers()) {
                io.nodesizer.model.PodTemplate.Container mine = out.container(c.name());
                if (mine == null || mine.role() != c.role()) {
                    return null;
                }
                out = out.with(new io.nodesizer.model.PodTemplate.Container(c.name(), c.role(), mine.requests().max(c.requests()),
                        mine.limits().max(c.limits()), mine.cpuRequest() || c.cpuRequest(), mine.memoryRequest() || c.memoryRequest()));
            }
            out = out.withOverhead(out.overhead().max(t.overhead()));
        }
        return out;
    }

    /** Static pods run on any node whose configuration has them, whatever its taints: they bypass the scheduler. */
    private static final io.nodesizer.model.Placement ON_ANY_NODE = new io.nodesizer.model.Placement(java.util.Map.of(), null,
            List.of(new io.nodesizer.model.Placement.Toleration("", "Exists", "", "")));

    /** A static pod's own name: its mirror pod is named {@code <name>-<node name>}. */
    static String staticName(ClusterSnapshot.Pod p) {
        String node = p.nodeName() != null ? p.nodeName() : p.ownerName();
        return node != null && p.name().endsWith("-" + node) && p.name().length() > node.length() + 1
                ? p.name().substring(0, p.name().length() - node.length() - 1) : p.name();
    }

    /** Labels a controller gives each pod its own value of: they say nothing of the pod's template. */
    private static final Set<String> PER_POD_LABELS = Set.of("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
            "batch.kubernetes.io/job-completion-index");

    /** The placement with the per-pod labels left out, so that a StatefulSet's replicas group together. */
    private static io.nodesizer.model.Placement withoutPerPodLabels(io.nodesizer.model.Placement p) {
        if (p.podLabels().keySet().stream().noneMatch(PER_POD_LABELS::contains)) {
            return p;
        }
        Map<String, String> labels = new java.util.TreeMap<>(p.podLabels());
        labels.keySet().removeAll(PER_POD_LABELS);
        return new io.nodesizer.model.Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), labels,
                p.antiAffinity(), p.affinity(), p.spread(), p.preferences());
    }

    /**
     * The pods of a workload's current template: a StatefulSet's pods labelled with its
     * {@code status.updateRevision}; else those of its newest ReplicaSet (the highest
     * {@code deployment.kubernetes.io/revision}); else the template with the most pods (the first
     * on ties).
     */
    private static List<ClusterSnapshot.Pod> current(List<List<ClusterSnapshot.Pod>> variants, WorkloadOwners owners,
                                                     ClusterSnapshot.Controller workload) {
        if (workload != null && workload.updateRevision() != null) {
            // A StatefulSet names its current template: the pods labelled with its update revision.
            for (List<ClusterSnapshot.Pod> v : variants) {
                if (workload.updateRevision().equals(v.get(0).placement().podLabels().get("controller-revision-hash"))) {
                    return v;
                }
            }
        }
        List<ClusterSnapshot.Pod> best = variants.get(0);
        for (List<ClusterSnapshot.Pod> v : variants) {
            long rv = revision(v, owners);
            long rb = revision(best, owners);
            if (rv > rb || rv == rb && v.size() > best.size()) {
                best = v;
            }
        }
        return best;
    }

    private static long revision(List<ClusterSnapshot.Pod> pods, WorkloadOwners owners) {
        long r = 0;
        for (ClusterSnapshot.Pod p : pods) {
            ClusterSnapshot.Controller c = owners.ownerOf(p);
            r = Math.max(r, c == null ? 0 : c.revision());
        }
        return r;
    }

    /**
     * A DaemonSet pod's placement as its DaemonSet wrote it: the controller pins each pod to its
     * node with a {@code matchFields metadata.name} requirement in every term; without it, the
     * terms are the template's (a term that held only the pin goes, and no term left means no
     * required affinity).
     */
    static io.nodesizer.model.Placement withoutNodeName(io.nodesizer.model.Placement p) {
        if (p.requiredTerms() == null) {
            return p;
        }
        List<io.nodesizer.model.Placement.Term> terms = new ArrayList<>();
        for (io.nodesizer.model.Placement.Term t : p.requiredTerms()) {
            if (!t.matchExpressions().isEmpty()) {
                terms.add(new io.nodesizer.model.Placement.Term(t.matchExpressions(), List.of()));
            }
        }
        return new io.nodesizer.model.Placement(p.nodeSelector(), terms.isEmpty() ? null : terms, p.tolerations());
    }
}
