package io.nodesizer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pod's containers as its spec writes them, kept next to the effective request for tools that
 * change one container's request and need the pod's request again ({@code rightsize}). The pod's
 * request is always derived by {@link #effectiveRequest()}, the scheduler's formula
 * (k8s.io/component-helpers {@code resource.PodRequests}, with KEP-753 sidecars):
 * <pre>
 * reqs = Σ app containers
 * for each init container, in order:
 *   sidecar (restartPolicy: Always): reqs += it; sidecars += it; candidate = sidecars
 *   regular:                          candidate = it + sidecars started before it
 *   init = max(init, candidate)
 * request = max(reqs, init)                           (per resource)
 * request[cpu, memory] = the pod-level request where {@code spec.resources} sets one
 * request += spec.overhead                            (one pod slot)
 * </pre>
 *
 * @param containers app containers, then init containers in their order
 * @param overhead   {@code spec.overhead} (RuntimeClass pod overhead)
 * @param runtimeClassName {@code spec.runtimeClassName}, null when the pod names none; the
 *                   RuntimeClass admission plugin sets {@code overhead} from it
 *                   ({@code io.nodesizer.input.manifest.RuntimeClasses})
 * @param gpuVendor  whose GPUs the containers request, by the extended resource they name
 *                   ({@link GpuVendors}: {@code nvidia.com/gpu} → nvidia), "" when they request none
 * @param priorityClassName {@code spec.priorityClassName}, null when the pod names none; the Priority
 *                   admission plugin turns it into {@code spec.priority} ({@code io.nodesizer.input.manifest.PriorityClasses})
 * @param priority   {@code spec.priority} as written (a snapshot's pods carry it, admission having run),
 *                   null when absent
 * @param preemptionPolicy {@code spec.preemptionPolicy} as written or as its PriorityClass gives it
 *                   ({@code PreemptLowerPriority} or {@code Never}), null when absent (PreemptLowerPriority)
 * @param podLevel   the pod-level CPU and memory requests ({@code spec.resources}, PodLevelResources:
 *                   beta and on by default since Kubernetes 1.34) as the API server defaults them, null
 *                   when the pod sets none
 * @param eviction   what the autoscalers' drain rules read of the pod ({@link Eviction#NONE} when it says nothing)
 */
public record PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName, String gpuVendor,
                          String priorityClassName, Integer priority, String preemptionPolicy, PodLevel podLevel,
                          Eviction eviction) {

    /**
     * What the autoscalers read of a pod before they drain its node: Cluster Autoscaler's
     * {@code cluster-autoscaler.kubernetes.io/safe-to-evict} annotation as written ("true", "false", else null),
     * the first volume its local-storage rule blocks on (hostPath, or an emptyDir not of medium Memory that the
     * {@code safe-to-evict-local-volumes} annotation does not name; kubernetes/autoscaler
     * {@code utils/drain.HasBlockingLocalStorage}), null when none, and Karpenter's
     * {@code karpenter.sh/do-not-disrupt: "true"}, or the duration that annotation gives instead ({@code doNotDisruptFor},
     * as written; null when none), which the replay does not model; the PodDisruptionBudgets among the inputs that cover
     * the pod, in the inputs' order (empty when none does): the replay keeps each one's allowance as its pods start and stop;
     * and whether no controller owns the pod ({@code ownerless}: a {@code kind: Pod} without a controller ownerReference,
     * which nothing recreates once it is evicted; a pod whose controller is not among the inputs is not ownerless).
     */
    public record Eviction(String safeToEvict, String localStorage, boolean doNotDisrupt, String doNotDisruptFor,
                           List<DisruptionBudget> budgets, boolean ownerless) {
        public static final Eviction NONE = new Eviction(null, null, false, null, List.of());

        public Eviction {
            budgets = List.copyOf(budgets);
        }

        /** Owned by a controller (or of a controller's template). */
        public Eviction(String safeToEvict, String localStorage, boolean doNotDisrupt, String doNotDisruptFor,
                        List<DisruptionBudget> budgets) {
            this(safeToEvict, localStorage, doNotDisrupt, doNotDisruptFor, budgets, false);
        }

        /** The same, of a pod no controller owns. */
        public Eviction asOwnerless() {
            return new Eviction(safeToEvict, localStorage, doNotDisrupt, doNotDisruptFor, budgets, true);
        }

        /** What the pod's own metadata and volumes say, no budget known. */
        public Eviction(String safeToEvict, String localStorage, boolean doNotDisrupt, String doNotDisruptFor) {
            this(safeToEvict, localStorage, doNotDisrupt, doNotDisruptFor, List.of());
        }

        /** Without a do-not-disrupt duration, with the budgets that cover the pod. */
        public Eviction(String safeToEvict, String localStorage, boolean doNotDisrupt, List<DisruptionBudget> budgets) {
            this(safeToEvict, localStorage, doNotDisrupt, null, budgets);
        }

        /** What the pod's own metadata and volumes say, no do-not-disrupt duration and no budget known. */
        public Eviction(String safeToEvict, String localStorage, boolean doNotDisrupt) {
            this(safeToEvict, localStorage, doNotDisrupt, null, List.of());
        }

        /** The same with the budgets that cover the pod. */
        public Eviction withBudgets(List<DisruptionBudget> covering) {
            return new Eviction(safeToEvict, localStorage, doNotDisrupt, doNotDisruptFor, covering, ownerless);
        }

        /** The first budget that covers the pod, by namespace/name; null when none does. */
        public String budget() {
            return budgets.isEmpty() ? null : budgets.get(0).fullName();
        }

        /**
         * The first covering budget that never allows an eviction whatever the number of pods it covers
         * ({@code maxUnavailable: 0} or {@code 0%}, {@code minAvailable: 100%}), by namespace/name; null when none.
         */
        public String budgetAllowingNone() {
            for (DisruptionBudget b : budgets) {
                if (b.allowsNone()) {
                    return b.fullName();
                }
            }
            return null;
        }
    }

    /** A pod spec whose metadata says nothing to the drain rules. */
    public PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName, String gpuVendor,
                       String priorityClassName, Integer priority, String preemptionPolicy, PodLevel podLevel) {
        this(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, podLevel, Eviction.NONE);
    }

    /** The same pod spec with what its metadata tells the drain rules. */
    public PodTemplate withEviction(Eviction rules) {
        return new PodTemplate(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, podLevel, rules);
    }

    /**
     * Pod-level requests ({@code spec.resources.requests} after defaulting): each null where the pod
     * sets none for that resource, which then is the containers' as before. The scheduler's
     * {@code PodRequests} takes a set one in place of the containers' (k8s.io/component-helpers
     * {@code resource.applyPodLevelResources}: cpu and memory; hugepages are not modelled).
     */
    public record PodLevel(Long cpuMillis, Long memoryBytes) {
        public PodLevel {
            if (cpuMillis == null && memoryBytes == null) {
                throw new IllegalArgumentException("A pod level request needs cpu or memory; use no PodLevel instead.");
            }
        }
    }

    /** A pod spec without pod-level requests. */
    public PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName, String gpuVendor,
                       String priorityClassName, Integer priority, String preemptionPolicy) {
        this(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, null);
    }

    /** {@code spec.preemptionPolicy: Never}'s value: the pod never preempts others (it still waits in priority order). */
    public static final String NEVER = "Never";

    /** A pod spec that writes no preemptionPolicy. */
    public PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName, String gpuVendor,
                       String priorityClassName, Integer priority) {
        this(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, null);
    }

    /** Whether the pod may preempt pods of lower priority ({@code preemptionPolicy} other than Never). */
    public boolean preempts() {
        return !NEVER.equals(preemptionPolicy);
    }

    /** The same pod spec with {@code spec.priority} set to {@code value}, as the Priority admission plugin sets it. */
    public PodTemplate withPriority(int value) {
        return new PodTemplate(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, value, preemptionPolicy, podLevel, eviction);
    }

    /** The same pod spec with another {@code preemptionPolicy}. */
    public PodTemplate withPreemptionPolicy(String policy) {
        return new PodTemplate(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, policy, podLevel, eviction);
    }

    /** A pod spec that names no PriorityClass and sets no priority. */
    public PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName, String gpuVendor) {
        this(containers, overhead, runtimeClassName, gpuVendor, null, null);
    }

    /** A pod spec without a RuntimeClass. */
    public PodTemplate(List<Container> containers, Resources overhead) {
        this(containers, overhead, null);
    }

    /** A pod spec whose GPUs, if any, are of no particular vendor. */
    public PodTemplate(List<Container> containers, Resources overhead, String runtimeClassName) {
        this(containers, overhead, runtimeClassName, "");
    }

    /** What a container is to the scheduler's formula. */
    public enum Role {
        /** {@code spec.containers}: runs for the pod's life. */
        APP,
        /** {@code spec.initContainers} without {@code restartPolicy: Always}: runs to completion before the apps. */
        INIT,
        /** {@code spec.initContainers} with {@code restartPolicy: Always} (KEP-753): runs for the pod's life. */
        SIDECAR
    }

    /**
     * @param requests      requests as the API server defaults them: a resource with a limit and no
     *                      request gets the limit as its request
     * @param limits        limits, 0 where there is none
     * @param cpuRequest    the container has a CPU request (written, or defaulted from a limit)
     * @param memoryRequest likewise for memory
     * @param named         the other resource names its requests or limits name ({@code ephemeral-storage}, {@code
     *                      nvidia.com/gpu}, {@code hugepages-2Mi}, …), a 0 included: LimitRanger gives a container the
     *                      default of each resource it names neither way, and only of those
     */
    public record Container(String name, Role role, Resources requests, Resources limits, boolean cpuRequest, boolean memoryRequest,
                            java.util.SortedSet<String> named) {
        public Container {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(requests, "requests");
            Objects.requireNonNull(limits, "limits");
            named = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(named));
        }

        /** A container that names no resource but cpu and memory. */
        public Container(String name, Role role, Resources requests, Resources limits, boolean cpuRequest, boolean memoryRequest) {
            this(name, role, requests, limits, cpuRequest, memoryRequest, new java.util.TreeSet<>());
        }

        /** Runs for the pod's whole life (an app container or a sidecar), so its usage is what it requests. */
        public boolean longRunning() {
            return role != Role.INIT;
        }

        /** The same container asking {@code newRequests}, its limits and what it sets as they are (a status's view of it, its limits as requests). */
        public Container withRequests(Resources newRequests) {
            return new Container(name, role, newRequests, limits, cpuRequest, memoryRequest, named);
        }

        /** The same container with new CPU and memory requests (both then count as requested). */
        public Container withRequests(long cpuMillis, long memoryBytes) {
            return new Container(name, role, requests.with(Resource.CPU, cpuMillis).with(Resource.MEMORY, memoryBytes), limits, true, true, named);
        }
    }

    public PodTemplate {
        containers = List.copyOf(containers);
        Objects.requireNonNull(overhead, "overhead");
        Objects.requireNonNull(gpuVendor, "gpuVendor");
        Objects.requireNonNull(eviction, "eviction");
        if (containers.stream().noneMatch(c -> c.role() == Role.APP)) {
            throw new IllegalArgumentException("A pod template needs at least one app container.");
        }
    }

    /** The pod's request as the scheduler computes it (see the class comment), with one pod slot. */
    public Resources effectiveRequest() {
        return withPodLevelAndOverhead(aggregate(false));
    }

    /** The CPU kube-scheduler's scoring counts for a container with no CPU request ({@code schedutil.DefaultMilliCPURequest}). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** The memory it counts for a container with no memory request ({@code schedutil.DefaultMemoryRequest}, 200 MiB). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    /**
     * The pod's request as kube-scheduler's scoring counts it (NodeResourcesFit, and a node's {@code NonZeroRequested}):
     * each container, init containers and sidecars too, that has no cpu or no memory request (none written nor defaulted
     * from a limit) counts {@link #DEFAULT_MILLI_CPU_REQUEST} or {@link #DEFAULT_MEMORY_REQUEST} for it, an explicit 0
     * staying 0; then the containers aggregate, pod-level requests replace theirs and the overhead is added, as for
     * {@link #effectiveRequest()}. That is component-helpers {@code resource/helpers.go} {@code PodRequests} with
     * {@code NonMissingContainerRequests} ({@code applyNonMissing} per container in {@code aggregateContainerResourcesByFn}),
     * which {@code noderesources/resource_allocation.go} {@code calculatePodResourceRequest} passes where it does not score
     * the real requests. A pod of two request-less containers counts 200m and 400 MiB.
     */
    public Resources scoringRequest() {
        return withPodLevelAndOverhead(aggregate(true));
    }

    /**
     * What kube-scheduler's scoring counts of a pod of {@code template} (null: the input gives no containers, as a CSV profile
     * or a trace) and {@code request}: {@link #scoringRequest()}, or without containers the default for a pod whose cpu or
     * memory request is 0.
     */
    public static Resources scoringRequest(PodTemplate template, Resources request) {
        if (template != null) {
            return template.scoringRequest();
        }
        if (request.cpuMillis() != 0 && request.memoryBytes() != 0) {
            return request; // most pods: no copy (two per pod of a 150,000-pod trace, ~8 % of a cold pack's allocation)
        }
        return request.with(Resource.CPU, request.cpuMillis() == 0 ? DEFAULT_MILLI_CPU_REQUEST : request.cpuMillis())
                .with(Resource.MEMORY, request.memoryBytes() == 0 ? DEFAULT_MEMORY_REQUEST : request.memoryBytes());
    }

    /** What scoring counts of one container: its requests, with the defaults for a missing cpu or memory request ({@code nonMissing}). */
    private static long[] counted(Container c, boolean nonMissing) {
        long[] r = c.requests().toArray();
        if (nonMissing && !c.cpuRequest()) {
            r[Resource.CPU.ordinal()] += DEFAULT_MILLI_CPU_REQUEST;
        }
        if (nonMissing && !c.memoryRequest()) {
            r[Resource.MEMORY.ordinal()] += DEFAULT_MEMORY_REQUEST;
        }
        return r;
    }

    /**
     * The pod's request when its containers together count {@code containers} (as {@link
     * #containerRequests} sums them; a snapshot's pod being resized in place counts its status too):
     * the pod-level requests and the overhead on top, one pod slot.
     */
    public Resources effectiveRequest(Resources containers) {
        return withPodLevelAndOverhead(containers.toArray());
    }

    /**
     * The containers' requests by the scheduler's rule: app containers and sidecars summed, or an init container's peak;
     * with {@code nonMissing}, each container's missing cpu and memory requests as scoring counts them ({@link #counted}).
     */
    private long[] aggregate(boolean nonMissing) {
        long[] apps = new long[Resource.COUNT];
        long[] sidecars = new long[Resource.COUNT];
        long[] init = new long[Resource.COUNT];
        for (Container c : containers) {
            if (c.role() == Role.APP) {
                add(apps, counted(c, nonMissing));
            }
        }
        for (Container c : containers) {
            long[] candidate;
            switch (c.role()) {
                case APP -> {
                    continue;
                }
                case SIDECAR -> {
                    long[] own = counted(c, nonMissing);
                    add(apps, own);
                    add(sidecars, own);
                    candidate = sidecars.clone();
                }
                case INIT -> {
                    candidate = counted(c, nonMissing);
                    add(candidate, sidecars);
                }
                default -> throw new IllegalStateException();
            }
            for (int r = 0; r < Resource.COUNT; r++) {
                init[r] = Math.max(init[r], candidate[r]);
            }
        }
        long[] pod = new long[Resource.COUNT];
        for (int r = 0; r < Resource.COUNT; r++) {
            pod[r] = Math.max(apps[r], init[r]);
        }
        return pod;
    }

    private Resources withPodLevelAndOverhead(long[] pod) {
        if (podLevel != null && podLevel.cpuMillis() != null) {
            pod[Resource.CPU.ordinal()] = podLevel.cpuMillis();
        }
        if (podLevel != null && podLevel.memoryBytes() != null) {
            pod[Resource.MEMORY.ordinal()] = podLevel.memoryBytes();
        }
        add(pod, overhead.toArray());
        pod[Resource.PODS.ordinal()] = 1;
        return Resources.of(pod);
    }

    /** The same containers with other pod-level requests (null: none). */
    public PodTemplate withPodLevel(PodLevel requests) {
        return new PodTemplate(containers, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, requests, eviction);
    }

    /** The containers' requests as the scheduler sums them (init containers and sidecars included), without pod-level ones or overhead. */
    public Resources containerRequests() {
        long[] pod = aggregate(false);
        pod[Resource.PODS.ordinal()] = 1;
        return Resources.of(pod);
    }

    /** The same containers with another pod overhead (what the RuntimeClass admission plugin sets). */
    public PodTemplate withOverhead(Resources newOverhead) {
        return new PodTemplate(containers, newOverhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, podLevel, eviction);
    }

    /** The container called {@code name}, or null. */
    public Container container(String name) {
        for (Container c : containers) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** This template with {@code replacement} in place of the container of the same name. */
    public PodTemplate with(Container replacement) {
        List<Container> out = new ArrayList<>(containers.size());
        boolean found = false;
        for (Container c : containers) {
            if (c.name().equals(replacement.name())) {
                out.add(replacement);
                found = true;
            } else {
                out.add(c);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("The pod template has no container " + replacement.name() + ".");
        }
        return new PodTemplate(out, overhead, runtimeClassName, gpuVendor, priorityClassName, priority, preemptionPolicy, podLevel, eviction);
    }

    private static void add(long[] into, long[] other) {
        for (int r = 0; r < into.length; r++) {
            into[r] = Math.addExact(into[r], other[r]);
        }
    }
}
