package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything read from the user's inputs: pod groups in input order (the arrival order for the
 * online strategies), DaemonSets (per-node overhead) and the objects that were recognised but
 * not packed.
 */
public record Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored,
                       List<String> sources, List<Autoscaling> autoscalers, List<ContainerDefaults> containerDefaults,
                       List<RuntimeClassSpec> runtimeClasses, List<NamespaceSpec> namespaces, List<PriorityClassSpec> priorityClasses) {
    /**
     * @param containerDefaults the LimitRanges' container defaults read with the manifests, applied
     *                          once every input is read (a LimitRange may come in another file than
     *                          the pods it defaults) and kept after, for rightsize to check new requests against
     * @param runtimeClasses    the RuntimeClasses read with the manifests, likewise applied once every
     *                          input is read (cluster-scoped, usually in another file than the pods)
     * @param namespaces        the Namespace objects read with the manifests, whose labels resolve pod
     *                          affinity terms' namespaceSelectors once every input is read
     * @param priorityClasses   the PriorityClasses read with the manifests, resolved into the pods'
     *                          priorities once every input is read (cluster-scoped, usually in another file)
     */
    public Workload {
        groups = List.copyOf(groups);
        daemonSets = List.copyOf(daemonSets);
        ignored = List.copyOf(ignored);
        sources = List.copyOf(sources);
        autoscalers = List.copyOf(autoscalers);
        containerDefaults = List.copyOf(containerDefaults);
        runtimeClasses = List.copyOf(runtimeClasses);
        namespaces = List.copyOf(namespaces);
        priorityClasses = List.copyOf(priorityClasses);
    }

    /** A workload without PriorityClass objects (or with them already resolved). */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources,
                    List<Autoscaling> autoscalers, List<ContainerDefaults> containerDefaults, List<RuntimeClassSpec> runtimeClasses,
                    List<NamespaceSpec> namespaces) {
        this(groups, daemonSets, ignored, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, List.of());
    }

    /** A workload without Namespace objects. */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources,
                    List<Autoscaling> autoscalers, List<ContainerDefaults> containerDefaults, List<RuntimeClassSpec> runtimeClasses) {
        this(groups, daemonSets, ignored, sources, autoscalers, containerDefaults, runtimeClasses, List.of());
    }

    /** A workload without RuntimeClasses. */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources,
                    List<Autoscaling> autoscalers, List<ContainerDefaults> containerDefaults) {
        this(groups, daemonSets, ignored, sources, autoscalers, containerDefaults, List.of());
    }

    /** A workload without LimitRanges. */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources,
                    List<Autoscaling> autoscalers) {
        this(groups, daemonSets, ignored, sources, autoscalers, List.of());
    }

    /** A workload without HorizontalPodAutoscalers. */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources) {
        this(groups, daemonSets, ignored, sources, List.of());
    }

    /** The single pods (trace rows, bare Pods) {@link #grown} copies: not a Job's, whose pods run as its parallelism says. */
    public long singlesCopiedByGrowth() {
        return groups.stream().filter(Workload::copiedByGrowth).count();
    }

    private static boolean copiedByGrowth(PodGroup g) {
        return g.singlePod() && !isJob(g);
    }

    /**
     * The workload at {@code factor} times its size ({@code --growth}): a replicated group runs
     * ⌈replicas × factor⌉ replicas (at least one: a Deployment does not vanish); single pods (trace
     * pods, bare Pods) become round(n × factor) pods in all — each kept ⌊factor⌋ times, and the rest
     * taken in an order fixed by a hash of their names, so the same input grows the same way every
     * time. A single pod's extra copies are named {@code NAME~1}, {@code NAME~2}, … DaemonSets
     * (per node), Jobs and CronJobs (min(parallelism, completions) pods at once, whatever the load)
     * and HorizontalPodAutoscalers stay as they are.
     */
    public Workload grown(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("growth " + factor);
        }
        if (factor == 1) {
            return this;
        }
        List<Integer> singles = new java.util.ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (copiedByGrowth(groups.get(i))) {
                singles.add(i);
            }
        }
        long target = Math.round(singles.size() * factor);
        int whole = (int) Math.floor(factor);
        long extra = target - (long) whole * singles.size(); // pods beyond ⌊factor⌋ copies each, 0 <= extra < n
        List<Integer> byHash = new java.util.ArrayList<>(singles);
        byHash.sort(java.util.Comparator.comparingInt((Integer i) -> mix(groups.get(i).name())).thenComparing(i -> i));
        java.util.Set<Integer> oneMore = new java.util.HashSet<>(byHash.subList(0, (int) Math.max(0, Math.min(extra, byHash.size()))));
        List<PodGroup> out = new java.util.ArrayList<>();
        // A copy's name is NAME~k with the least k no pod has: a trace may have x~1 of its own (QA 57a F5: two pods named
        // x~1 could not be told apart in the assignments).
        java.util.Set<String> taken = new java.util.HashSet<>();
        groups.forEach(g -> taken.add(g.name()));
        java.util.Map<String, Integer> nextCopy = new java.util.HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            PodGroup g = groups.get(i);
            if (isJob(g)) {
                out.add(g); // a Job runs min(parallelism, completions) pods at once, whatever the load
                continue;
            }
            if (!g.singlePod()) {
                out.add(g.withReplicas(grownReplicas(g.replicas(), factor)));
                continue;
            }
            int copies = whole + (oneMore.contains(i) ? 1 : 0);
            for (int c = 0; c < copies; c++) {
                if (c == 0) {
                    out.add(g);
                    continue;
                }
                int k = nextCopy.getOrDefault(g.name(), 1);
                while (taken.contains(g.name() + "~" + k)) {
                    k++;
                }
                taken.add(g.name() + "~" + k);
                nextCopy.put(g.name(), k + 1);
                out.add(g.named(g.name() + "~" + k));
            }
        }
        return new Workload(out, daemonSets, ignored, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, priorityClasses);
    }

    /** A replicated group's replicas at {@code factor}: ⌈replicas × factor⌉, at least one (a Deployment does not vanish). */
    private static int grownReplicas(int replicas, double factor) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (long) Math.ceil(replicas * factor - 1e-9)));
    }

    /**
     * The pods {@link #grown}{@code (factor)} holds, counted without making it: ⌈replicas × factor⌉ (at least one) a replicated
     * group, round(n × factor) the single pods together, a Job's as they are.
     */
    public long podCountGrownBy(double factor) {
        long pods = 0;
        long singles = 0;
        for (PodGroup g : groups) {
            if (isJob(g) || factor == 1) {
                pods += g.replicas();
            } else if (!g.singlePod()) {
                pods += grownReplicas(g.replicas(), factor);
            } else {
                singles++;
            }
        }
        return pods + Math.round(singles * factor);
    }

    /**
     * Whether demand scales {@code g}: a group of replicas, not a single pod (a trace row, a bare Pod: {@link #grown} copies
     * those, a surge cannot) nor a Job's or CronJob's pods, which run min(parallelism, completions) whatever the load.
     */
    public static boolean scalesWithDemand(PodGroup g) {
        return !g.singlePod() && !isJob(g);
    }

    /** A Job's or CronJob's pods, which {@link #grown} leaves as they are. */
    private static boolean isJob(PodGroup g) {
        return "Job".equals(g.kind()) || "CronJob".equals(g.kind());
    }

    /** A well-spread hash of a name (String.hashCode clusters on names that differ in the last digits). */
    private static int mix(String name) {
        long h = name.hashCode() * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    public static Workload of(List<PodGroup> groups) {
        return new Workload(groups, List.of(), List.of(), List.of());
    }

    /** Total number of pods (replicas summed). */
    public long podCount() {
        long n = 0;
        for (PodGroup g : groups) {
            n += g.replicas();
        }
        return n;
    }

    /** Concatenates several inputs, keeping their order. */
    public Workload plus(Workload other) {
        Objects.requireNonNull(other);
        return new Workload(concat(groups, other.groups), concat(daemonSets, other.daemonSets),
                concat(ignored, other.ignored), concat(sources, other.sources), concat(autoscalers, other.autoscalers),
                concat(containerDefaults, other.containerDefaults), concat(runtimeClasses, other.runtimeClasses),
                concat(namespaces, other.namespaces), concat(priorityClasses, other.priorityClasses));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        var out = new java.util.ArrayList<T>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** The same workload with other pod groups. */
    public Workload withGroups(List<PodGroup> newGroups) {
        return new Workload(newGroups, daemonSets, ignored, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, priorityClasses);
    }

    /**
     * This workload with the workloads left out at zero replicas whose names {@code named} takes packed again from their idle
     * group of one replica (a demand file scales them up: QA 69a F5), and no longer among the ignored objects.
     */
    public Workload withIdleGroups(java.util.function.Predicate<String> named) {
        List<PodGroup> all = new java.util.ArrayList<>(groups);
        List<IgnoredObject> still = new java.util.ArrayList<>();
        for (IgnoredObject o : ignored) {
            if (o.idle() != null && named.test(o.idle().name())) {
                all.add(o.idle());
            } else {
                still.add(o);
            }
        }
        return new Workload(all, daemonSets, still, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, priorityClasses);
    }

    /** This workload without the ignored objects {@code drop} takes (a note a command finds untrue of its run). */
    public Workload withoutIgnored(java.util.function.Predicate<IgnoredObject> drop) {
        List<IgnoredObject> kept = ignored.stream().filter(o -> !drop.test(o)).toList();
        return new Workload(groups, daemonSets, kept, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, priorityClasses);
    }

    /** This workload with {@code more} listed after its ignored objects (a note a command adds on what it reads of the pods). */
    public Workload withIgnored(List<IgnoredObject> more) {
        List<IgnoredObject> all = new java.util.ArrayList<>(ignored);
        all.addAll(more);
        return new Workload(groups, daemonSets, all, sources, autoscalers, containerDefaults, runtimeClasses, namespaces, priorityClasses);
    }
}
