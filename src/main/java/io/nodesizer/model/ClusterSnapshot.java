package io.nodesizer.model;

import java.util.List;
import java.util.Map;

/**
 * A running cluster as {@code kubectl get nodes,pods -o json} shows it: its nodes and the pods
 * that count (Succeeded and Failed pods do not).
 *
 * @param nodes   every node, in input order
 * @param pods    running and pending pods, in input order
 * @param sources the files read
 * @param autoscalers HorizontalPodAutoscalers in the snapshot (when {@code hpa} was in the get)
 * @param budgets PodDisruptionBudgets in the snapshot (when {@code pdb} was in the get)
 */
public record ClusterSnapshot(List<Node> nodes, List<Pod> pods, List<String> sources, List<Autoscaling> autoscalers,
                              List<DisruptionBudget> budgets, List<Controller> controllers) {
    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        sources = List.copyOf(sources);
        autoscalers = List.copyOf(autoscalers);
        budgets = List.copyOf(budgets);
        controllers = List.copyOf(controllers);
    }

    /** The same snapshot, its files shown in reports as {@code sources} (the kubectl plugin's temporary file as the get it ran). */
    public ClusterSnapshot withSources(List<String> shown) {
        return new ClusterSnapshot(nodes, pods, shown, autoscalers, budgets, controllers);
    }

    /** A snapshot without controller objects. */
    public ClusterSnapshot(List<Node> nodes, List<Pod> pods, List<String> sources, List<Autoscaling> autoscalers,
                           List<DisruptionBudget> budgets) {
        this(nodes, pods, sources, autoscalers, budgets, List.of());
    }

    /**
     * A workload controller from the snapshot (when {@code deployments,replicasets,statefulsets,jobs}
     * were in the get): what owns it, and how many replicas it wants.
     *
     * @param kind           ReplicaSet, Deployment, StatefulSet, Job
     * @param replicas       spec.replicas (1 when absent, as the API defaults it), or null for a Job
     * @param ownerKind      the kind of its controller owner (a ReplicaSet's Deployment, a Job's CronJob), or null
     * @param ownerName      that owner's name, or null
     * @param revision       a ReplicaSet's {@code deployment.kubernetes.io/revision} annotation (0 when absent)
     * @param paused         a Deployment's {@code spec.paused}: a rollout held where it is, both templates running
     * @param updateRevision a StatefulSet's {@code status.updateRevision}: the {@code controller-revision-hash}
     *                       of its current template (null when absent)
     */
    public record Controller(String kind, String namespace, String name, Integer replicas, String ownerKind, String ownerName,
                             long revision, boolean paused, String updateRevision, SourceRef origin) {
        /** A controller that is not paused and has no StatefulSet revision. */
        public Controller(String kind, String namespace, String name, Integer replicas, String ownerKind, String ownerName, long revision,
                          SourceRef origin) {
            this(kind, namespace, name, replicas, ownerKind, ownerName, revision, false, null, origin);
        }
    }

    /** A snapshot without PodDisruptionBudgets. */
    public ClusterSnapshot(List<Node> nodes, List<Pod> pods, List<String> sources, List<Autoscaling> autoscalers) {
        this(nodes, pods, sources, autoscalers, List.of());
    }

    /** A snapshot without HorizontalPodAutoscalers. */
    public ClusterSnapshot(List<Node> nodes, List<Pod> pods, List<String> sources) {
        this(nodes, pods, sources, List.of());
    }

    /**
     * @param labels        metadata.labels
     * @param unschedulable spec.unschedulable (cordoned)
     * @param doNotDisrupt  the annotation that forbids the autoscalers to take the node away
     *                      ({@code karpenter.sh/do-not-disrupt: "true"} or
     *                      {@code cluster-autoscaler.kubernetes.io/scale-down-disabled: "true"}), as written; null when none
     * @param gpuVendor     whose device plugins advertise its GPUs ({@link GpuVendors}: the vendors of the GPU resources
     *                      its capacity or allocatable lists, {@code nvidia.com/gpu} → nvidia), "" when it lists none
     * @param extended      its allocatable of resources nodesizer does not pack (hugepages-*, other device-plugin
     *                      resources), by name, in thousandths ({@link ExtendedResources})
     * @param taints        spec.taints, as written
     * @param conditions    status.conditions, type → status ({@code Ready → False}); empty when the snapshot has none
     *                      (a hand-written one), read as healthy
     */
    public record Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                       SourceRef origin, List<Placement.Taint> taints, String doNotDisrupt, String gpuVendor, Map<String, Long> extended,
                       Map<String, String> conditions) {
        public Node {
            labels = Map.copyOf(labels);
            taints = List.copyOf(taints);
            java.util.Objects.requireNonNull(gpuVendor, "gpuVendor");
            extended = Map.copyOf(extended);
            conditions = Map.copyOf(conditions);
        }

        /** A node whose conditions the snapshot does not give. */
        public Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                    SourceRef origin, List<Placement.Taint> taints, String doNotDisrupt, String gpuVendor, Map<String, Long> extended) {
            this(name, labels, capacity, allocatable, unschedulable, origin, taints, doNotDisrupt, gpuVendor, extended, Map.of());
        }

        /** The same node with other conditions. */
        public Node withConditions(Map<String, String> newConditions) {
            return new Node(name, labels, capacity, allocatable, unschedulable, origin, taints, doNotDisrupt, gpuVendor, extended,
                    newConditions);
        }

        /**
         * What kube-scheduler's TaintToleration filter meets on this node for a pod placed now: its taints and the
         * NoSchedule taints the node lifecycle controller keeps for its conditions ({@link io.nodesizer.kube.NodeConditions}:
         * {@code node.kubernetes.io/not-ready} for a Ready condition that is False, …), those it already has aside.
         * Only where a pod is placed: a node that replaces this one is new, and Ready.
         */
        public List<Placement.Taint> schedulingTaints() {
            List<Placement.Taint> more = io.nodesizer.kube.NodeConditions.taints(conditions);
            if (more.isEmpty()) {
                return taints;
            }
            List<Placement.Taint> out = new java.util.ArrayList<>(taints);
            more.stream().filter(t -> taints.stream().noneMatch(h -> h.key().equals(t.key()) && h.effect().equals(t.effect()))).forEach(out::add);
            return List.copyOf(out);
        }

        /** A node that offers no resource beyond those modelled. */
        public Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                    SourceRef origin, List<Placement.Taint> taints, String doNotDisrupt, String gpuVendor) {
            this(name, labels, capacity, allocatable, unschedulable, origin, taints, doNotDisrupt, gpuVendor, Map.of());
        }

        /** A node whose GPUs' vendor is not known. */
        public Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                    SourceRef origin, List<Placement.Taint> taints, String doNotDisrupt) {
            this(name, labels, capacity, allocatable, unschedulable, origin, taints, doNotDisrupt, "");
        }

        /** A node no annotation protects. */
        public Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                    SourceRef origin, List<Placement.Taint> taints) {
            this(name, labels, capacity, allocatable, unschedulable, origin, taints, null);
        }

        /** A node without taints. */
        public Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                    SourceRef origin) {
            this(name, labels, capacity, allocatable, unschedulable, origin, List.of());
        }

        /** The instance type label (node.kubernetes.io/instance-type, or the older beta label), or null. */
        public String instanceType() {
            String t = labels.get("node.kubernetes.io/instance-type");
            return t != null ? t : labels.get("beta.kubernetes.io/instance-type");
        }

        /** topology.kubernetes.io/zone, or the older failure-domain label, or null. */
        public String zone() {
            String z = labels.get("topology.kubernetes.io/zone");
            return z != null ? z : labels.get("failure-domain.beta.kubernetes.io/zone");
        }

        /** The node group: EKS, GKE, AKS or Karpenter pool label, else the instance type, else "(none)". */
        public String pool() {
            for (String key : List.of("eks.amazonaws.com/nodegroup", "cloud.google.com/gke-nodepool", "kubernetes.azure.com/agentpool",
                    "karpenter.sh/nodepool", "alpha.eksctl.io/nodegroup-name")) {
                String v = labels.get(key);
                if (v != null) {
                    return v;
                }
            }
            if (fargate()) {
                // Fargate nodes carry their profile's name; one pool per profile, named so that it reads as Fargate.
                String profile = labels.get("eks.amazonaws.com/fargate-profile");
                return profile == null ? "fargate" : "fargate:" + profile;
            }
            if (virtualKubelet()) {
                return "virtual-kubelet";
            }
            String t = instanceType();
            return t != null ? t : "(none)";
        }

        /**
         * A control-plane node that keeps workloads off: its role label and a NoSchedule or NoExecute
         * taint (kubeadm's {@code node-role.kubernetes.io/control-plane:NoSchedule}, k3s' {@code
         * CriticalAddonsOnly}). The label alone decides nothing for the scheduler (its filters read
         * taints and {@code spec.unschedulable}): minikube, kind, k3s and Docker Desktop nodes carry it
         * without a taint and run every workload, as does kubeadm's after {@code kubectl taint nodes
         * --all node-role.kubernetes.io/control-plane-}; such a node is a worker.
         */
        public boolean controlPlane() {
            return (labels.containsKey("node-role.kubernetes.io/control-plane") || labels.containsKey("node-role.kubernetes.io/master"))
                    && taints.stream().anyMatch(t -> t.effect().equals("NoSchedule") || t.effect().equals("NoExecute"));
        }

        /**
         * An EKS Fargate node ({@code eks.amazonaws.com/compute-type=fargate}): AWS runs each such pod
         * on a micro-VM of its own, sized to the pod and billed per pod, placed by the Fargate
         * scheduler; no node group of the user's holds it.
         */
        public boolean fargate() {
            return "fargate".equals(labels.get("eks.amazonaws.com/compute-type"));
        }

        /**
         * A virtual-kubelet node ({@code type=virtual-kubelet}, as AKS virtual nodes on Azure Container
         * Instances are labelled): each pod runs in a container group of its own, billed per pod.
         */
        public boolean virtualKubelet() {
            return "virtual-kubelet".equals(labels.get("type"));
        }

        /** Capacity billed per pod, not a VM of the user's: an EKS Fargate or a virtual-kubelet node. */
        public boolean billedPerPod() {
            return fargate() || virtualKubelet();
        }

        /**
         * Whether kube-scheduler's NodeUnschedulable filter keeps {@code pod} off this node: cordoned
         * ({@code spec.unschedulable}) and the pod does not tolerate {@code node.kubernetes.io/unschedulable:NoSchedule}
         * (nodeunschedulable/node_unschedulable.go {@code Filter}; QA 51a: a pod with that toleration was kept off).
         */
        public boolean cordonedFor(Pod pod) {
            return unschedulable && !io.nodesizer.kube.NodeMatching.tolerated(pod.placement().tolerations(), CORDON);
        }

        /**
         * Closed to new pods as a node, not for want of room: cordoned, being deleted by an autoscaler ({@link #deletedBy}),
         * or carrying the node lifecycle controller's NoSchedule or NoExecute taint for a node that is not ready, unreachable
         * or out of service, or due it for its Ready condition ({@link #schedulingTaints}). Its free room is not stranded by
         * the packing (QA 52c F11): it is draining or unhealthy.
         */
        public boolean closed() {
            if (unschedulable || deletedBy() != null) {
                return true;
            }
            for (Placement.Taint t : schedulingTaints()) {
                if (LIFECYCLE_TAINTS.contains(t.key()) && !"PreferNoSchedule".equals(t.effect())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Why the node lifecycle controller keeps new pods off this node, by the NoSchedule or NoExecute taint it has or is due
         * for its Ready condition ({@link #schedulingTaints}): "unreachable" (Ready Unknown), "not ready" (Ready False) or
         * "out of service" ({@code node.kubernetes.io/out-of-service}, set by hand on a node shut down), both states joined
         * by " and " when it is unreachable or not ready and out of service, or null. What
         * {@link #closed} counts besides cordoned and deleting nodes, named beside the node as those are (QA 74 F3).
         */
        public String notReady() {
            List<String> states = notReadyStates();
            return states.isEmpty() ? null : String.join(" and ", states);
        }

        /**
         * The states of {@link #notReady} one by one ("unreachable" or "not ready", then "out of service"), empty when the
         * node is in none: what analyze's JSON gives beside the joined string, which a reader had to split (fix 76f).
         */
        public List<String> notReadyStates() {
            boolean unreachable = false;
            boolean notReady = false;
            boolean outOfService = false;
            for (Placement.Taint t : schedulingTaints()) {
                if ("PreferNoSchedule".equals(t.effect())) {
                    continue;
                }
                switch (t.key()) {
                    case "node.kubernetes.io/unreachable" -> unreachable = true;
                    case "node.kubernetes.io/not-ready" -> notReady = true;
                    case "node.kubernetes.io/out-of-service" -> outOfService = true;
                    default -> { }
                }
            }
            // Every state the node is in, the Ready condition's first: a node shut down and marked out of service by hand is
            // most often also unreachable, and naming one state hid the other (review 74b #12).
            List<String> states = new java.util.ArrayList<>(2);
            if (unreachable) {
                states.add("unreachable");
            } else if (notReady) {
                states.add("not ready");
            }
            if (outOfService) {
                states.add("out of service");
            }
            return List.copyOf(states);
        }

        /**
         * The autoscaler draining this node to delete it, by the hard taint it puts on the node first, or null: Cluster
         * Autoscaler's {@code ToBeDeletedByClusterAutoscaler:NoSchedule} (utils/taints/taints.go {@code ToBeDeletedTaint},
         * set as its scale-down starts to drain the node), Karpenter's {@code karpenter.sh/disrupted:NoSchedule} (v1,
         * pkg/apis/v1/taints.go) or, before v1, {@code karpenter.sh/disruption=disrupting:NoSchedule}. Not Cluster
         * Autoscaler's {@code DeletionCandidateOfClusterAutoscaler:PreferNoSchedule}: a soft taint on a node it finds
         * unneeded, which may yet stay (the scheduler still places pods there when it must).
         */
        public String deletedBy() {
            for (Placement.Taint t : taints) {
                if (!t.effect().equals("NoSchedule") && !t.effect().equals("NoExecute")) {
                    continue;
                }
                if (t.key().equals("ToBeDeletedByClusterAutoscaler")) {
                    return "Cluster Autoscaler";
                }
                if (t.key().equals("karpenter.sh/disrupted") || t.key().equals("karpenter.sh/disruption")) {
                    return "Karpenter";
                }
            }
            return null;
        }

        /**
         * Whether a plan that moves pods (a rescheduling after a failure, a consolidation, {@code pack --fleet}) leaves the
         * node out as a destination: cordoned, or being deleted ({@link #deletedBy}), whose room goes with it in minutes
         * even for a pod that tolerates its taint, or not ready, unreachable or out of service ({@link #notReady}), whose
         * kubelet would not run a pod bound there even if it tolerated the taint: every node {@link #closed} counts (QA 74
         * F2 left such nodes out of {@code pack --fleet}; consolidation and analyze's losses now do the same).
         */
        public boolean closedToMoves() {
            return closed();
        }

        private static final java.util.Set<String> LIFECYCLE_TAINTS = java.util.Set.of("node.kubernetes.io/not-ready",
                "node.kubernetes.io/unreachable", "node.kubernetes.io/out-of-service", "node.kubernetes.io/unschedulable");

        /** The taint the NodeUnschedulable filter asks a pod to tolerate on a cordoned node. */
        private static final io.nodesizer.model.Placement.Taint CORDON = new io.nodesizer.model.Placement.Taint(
                "node.kubernetes.io/unschedulable", "", "NoSchedule");

        /**
         * Why the node refuses {@code pod}, or null when it admits it: its node selector, required node
         * affinity or tolerations ({@link io.nodesizer.kube.NodeMatching#onNode}), or GPUs of another
         * vendor than the pod asks for, in the words a candidate shape's refusal uses ({@link GpuVendors#whyNot}),
         * or an extended resource it offers less of than the pod requests (its allocatable alone: what its pods use is
         * the caller's to count).
         */
        public String refuses(Pod pod) {
            return refuses(pod, true);
        }

        /**
         * As {@link #refuses(Pod)}, without the devices the pod claims through Dynamic Resource Allocation
         * ({@link ExtendedResources#CLAIM}), which no node offers: what the filters nodesizer models say of the node.
         */
        public String refusesBesidesClaims(Pod pod) {
            return refuses(pod, false);
        }

        /**
         * As {@link #refusesBesidesClaims}, with a cordoned node's cordon taint ({@code node.kubernetes.io/unschedulable:NoSchedule},
         * which the node lifecycle controller adds to every node with {@code spec.unschedulable}) left to {@link #cordonedFor}:
         * what else keeps the pod off the node, which uncordoning would not lift. QA 76b F5: the cordon taint read as the
         * pod's "tolerations" refusing it, so analyze said a pod without any was kept off by them.
         */
        public String refusesOnceUncordoned(Pod pod) {
            if (!unschedulable) {
                return refuses(pod, false);
            }
            return refuses(pod, false, taints.stream().filter(t -> !t.key().equals(CORDON.key()) || !t.effect().equals(CORDON.effect())).toList());
        }

        private String refuses(Pod pod, boolean claims) {
            return refuses(pod, claims, taints);
        }

        private String refuses(Pod pod, boolean claims, List<Placement.Taint> taints) {
            String why = io.nodesizer.kube.NodeMatching.onNode(pod.placement(), labels, taints, name);
            String held = pod.heldZoneKey();
            if (why != null && held != null && why.startsWith("its nodeSelector needs " + held + "=")) {
                // The selector is nodesizer's reading of the pod's volume claim, not the manifest's (QA 64a F22).
                String zone = labels.get(held);
                why = "its volume claim holds it to " + pod.placement().nodeSelector().get(held) + ", its node's zone (kube-scheduler's "
                        + "VolumeZone and VolumeBinding filters); the node " + (zone == null ? "has no " + held + " label" : "is in " + zone);
            }
            if (why == null && !conditions.isEmpty()) {
                // Not yet tainted for its conditions: the controller's taint is what the pod meets (QA 55b F9).
                Placement.Taint t = io.nodesizer.kube.NodeMatching.untolerated(pod.placement().tolerations(),
                        io.nodesizer.kube.NodeConditions.taints(conditions));
                why = t == null ? null : "its " + io.nodesizer.kube.NodeConditions.describe(conditions) + ", so the node lifecycle "
                        + "controller taints it " + t + ", which the pod does not tolerate";
            }
            why = why != null ? why : GpuVendors.whyNot(pod.gpuVendor(), name, gpuVendor);
            if (why != null) {
                return why;
            }
            // NodeResourcesFit's scalar resources: a device, hugepages, a network pool the node does not offer. What
            // other pods there use of it is not counted (consolidate never moves such pods, Consolidation).
            for (Map.Entry<String, Long> e : pod.extended().entrySet()) {
                if (extended.getOrDefault(e.getKey(), 0L) < e.getValue() && (claims || !ExtendedResources.claim(e.getKey()))) {
                    return extended.containsKey(e.getKey()) ? "its " + e.getKey() + " (allocatable " + ExtendedResources.show(e.getKey(),
                            extended.get(e.getKey())) + ") is less than the pod's request, " + ExtendedResources.show(e.getKey(), e.getValue())
                            : "it offers no " + e.getKey() + " (the pod requests " + ExtendedResources.show(e.getKey(), e.getValue()) + ")";
                }
            }
            return null;
        }

        /** A node of the user's node groups, to analyse the cost of, consolidate and size: not control plane, not billed per pod. */
        public boolean worker() {
            return !controlPlane() && !billedPerPod();
        }
    }

    /**
     * What Cluster Autoscaler's drain rules read of a running pod besides its owner, namespace and phase
     * (kubernetes/autoscaler {@code cluster-autoscaler/simulator/drainability/rules/rules.go} @ 084264c1).
     *
     * @param safeToEvict  annotated {@code cluster-autoscaler.kubernetes.io/safe-to-evict: "true"}: CA's
     *                     {@code safetoevict} rule lets it go before the rules that block (system, local storage,
     *                     custom controller)
     * @param localStorage the first volume that {@code utils/drain.HasBlockingLocalStorage} counts as local storage
     *                     (a hostPath, or an emptyDir whose medium is not Memory, not named in the
     *                     {@code safe-to-evict-local-volumes} annotation), as {@code hostPath 'name'}; null when none
     */
    public record Drain(boolean safeToEvict, String localStorage) {
        public static final Drain NONE = new Drain(false, null);
    }

    /**
     * @param request  effective request (the scheduler's rules: init containers, sidecars, overhead)
     * @param nodeName spec.nodeName, or null when not bound
     * @param phase    status.phase (Running, Pending, …)
     * @param owner    the controller owner's kind (ReplicaSet, DaemonSet, …), or null
     * @param ownerName the controller owner's name, or null
     * @param template the containers behind {@code request}
     * @param templateHash the {@code pod-template-hash} label (a Deployment's ReplicaSets carry it), or null
     * @param placement its node selector, required node affinity and tolerations
     * @param ready    its {@code Ready} condition (status.conditions[type=Ready].status is True), or
     *                 null when the snapshot has no conditions
     * @param terminating metadata.deletionTimestamp is set: the pod is being deleted
     * @param doNotDisrupt the annotation that forbids the autoscalers to evict it ({@code karpenter.sh/do-not-disrupt: "true"}
     *                     or {@code cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}), as written; null when none
     * @param priority {@code spec.priority}, which the Priority admission plugin set when the pod was
     *                 created (0 when the snapshot has none: a hand-written one, see {@code SnapshotReader})
     * @param startTime {@code status.startTime}, when the kubelet started it; null when the snapshot has none
     *                  (not started yet, or hand-written)
     * @param extended  its requests of resources nodesizer does not pack (hugepages-*, device plugins' other than whole
     *                  GPUs: {@code nvidia.com/mig-1g.5gb}, SR-IOV pools), by name, in thousandths ({@link ExtendedResources})
     * @param drain     what Cluster Autoscaler's drain rules read of it beyond the fields above ({@link Drain})
     * @param oomKilled its containers (and init containers) whose current or last termination was {@code OOMKilled}, each
     *                  with its {@code restartCount}, in status order
     * @param schedulingGates the names of its {@code spec.schedulingGates}: kube-scheduler does not try it until they are gone
     */
    public record Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                      SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                      boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime,
                      Map<String, Long> extended, Drain drain, String schedulerName, Map<String, Integer> oomKilled,
                      List<String> schedulingGates) {
        public Pod {
            extended = Map.copyOf(extended);
            drain = drain == null ? Drain.NONE : drain;
            oomKilled = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(oomKilled));
            schedulingGates = List.copyOf(schedulingGates);
        }

        /** A pod without scheduling gates. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime,
                   Map<String, Long> extended, Drain drain, String schedulerName, Map<String, Integer> oomKilled) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready, terminating,
                    doNotDisrupt, heldZoneKey, priority, startTime, extended, drain, schedulerName, oomKilled, List.of());
        }

        /** A pod none of whose containers the status shows OOM-killed. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime,
                   Map<String, Long> extended, Drain drain, String schedulerName) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready, terminating,
                    doNotDisrupt, heldZoneKey, priority, startTime, extended, drain, schedulerName, Map.of());
        }

        /** A pod kube-scheduler places ({@code schedulerName} null: {@code default-scheduler}). */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime,
                   Map<String, Long> extended, Drain drain) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready, terminating,
                    doNotDisrupt, heldZoneKey, priority, startTime, extended, drain, null);
        }

        /** A pod of which the drain rules' annotations and volumes are not known. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime,
                   Map<String, Long> extended) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, doNotDisrupt, heldZoneKey, priority, startTime, extended, Drain.NONE);
        }

        /** A pod that requests no resource beyond those modelled. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority, java.time.Instant startTime) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, doNotDisrupt, heldZoneKey, priority, startTime, Map.of());
        }

        /** A pod whose start time is not known. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey, int priority) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, doNotDisrupt, heldZoneKey, priority, null);
        }

        /**
         * kube-scheduler's {@code MoreImportantPod}: the higher priority first, then the earlier started
         * ({@code GetPodStartTime}: a pod without a start time counts as started now, after every other).
         */
        public static final java.util.Comparator<Pod> MORE_IMPORTANT_FIRST = java.util.Comparator.comparingInt(Pod::priority).reversed()
                .thenComparing(Pod::startTime, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));

        /** A pod of the default priority, 0. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt, String heldZoneKey) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, doNotDisrupt, heldZoneKey, 0);
        }

        /** A pod no zone hold was added to (heldZoneKey null). */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating, String doNotDisrupt) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, doNotDisrupt, null);
        }

        /** A pod no annotation protects from eviction. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement, Boolean ready,
                   boolean terminating) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, ready,
                    terminating, null);
        }

        /** The same pod with another placement. */
        public Pod withPlacement(Placement newPlacement) {
            return heldTo(heldZoneKey, newPlacement);
        }

        /** The same pod held to its node's zone: {@code held} is its placement with the zone selector on {@code zoneKey} added. */
        public Pod heldTo(String zoneKey, Placement held) {
            return new Pod(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, held, ready,
                    terminating, doNotDisrupt, zoneKey, priority, startTime, extended, drain, schedulerName, oomKilled, schedulingGates);
        }

        /**
         * The placement without the zone hold the snapshot reader added for its volume claim
         * ({@link #heldZoneKey}): what the pod may run on in a cluster sized afresh, where the claims'
         * volumes are not yet tied to a zone.
         */
        public Placement placementUnheld() {
            if (heldZoneKey == null) {
                return placement;
            }
            java.util.Map<String, String> selector = new java.util.LinkedHashMap<>(placement.nodeSelector());
            selector.remove(heldZoneKey);
            return placement.withNodeSelectorAndTolerations(selector, placement.tolerations());
        }

        /** A pod whose snapshot says nothing of readiness or deletion. */
        public Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                   SourceRef origin, PodTemplate template, String templateHash, Placement placement) {
            this(namespace, name, request, nodeName, phase, owner, ownerName, origin, template, templateHash, placement, null, false);
        }

        /**
         * Healthy as the disruption controller counts it for a budget ({@code countHealthyPods} in
         * kubernetes pkg/controller/disruption/disruption.go): not being deleted, and Ready. A
         * snapshot without conditions (hand-written) falls back to Running on a node.
         */
        public boolean healthy() {
            if (terminating) {
                return false;
            }
            return ready != null ? ready : "Running".equals(phase) && nodeName != null;
        }

        public boolean daemonSet() {
            return "DaemonSet".equals(owner);
        }

        /**
         * Being deleted and not to be re-placed: its controller makes its replacement (pending or running elsewhere), the
         * demand to place, so it leaves whatever happens to its node (Karpenter's {@code IsReschedulable},
         * pkg/utils/pod/scheduling.go); a StatefulSet's replacement comes only once it is gone, under its name, so such a pod
         * is not leaving.
         */
        public boolean leaving() {
            return terminating && !"StatefulSet".equals(owner);
        }

        /** Whose GPUs it asks for ({@link GpuVendors}), "" for none or when its containers are not known. */
        public String gpuVendor() {
            return template == null ? "" : template.gpuVendor();
        }

        /** A static pod's mirror: the kubelet runs it from its node's configuration, and the Node owns the mirror. */
        public boolean staticPod() {
            return "Node".equals(owner);
        }

        public String fullName() {
            return namespace + "/" + name;
        }

        /**
         * The workload a user edits to change this pod's requests, following the owner chain as
         * the controllers name their objects: a ReplicaSet named {@code <deployment>-<pod-template-hash>}
         * belongs to that Deployment, one named {@code <rollout>-<rollouts-pod-template-hash>} to that Argo Rollout; a Job named {@code <cronjob>-<scheduled minute>} (eight or
         * more digits that can be such a minute, not a date stamp) to that CronJob; any other
         * controller is the workload itself; a pod without a controller is its own workload.
         */
        public WorkloadRef workload() {
            if (owner == null || ownerName == null) {
                return new WorkloadRef(namespace, "Pod", name);
            }
            if (owner.equals("ReplicaSet") && templateHash != null && ownerName.endsWith("-" + templateHash)) {
                return new WorkloadRef(namespace, "Deployment", ownerName.substring(0, ownerName.length() - templateHash.length() - 1));
            }
            // Argo Rollouts names its ReplicaSets <rollout>-<hash> too, but labels their pods with its own key (never
            // pod-template-hash): without it every Rollout's pods read as a ReplicaSet's (QA 64a F8).
            String rolloutHash = placement == null ? null : placement.podLabels().get(ROLLOUT_HASH);
            if (owner.equals("ReplicaSet") && rolloutHash != null && !rolloutHash.isEmpty() && ownerName.endsWith("-" + rolloutHash)) {
                return new WorkloadRef(namespace, "Rollout", ownerName.substring(0, ownerName.length() - rolloutHash.length() - 1));
            }
            if (owner.equals("Job")) {
                int dash = ownerName.lastIndexOf('-');
                String tail = dash < 0 ? "" : ownerName.substring(dash + 1);
                if (dash > 0 && scheduledMinute(tail)) {
                    return new WorkloadRef(namespace, "CronJob", ownerName.substring(0, dash));
                }
            }
            return new WorkloadRef(namespace, owner, ownerName);
        }

        /**
         * Whether a Job name's last part can be the minute a CronJob named it for (cronjob controller's {@code getJobName}:
         * {@code <cronjob>-<scheduled time in minutes since the epoch>}): eight or more digits, not before Kubernetes
         * existed, and not after this pod started (the Job is made at its scheduled time, its pods after it). A date
         * stamp ({@code migrate-20241201}: minute 20,241,201 is in 2008) or a later time is a plain Job's own name.
         */
        private boolean scheduledMinute(String tail) {
            if (tail.length() < 8 || tail.length() > 12 || !tail.chars().allMatch(Character::isDigit)) {
                return false;
            }
            long minute = Long.parseLong(tail);
            return minute >= FIRST_SCHEDULABLE_MINUTE && (startTime == null || minute <= startTime.getEpochSecond() / 60 + 1);
        }
    }

    /** The label Argo Rollouts gives the pods of a Rollout's ReplicaSet, the hash that ends the ReplicaSet's name. */
    public static final String ROLLOUT_HASH = "rollouts-pod-template-hash";

    /** 2014-06-01T00:00Z in minutes since the epoch: no CronJob ran before Kubernetes' first release. */
    private static final long FIRST_SCHEDULABLE_MINUTE = 1_401_580_800L / 60;

    /** A workload by namespace, kind and name. */
    public record WorkloadRef(String namespace, String kind, String name) {
        public String fullName() {
            return namespace + "/" + name;
        }
    }
}
