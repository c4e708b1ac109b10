package io.nodesizer.rightsize;

import java.util.List;

/**
 * One container's requests before and after.
 *
 * @param kind               the workload's kind (Deployment, StatefulSet, …)
 * @param replicas           pods of the workload in the packed workload; 0 for a DaemonSet, which runs one pod per node
 * @param requestCpuMillis   today's CPU request, null when it has none
 * @param requestMemoryBytes today's memory request, null when it has none
 * @param limitCpuMillis     CPU limit, null when none
 * @param limitMemoryBytes   memory limit, null when none
 * @param cpu                CPU usage, null when there is none
 * @param memory             memory usage, null when there is none
 * @param recommendedCpuMillis   the new CPU request (today's when usage does not decide it; null when it has none and stays so)
 * @param recommendedMemoryBytes likewise for memory
 * @param flags              see {@link Flag}, in its order
 * @param cpuFromUsage       the CPU recommendation comes from usage (else it is today's request, kept)
 * @param memoryFromUsage    likewise for memory
 * @param shares             where the workload's pods run several templates (a rollout in progress, a VerticalPodAutoscaler's
 *                           per-pod requests), the pods of each that have the container and its requests there; empty when
 *                           every pod runs the one template {@code request*} describes
 */
public record ContainerAdvice(WorkloadId workload, String kind, String container, int replicas,
                              Long requestCpuMillis, Long requestMemoryBytes, Long limitCpuMillis, Long limitMemoryBytes,
                              UsageStats cpu, UsageStats memory, Long recommendedCpuMillis, Long recommendedMemoryBytes,
                              List<Flag> flags, boolean cpuFromUsage, boolean memoryFromUsage, List<Share> shares) {
    public ContainerAdvice {
        flags = List.copyOf(flags);
        shares = List.copyOf(shares);
    }

    /** Pods of one template: how many, and the container's requests in it (null: none). */
    public record Share(int replicas, Long cpuMillis, Long memoryBytes) {
    }

    /** This advice with the pods of each template ({@link #shares}). */
    public ContainerAdvice withShares(List<Share> of) {
        return new ContainerAdvice(workload, kind, container, replicas, requestCpuMillis, requestMemoryBytes, limitCpuMillis, limitMemoryBytes,
                cpu, memory, recommendedCpuMillis, recommendedMemoryBytes, flags, cpuFromUsage, memoryFromUsage, of);
    }

    /**
     * Today's CPU request over all replicas in millicores, each pod at its own (a double: many replicas of a request near the
     * cap are beyond a long).
     */
    public double requestCpuTotal() {
        return total(Share::cpuMillis, false, null);
    }

    /** {@link #requestCpuTotal} for memory, in bytes. */
    public double requestMemoryTotal() {
        return total(Share::memoryBytes, false, null);
    }

    /**
     * The CPU request over all replicas after the advice, as the packing after takes it: the new request where usage decides
     * it and no LimitRange refuses it, else each pod's own.
     */
    public double afterCpuTotal() {
        return total(Share::cpuMillis, !has(Flag.LIMIT_RANGE) && (cpuFromUsage || shares.isEmpty()), recommendedCpuMillis);
    }

    /** {@link #afterCpuTotal} for memory. */
    public double afterMemoryTotal() {
        return total(Share::memoryBytes, !has(Flag.LIMIT_RANGE) && (memoryFromUsage || shares.isEmpty()), recommendedMemoryBytes);
    }

    /** Over the pods, {@code recommended} where {@code changed}, else each pod's own request. */
    private double total(java.util.function.Function<Share, Long> own, boolean changed, Long recommended) {
        double sum = 0;
        for (Share p : shares.isEmpty() ? List.of(new Share(replicas, requestCpuMillis, requestMemoryBytes)) : shares) {
            Long r = changed ? recommended : own.apply(p);
            sum += (r == null ? 0.0 : r) * p.replicas();
        }
        return sum;
    }

    /**
     * This advice with other recommended requests (brought within a LimitRange), its {@link Flag#REQUEST_ABOVE_LIMIT} as they
     * make it.
     */
    public ContainerAdvice withRecommended(Long cpuMillis, Long memoryBytes) {
        List<Flag> more = new java.util.ArrayList<>(flags);
        more.remove(Flag.REQUEST_ABOVE_LIMIT);
        ContainerAdvice out = new ContainerAdvice(workload, kind, container, replicas, requestCpuMillis, requestMemoryBytes, limitCpuMillis,
                limitMemoryBytes, cpu, memory, cpuMillis, memoryBytes, more, cpuFromUsage, memoryFromUsage, shares);
        return out.raisesCpuLimit() || out.raisesMemoryLimit() ? out.withFlag(Flag.REQUEST_ABOVE_LIMIT) : out;
    }

    /** This advice with {@code flag} added. */
    public ContainerAdvice withFlag(Flag flag) {
        List<Flag> more = new java.util.ArrayList<>(flags);
        more.add(flag);
        return new ContainerAdvice(workload, kind, container, replicas, requestCpuMillis, requestMemoryBytes, limitCpuMillis, limitMemoryBytes,
                cpu, memory, recommendedCpuMillis, recommendedMemoryBytes, more, cpuFromUsage, memoryFromUsage, shares);
    }

    public enum Flag {
        /** No usage at all: the requests stay as they are. */
        NO_USAGE("no-usage"),
        /** Too few samples or too short a history for a metric: that request stays. */
        LITTLE_DATA("little-data"),
        /** No CPU request (nor a limit it could default from): the scheduler counts 0. */
        NO_CPU_REQUEST("no-cpu-request"),
        /** No memory request: the scheduler counts 0 and the pod is first to be evicted. */
        NO_MEMORY_REQUEST("no-memory-request"),
        /** The busiest pod's CPU usage at the percentile is above the request: it loses CPU when the node is busy. */
        CPU_ABOVE_REQUEST("cpu-above-request"),
        /** The peak working set is above the memory request: eviction and OOM risk under node memory pressure. */
        MEMORY_ABOVE_REQUEST("memory-above-request"),
        /** CPU usage at the percentile is at 90 % or more of the CPU limit: CFS throttling. */
        CPU_NEAR_LIMIT("cpu-near-limit"),
        /** The peak working set is at 90 % or more of the memory limit: OOM-kill risk. */
        MEMORY_NEAR_LIMIT("memory-near-limit"),
        /** The new request is above the container's limit: raise the limit too (the API server rejects request > limit). */
        REQUEST_ABOVE_LIMIT("request-above-limit"),
        /**
         * A LimitRange of the namespace would refuse the pods with the new requests (and the limits
         * raised to them where they were below) even after the recommendation is brought within its
         * min, max and maxLimitRequestRatio as the VPA caps it: no request meets them all. The
         * recommendation needs the range changed first; {@code --patches} leaves it as a comment.
         */
        LIMIT_RANGE("limit-range"),
        /**
         * A HorizontalPodAutoscaler scales the workload on the utilisation of a resource whose
         * request changes: utilisation is usage / request, so it will scale at other loads. Review its target.
         */
        HPA("hpa"),
        /**
         * Every container of its pods requests exactly its limits for CPU and memory: the pods are Guaranteed (QoS). New
         * requests alone would make them Burstable (evicted before Guaranteed pods under node pressure, and no exclusive CPUs
         * under the kubelet's static CPU manager), so {@code --patches} sets the limits to the new requests too (QA 59b F4).
         */
        GUARANTEED("guaranteed"),
        /**
         * The snapshot's status shows the container OOM-killed (its current or last termination): its memory request is not
         * cut, and is at least the VPA recommender's OOM bump of what it reached (its limit).
         */
        OOM_KILLED("oom-killed");

        private final String label;

        Flag(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Over-use: the container uses more than it asks for, or close to its limit. */
        public boolean overUse() {
            return this == CPU_ABOVE_REQUEST || this == MEMORY_ABOVE_REQUEST || this == CPU_NEAR_LIMIT || this == MEMORY_NEAR_LIMIT
                    || this == OOM_KILLED;
        }

        /** A request is missing. */
        public boolean missingRequest() {
            return this == NO_CPU_REQUEST || this == NO_MEMORY_REQUEST;
        }
    }

    /** A DaemonSet's container: its request is charged once per node. */
    public boolean perNode() {
        return "DaemonSet".equals(kind) && replicas == 0;
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    /**
     * Usage more than a tenth above the limit, which the CFS quota keeps CPU under and the OOM killer memory: the limit was
     * not what the container ran under, or the usage is in another unit (a tenth is left to sampling: a rate over a window,
     * or a cgroup read at another instant than its limit).
     */
    private static final double ABOVE_LIMIT = 1.1;

    /** The busiest pod's CPU at the percentile more than a tenth above the CPU limit ({@link #ABOVE_LIMIT}). */
    public boolean cpuAboveLimit() {
        return cpu != null && limitCpuMillis != null && limitCpuMillis > 0 && cpu.target() > ABOVE_LIMIT * limitCpuMillis;
    }

    /** The memory peak more than a tenth above the memory limit ({@link #ABOVE_LIMIT}). */
    public boolean memoryAboveLimit() {
        return memory != null && limitMemoryBytes != null && limitMemoryBytes > 0 && memory.max() > ABOVE_LIMIT * limitMemoryBytes;
    }

    /** Whether the recommended CPU request differs from today's (it equals today's where usage decides nothing). */
    public boolean changesCpu() {
        return !java.util.Objects.equals(requestCpuMillis, recommendedCpuMillis);
    }

    /** Whether the recommended memory request differs from today's. */
    public boolean changesMemory() {
        return !java.util.Objects.equals(requestMemoryBytes, recommendedMemoryBytes);
    }

    /** Whether the new CPU request is above the container's limit, so the limit must rise to it (as --patches does). */
    public boolean raisesCpuLimit() {
        return limitCpuMillis != null && recommendedCpuMillis != null && recommendedCpuMillis > limitCpuMillis;
    }

    /** Whether {@code --patches} sets the CPU limit to the new request: raised to it, or kept equal to it in a Guaranteed pod. */
    public boolean setsCpuLimit() {
        return raisesCpuLimit() || has(Flag.GUARANTEED) && recommendedCpuMillis != null && changesCpu();
    }

    /** {@link #setsCpuLimit} for memory. */
    public boolean setsMemoryLimit() {
        return raisesMemoryLimit() || has(Flag.GUARANTEED) && recommendedMemoryBytes != null && changesMemory();
    }

    /** Whether the new memory request is above the container's limit. */
    public boolean raisesMemoryLimit() {
        return limitMemoryBytes != null && recommendedMemoryBytes != null && recommendedMemoryBytes > limitMemoryBytes;
    }

}
