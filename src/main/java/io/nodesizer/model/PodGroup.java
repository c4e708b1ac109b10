package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * One pod template with its effective request (already computed as the scheduler computes it:
 * init containers, sidecars and pod overhead folded in) and the number of identical replicas.
 * Replica {@code i} of a group with more than one replica is named {@code name-i}; a group with
 * exactly one replica that came from a single pod keeps its name as is ({@code singlePod}).
 *
 * @param name     the workload's name, unique within a {@link Workload}
 * @param kind     where it came from: {@code csv}, {@code Pod}, {@code Deployment}, {@code openb}, …
 * @param request  the effective request of one replica; {@code pods} is the pod slots one replica uses (1)
 * @param replicas how many identical pods, at least 1
 * @param singlePod true when the group is one named pod (a Pod manifest, a trace row): its only
 *                  replica is called {@code name}, not {@code name-0}
 * @param lifetime arrival and departure time, for traces that have them; {@code null} otherwise
 * @param origin   where in the input it was defined, for messages
 * @param gpuModels GPU models the pod may run on ({@link GpuModels}: normalised, sorted), empty for any
 * @param template  the containers behind {@code request} when the input has them (manifests,
 *                  snapshots); {@code null} for CSV profiles and traces, which give a pod's request only
 * @param placement the nodes it may run on: node selector, required node affinity, tolerations
 * @param priority  {@code spec.priority} of its pods as the Priority admission plugin resolves it
 *                  (a snapshot's as written, a manifest's from its PriorityClass, a CSV row's
 *                  {@code priority} column); 0 when none is given
 */
public record PodGroup(String name, String kind, Resources request, int replicas, boolean singlePod,
                       Lifetime lifetime, SourceRef origin, List<String> gpuModels, PodTemplate template, Placement placement,
                       int priority) {

    /** A group of the default priority, 0. */
    public PodGroup(String name, String kind, Resources request, int replicas, boolean singlePod,
                    Lifetime lifetime, SourceRef origin, List<String> gpuModels, PodTemplate template, Placement placement) {
        this(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels, template, placement, 0);
    }

    /** A group that may run on any untainted node. */
    public PodGroup(String name, String kind, Resources request, int replicas, boolean singlePod,
                    Lifetime lifetime, SourceRef origin, List<String> gpuModels, PodTemplate template) {
        this(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels, template, Placement.ANY);
    }

    /** A group without a container breakdown. */
    public PodGroup(String name, String kind, Resources request, int replicas, boolean singlePod,
                    Lifetime lifetime, SourceRef origin, List<String> gpuModels) {
        this(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels, null);
    }

    /** A group without GPU-model constraints. */
    public PodGroup(String name, String kind, Resources request, int replicas, boolean singlePod, Lifetime lifetime,
                    SourceRef origin) {
        this(name, kind, request, replicas, singlePod, lifetime, origin, List.of());
    }

    public PodGroup {
        gpuModels = GpuModels.of(Objects.requireNonNull(gpuModels, "gpuModels"));
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(origin, "origin");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A pod group name must not be blank.");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("The replicas of " + name + " (" + replicas + ") must be at least 1.");
        }
        if (singlePod && replicas != 1) {
            throw new IllegalArgumentException("A single pod (" + name + ") has exactly one replica.");
        }
        if (template != null && !template.effectiveRequest().equals(request)) {
            throw new IllegalArgumentException("The request of " + name + " (" + request + ") must be its template's ("
                    + template.effectiveRequest() + ").");
        }
    }

    /**
     * The request kube-scheduler's scoring counts for one replica (NodeResourcesFit's "non-zero" requests, and what a node's
     * {@code NonZeroRequested} sums): its containers' {@link PodTemplate#scoringRequest()}, which gives each container
     * without a cpu or memory request the default for it; without containers (CSV profiles, traces: a pod's request only),
     * the default for a pod whose cpu or memory request is 0.
     */
    public Resources scoringRequest() {
        return PodTemplate.scoringRequest(template, request);
    }

    /** The same group with other containers, and the request they add up to. */
    public PodGroup withTemplate(PodTemplate newTemplate) {
        return new PodGroup(name, kind, newTemplate.effectiveRequest(), replicas, singlePod, lifetime, origin, gpuModels, newTemplate,
                placement, priority);
    }

    /** The same group with another request; a container breakdown no longer adds up to it and is dropped. */
    public PodGroup withRequest(Resources newRequest) {
        return new PodGroup(name, kind, newRequest, replicas, singlePod, lifetime, origin, gpuModels,
                template != null && template.effectiveRequest().equals(newRequest) ? template : null, placement, priority);
    }

    /** The same group with {@code n} replicas (a single pod stays one: see {@link Workload#grown}). */
    public PodGroup withReplicas(int n) {
        return new PodGroup(name, kind, request, n, singlePod, lifetime, origin, gpuModels, template, placement, priority);
    }

    /**
     * The same group with its hard spreads' minDomains dropped (1): for pods already running, which the scheduler's filter
     * does not ask again ({@code io.nodesizer.sweep.ZoneSurvival}'s survivors of a zone loss).
     */
    public PodGroup withoutMinDomains() {
        List<Placement.Spread> spreads = placement.spread().stream().map(s -> s.minDomains() == 1 ? s
                : new Placement.Spread(s.maxSkew(), s.hard(), s.term(), 1, s.honorsNodeAffinity(), s.honorsNodeTaints(), s.perRollout())).toList();
        Placement p = new Placement(placement.nodeSelector(), placement.requiredTerms(), placement.tolerations(), placement.namespace(),
                placement.podLabels(), placement.antiAffinity(), placement.affinity(), spreads, placement.preferences());
        return new PodGroup(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels, template, p, priority);
    }

    /** A copy of this group under another name (a single pod's extra copy when a workload grows). */
    public PodGroup named(String newName) {
        return new PodGroup(newName, kind, request, replicas, singlePod, lifetime, origin, gpuModels, template, placement, priority);
    }

    /** The same group with what its pods tell the drain rules ({@link PodTemplate.Eviction}); a group without a pod spec is kept. */
    public PodGroup withEviction(PodTemplate.Eviction eviction) {
        return template == null ? this : new PodGroup(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels,
                template.withEviction(eviction), placement, priority);
    }

    /** The same group with its pod spec's {@code preemptionPolicy} set (as the Priority admission plugin sets it). */
    public PodGroup withPreemptionPolicy(String policy) {
        return template == null ? this : new PodGroup(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels,
                template.withPreemptionPolicy(policy), placement, priority);
    }

    /** Whether its pods may preempt pods of lower priority (not {@code preemptionPolicy: Never}). */
    public boolean preempts() {
        return template == null || template.preempts();
    }

    /** The same group at another priority. */
    public PodGroup withPriority(int newPriority) {
        return newPriority == priority ? this
                : new PodGroup(name, kind, request, replicas, singlePod, lifetime, origin, gpuModels, template, placement, newPriority);
    }

    /**
     * Whose GPUs the pod asks for ({@link GpuVendors}): the vendor of the GPU resource its
     * containers name; NVIDIA's for an openb trace row (Alibaba's cluster is an NVIDIA fleet: every
     * model its lists name is an NVIDIA chip, P100, T4, V100, A10, and its GPU sharing NVIDIA's
     * device's); "" for any (a CSV profile's row gives a plain GPU count).
     */
    public String gpuVendor() {
        return template != null ? template.gpuVendor() : kind.equals(OPENB) ? GpuVendors.NVIDIA : "";
    }

    /** The {@link #kind} of an Alibaba openb trace's pods. */
    public static final String OPENB = "openb";

    /**
     * Whether the GPUs of a node of {@code shape} serve this pod: it asks for none, or the shape's
     * GPU model is one it allows ({@link GpuModels}) and its vendor's device plugin serves the GPU
     * resource it names ({@link GpuVendors}).
     */
    public boolean gpusServedBy(NodeShape shape) {
        return request.gpuMillis() == 0 || GpuModels.allows(gpuModels, GpuModels.board(shape)) && GpuVendors.allows(gpuVendor(), shape.gpuVendor());
    }

    /** The name of replica {@code index} as reported in assignments. */
    public String podName(int index) {
        return singlePod ? name : name + "-" + index;
    }

    /**
     * Arrival and departure in seconds from the trace start. {@code departureSeconds} is
     * {@code null} for a pod still running when the trace ends.
     */
    public record Lifetime(long arrivalSeconds, Long departureSeconds, Long startSeconds, boolean finished) {
        /**
         * @param startSeconds when the traced cluster started it (openb's {@code scheduled_time}), null when not known or
         *                     never: what it ran, departure less start, is its run time ({@link #runSeconds})
         * @param finished     whether the trace says its run ended at its departure (openb's {@code pod_phase} Succeeded or
         *                     Failed), so that a departure at the trace's last instant is a completion, not the trace being
         *                     taken while it ran (openb gives running pods its last second too)
         */
        public Lifetime {
            if (arrivalSeconds < 0 || (departureSeconds != null && departureSeconds < arrivalSeconds)) {
                throw new IllegalArgumentException(
                        "A lifetime needs 0 <= arrival <= departure; got " + arrivalSeconds + ".." + departureSeconds);
            }
        }

        public Lifetime(long arrivalSeconds, Long departureSeconds) {
            this(arrivalSeconds, departureSeconds, null, false);
        }

        public Lifetime(long arrivalSeconds, Long departureSeconds, Long startSeconds) {
            this(arrivalSeconds, departureSeconds, startSeconds, false);
        }

        /**
         * How long the pod ran in the trace: departure less its start when that lies between arrival and departure, else
         * less its arrival (a pod the traced cluster never started); null when it has no departure.
         */
        public Long runSeconds() {
            if (departureSeconds == null) {
                return null;
            }
            return departureSeconds - (startSeconds != null && !startOutsideLife() ? startSeconds : arrivalSeconds);
        }

        /**
         * Whether the start is given but lies outside arrival..departure (a start after the pod's deletion, or before its
         * creation): a contradiction {@link #runSeconds} reads as a pod never started, counting its run from arrival.
         */
        public boolean startOutsideLife() {
            return startSeconds != null && departureSeconds != null && (startSeconds < arrivalSeconds || startSeconds > departureSeconds);
        }
    }
}
