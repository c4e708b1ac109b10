package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.input.SourceLocation;
import io.nodesizer.model.Autoscaling;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HorizontalPodAutoscalers applied to the replicas of the workloads they scale, from whichever
 * input file each comes. The HPA controller keeps its target's replicas within [minReplicas,
 * maxReplicas] from its first sync (pkg/controller/podautoscaler: a count outside the bounds is
 * corrected whatever the metrics say), and leaves a target scaled to zero alone (autoscaling is
 * then disabled). Helm charts commonly leave {@code spec.replicas} out when an HPA is on, so
 * without this a chart's Deployment would be packed at the API server's default of one replica.
 * A KEDA ScaledObject runs such an HPA, with at least one replica while a trigger is active and
 * {@code minReplicaCount} (0 by default) when every one is idle; its bounds apply the same way, and
 * to a target written at {@code spec.replicas: 0} too, which KEDA scales up from when a trigger
 * fires (such a target is then packed, after the groups read from the inputs).
 */
public final class HorizontalPodAutoscalers {
    /** How the reason of a workload left out of the packing begins. */
    private static final String NOT_PACKED = "not packed: ";

    /** The kinds with a scale subresource that nodesizer packs. */
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController",
            ManifestReader.ROLLOUT);

    private HorizontalPodAutoscalers() {
    }

    /** How the HPAs set their targets' replicas ({@code --hpa}). */
    public enum Mode {
        /** {@code spec.replicas} kept within [minReplicas, maxReplicas], as the controller keeps them whatever the load. */
        MIN,
        /** At maxReplicas: every HPA at its ceiling, the peak to plan for. */
        MAX,
        /** {@code spec.replicas} as written. */
        IGNORE;

        /** The mode an {@code --hpa} value names; anything else exits 2 with what it takes. */
        public static Mode parse(String value) {
            if (value == null) {
                return MIN;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "min" -> MIN;
                case "max" -> MAX;
                case "ignore" -> IGNORE;
                default -> throw new InputException(SourceLocation.ofFile("--hpa"), "Unknown --hpa '" + value
                        + "': expected min (replicas kept within each HPA's minReplicas..maxReplicas, the default), max (every HPA at "
                        + "maxReplicas) or ignore (spec.replicas as written).");
            };
        }
    }

    /**
     * The workload with each HPA's target at the replicas {@code mode} gives it, and every HPA
     * listed with what it did (as the other objects that are not workloads are).
     */
    public static Workload apply(Workload w, Mode mode) {
        if (w.autoscalers().isEmpty()) {
            return w;
        }
        Map<String, Integer> index = targets(w);
        List<PodGroup> groups = new ArrayList<>(w.groups());
        List<IgnoredObject> ignored = new ArrayList<>(w.ignored());
        Map<Integer, Autoscaling> scaledBy = new HashMap<>();
        Map<Integer, List<Autoscaling>> shared = shared(w, index);
        Map<Integer, int[]> sharedAt = new HashMap<>(); // per shared target: {replicas as written, replicas given}
        Set<String> missing = new HashSet<>();
        List<Autoscaling> refused = new ArrayList<>();
        for (Autoscaling a : w.autoscalers()) {
            String display = ManifestReader.fullName(a.namespace(), a.name());
            String target = a.targetKind() + " " + ManifestReader.fullName(a.namespace(), a.targetName());
            if (a.refused() != null) {
                refused.add(a); // scales nothing: not kept for --growth's caps or rightsize's flags either
                ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: " + a.refused()));
                continue;
            }
            Integer at = find(index, a);
            int zero = at == null ? scaledToZero(ignored, a) : -1;
            if (zero >= 0) {
                // KEDA scales its target up from zero when a trigger fires; the HPA controller leaves a
                // target at zero alone. So a ScaledObject's target is packed at what the mode gives it.
                int n = replicas(0, a, mode);
                if (!a.keda() || n < 1) {
                    ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: its target " + target
                            + " is at zero replicas, " + (!a.keda() ? "which turns the HPA off"
                            : mode == Mode.IGNORE ? "as written (--hpa ignore); KEDA scales it up from there when a trigger fires"
                            : a.isPaused() ? "where the ScaledObject is paused (autoscaling.keda.sh/paused"
                            + (a.paused() == Autoscaling.PAUSED_AS_IS ? ")" : "-replicas: 0)")
                            : "and its maxReplicaCount is 0")));
                    continue;
                }
                groups.add(ignored.remove(zero).idle());
                at = groups.size() - 1;
                index.putIfAbsent(a.targetKind() + " " + ManifestReader.fullName(a.namespace(), a.targetName()), at);
                scaledBy.put(at, a);
                groups.set(at, groups.get(at).withReplicas(n));
                ignored.add(new IgnoredObject(a.kind(), display, a.origin(), describe(a, target, 0, n, mode)));
                continue;
            }
            if (at == null) {
                // Among the inputs but left out (review 69 #8: the note said it was not there; review 70 #7: so did it for a workload
                // left out beside those, or for any other reason a workload is not packed).
                IgnoredObject left = a.targetKind() == null ? null : ignored.stream().filter(o -> o.reason().startsWith(NOT_PACKED)
                        && o.kind().equals(a.targetKind()) && o.name().equals(ManifestReader.fullName(a.namespace(), a.targetName())))
                        .findFirst().orElse(null);
                if (left != null && left.leftOutForGpuShares()) {
                    ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: its target " + target + " (" + left.origin()
                            + ") is left out for the shares of NVIDIA GPUs its pods request, which nodesizer does not size"));
                } else if (left != null) {
                    ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: its target " + target + " (" + left.origin()
                            + ") is left out: " + left.reason().substring(NOT_PACKED.length())));
                } else if (missing.add(display)) {
                    ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: its target "
                            + (a.targetKind() == null ? "(no kind) " + a.targetName() : target) + " is not among the inputs"
                            + (a.targetKind() != null && !SCALABLE.contains(a.targetKind()) ? " (HPAs scale Deployments, "
                            + "StatefulSets, ReplicaSets, ReplicationControllers and Argo Rollouts here)" : "") + meant(index, a)));
                }
                continue;
            }
            List<Autoscaling> sharing = shared.get(at);
            if (sharing != null) {
                // Both HPAs act (QA 74 F1): each clamps the target to its own bounds, and neither scales on metrics.
                scaledBy.putIfAbsent(at, a);
                int[] at2 = sharedAt.get(at);
                if (at2 == null) {
                    int spec = groups.get(at).replicas();
                    at2 = new int[] {spec, mode == Mode.IGNORE ? spec : steady(spec, sharing)};
                    sharedAt.put(at, at2);
                    groups.set(at, groups.get(at).withReplicas(at2[1]));
                }
                ignored.add(new IgnoredObject(a.kind(), display, a.origin(), describeShared(a, sharing, target, at2[0], at2[1], mode)));
                continue;
            }
            Autoscaling first = scaledBy.putIfAbsent(at, a);
            if (first != null) {
                // Only beside a paused ScaledObject (KEDA holds the target, whatever the HPA does) or a target KEDA revives from zero.
                String firstName = ManifestReader.fullName(first.namespace(), first.name()) + " (" + first.origin() + ")";
                ignored.add(new IgnoredObject(a.kind(), display, a.origin(), "not applied: " + (a.isPaused()
                        ? "paused, beside " + firstName + ", which already sets " + target
                        : firstName + " already sets " + target + (first.isPaused() ? ": a paused ScaledObject holds it whatever the load"
                        : " from zero replicas (KEDA's activation), and the controller scales no target two HPAs select on metrics "
                        + "(AmbiguousSelector)"))));
                continue;
            }
            PodGroup g = groups.get(at);
            int spec = g.replicas();
            int n = replicas(spec, a, mode);
            if (n == 0) {
                // Paused at zero (paused-replicas: 0): the target runs no pod. Its slot is emptied, not removed,
                // so that the positions in the index hold until every HPA is read.
                groups.set(at, null);
                ignored.add(new IgnoredObject(g.kind(), g.name(), g.origin(), "not packed: held at zero replicas by paused ScaledObject "
                        + display + " (autoscaling.keda.sh/paused-replicas: 0)", g.withReplicas(1)));
            } else if (n != spec) {
                groups.set(at, g.withReplicas(n));
            }
            ignored.add(new IgnoredObject(a.kind(), display, a.origin(), describe(a, target, spec, n, mode)));
        }
        groups.removeIf(java.util.Objects::isNull);
        // The autoscaler that applies to a target first, then the others as read: capGrowth caps with the first.
        Set<Autoscaling> applied = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        applied.addAll(scaledBy.values());
        List<Autoscaling> ordered = new ArrayList<>(w.autoscalers().stream().filter(applied::contains).toList());
        w.autoscalers().stream().filter(a -> !applied.contains(a) && !refused.contains(a)).forEach(ordered::add);
        return new Workload(groups, w.daemonSets(), ignored, w.sources(), ordered, w.containerDefaults(), w.runtimeClasses(),
                w.namespaces());
    }

    /**
     * The workload after {@code --growth}, with no HPA target above its maxReplicas: the HPA
     * controller never runs more, so demand beyond that is not pods to place ({@code --hpa ignore}
     * leaves the grown replicas as they are). Each target it caps is listed.
     */
    public static Workload capGrowth(Workload grown, Mode mode) {
        if (grown.autoscalers().isEmpty() || mode == Mode.IGNORE) {
            return grown;
        }
        Map<String, Integer> index = targets(grown);
        List<PodGroup> groups = new ArrayList<>(grown.groups());
        List<IgnoredObject> ignored = new ArrayList<>(grown.ignored());
        Set<Integer> seen = new HashSet<>(); // the first autoscaler of a target is the one apply() applied (it puts those first)
        Map<Integer, List<Autoscaling>> shared = shared(grown, index);
        boolean capped = false;
        for (Autoscaling first : grown.autoscalers()) {
            Integer at = find(index, first);
            // Two HPAs on one target: each clamps it to its maxReplicas, so the lowest of them caps it.
            Autoscaling a = at == null || !shared.containsKey(at) ? first : shared.get(at).stream().filter(Autoscaling::hasMax)
                    .min(java.util.Comparator.comparingInt(Autoscaling::maxReplicas)).orElse(first);
            if (at == null || !seen.add(at) || !a.hasMax()) {
                continue;
            }
            // HPAs whose ranges do not overlap fight, and the target runs up to the highest minimum, above the lowest maximum
            // (steady): growth is capped there, not lower than apply() packs it (review 74b #1: --growth 1 shrank 5 to 3).
            int cap = shared.containsKey(at) ? Math.max(a.maxReplicas(), highestMin(shared.get(at))) : a.maxReplicas();
            if (groups.get(at).replicas() <= cap) {
                continue;
            }
            capped = true;
            PodGroup g = groups.get(at);
            String why = cap == a.maxReplicas() ? "at its " + a.maxField() + ", " + cap + " replicas"
                    : "at " + cap + " replicas, the highest minReplicas of the HPAs it is held between (their ranges do not overlap: they fight)";
            // "applied": it changed the result, so it is listed with the objects applied, not as ignored (QA 64a F14).
            groups.set(at, g.withReplicas(cap));
            ignored.add(new IgnoredObject(a.kind(), ManifestReader.fullName(a.namespace(), a.name()), a.origin(), "applied: caps --growth: "
                    + a.targetKind() + " " + g.name() + " " + why + ", not " + g.replicas() + " (--hpa ignore grows it past that)"));
        }
        return !capped ? grown : new Workload(groups, grown.daemonSets(), ignored, grown.sources(), grown.autoscalers(),
                grown.containerDefaults(), grown.runtimeClasses(), grown.namespaces());
    }

    /**
     * Per workload name, the autoscaler whose replicas range a replay's demand is held within: the HPA controller never
     * runs fewer than minReplicas nor more than maxReplicas, whatever the load ({@code --hpa ignore}: none; a paused
     * ScaledObject, which holds its target whatever the load, is left out too).
     */
    public static Map<String, Autoscaling> bounding(Workload w, Mode mode) {
        Map<String, Autoscaling> out = new java.util.LinkedHashMap<>();
        if (mode == Mode.IGNORE || w.autoscalers().isEmpty()) {
            return out;
        }
        Map<String, Integer> index = targets(w);
        Set<Integer> seen = new HashSet<>(); // the first autoscaler of a target is the one apply() applied
        Map<Integer, List<Autoscaling>> shared = shared(w, index);
        for (Autoscaling a : w.autoscalers()) {
            Integer at = find(index, a);
            if (at != null && seen.add(at) && !a.isPaused()) {
                PodGroup g = w.groups().get(at);
                List<Autoscaling> sharing = shared.get(at);
                // Two HPAs on one target scale it on no metric (AmbiguousSelector): it stays at the replicas apply() gave it.
                out.put(g.name(), sharing == null ? a : new Autoscaling(a.kind(), a.namespace(), String.join(" and ", sharing.stream()
                        .map(Autoscaling::name).toList()), a.targetKind(), a.targetName(), a.utilization(), a.origin(), g.replicas(), g.replicas()));
            }
        }
        return out;
    }

    /**
     * The targets (their place in {@link #targets}) that two or more autoscalers of {@code w} scale, none of them paused, with
     * those autoscalers as read. The HPA controller's reconcileAutoscaler (pkg/controller/podautoscaler/horizontal.go) clamps
     * the target's replicas to each HPA's minReplicas..maxReplicas before anything else; only then, in computeReplicasForMetrics,
     * does validateAndParseSelector find the pods selected by more than one HPA (hpasControllingPodsUnderSelector) and stop
     * with AmbiguousSelector (ScalingActive False). So every HPA's bounds apply and none scales on its metrics.
     */
    private static Map<Integer, List<Autoscaling>> shared(Workload w, Map<String, Integer> index) {
        Map<Integer, List<Autoscaling>> by = new java.util.LinkedHashMap<>();
        for (Autoscaling a : w.autoscalers()) {
            Integer at = a.refused() == null ? find(index, a) : null;
            // After apply(), one it did not apply (an HPA whose target was at zero, which KEDA revived) shares nothing.
            boolean notApplied = w.ignored().stream().anyMatch(o -> o.kind().equals(a.kind()) && o.origin().equals(a.origin())
                    && o.reason().startsWith("not applied"));
            if (at != null && !notApplied && w.groups().get(at).replicas() > 0) {
                by.computeIfAbsent(at, k -> new ArrayList<>()).add(a);
            }
        }
        by.values().removeIf(l -> l.size() < 2 || l.stream().anyMatch(Autoscaling::isPaused));
        return by;
    }

    /**
     * Where HPAs sharing a target leave it from {@code spec} replicas: each sync clamps it into each one's range, so it ends
     * in their common range (at the highest minimum or the lowest maximum, whichever side it came from). When the ranges do
     * not overlap the HPAs fight, one lowering it to its maximum and the next raising it to its minimum at every sync (the
     * clamp bypasses the scale-down stabilization window): the higher of the two, the highest minimum, is what must fit.
     */
    static int steady(int spec, List<Autoscaling> sharing) {
        int lo = highestMin(sharing);
        int hi = lowestMax(sharing);
        return lo > hi ? lo : Math.min(Math.max(spec, lo), hi);
    }

    private static int highestMin(List<Autoscaling> sharing) {
        return sharing.stream().mapToInt(Autoscaling::activeMin).max().orElse(1);
    }

    /** The lowest maxReplicas of {@code sharing}, or Integer.MAX_VALUE when none gives one. */
    private static int lowestMax(List<Autoscaling> sharing) {
        return sharing.stream().filter(Autoscaling::hasMax).mapToInt(Autoscaling::maxReplicas).min().orElse(Integer.MAX_VALUE);
    }

    private static String describeShared(Autoscaling a, List<Autoscaling> sharing, String target, int spec, int n, Mode mode) {
        String others = String.join(", ", sharing.stream().filter(o -> o != a).map(o -> o.kind() + " "
                + ManifestReader.fullName(o.namespace(), o.name()) + " (" + o.origin() + ", " + range(o) + ")").toList());
        int lo = highestMin(sharing);
        int hi = lowestMax(sharing);
        String replicas = n + " replica" + (n == 1 ? "" : "s");
        String ambiguous = "neither scales on its metrics, as both select its pods (AmbiguousSelector)";
        if (mode == Mode.IGNORE) {
            return "not a workload, and not applied (--hpa ignore): " + target + " packed at " + replicas + " as written; with " + others
                    + " on it too, the controller would clamp it to each one's range and " + ambiguous;
        }
        String how = lo > hi
                ? "their ranges do not overlap, so they fight: at every sync one sets it to " + hi + " and another to " + lo
                + "; packed at " + replicas + ", the most it runs (" + spec + " in the manifest)"
                : "the controller holds it within each one's range (" + range(a) + " here), at " + replicas
                + (n == spec ? " as written" : " (" + spec + " in the manifest)");
        return "applied with " + others + ", which scales " + target + " too: " + how + ", and " + ambiguous
                + (mode == Mode.MAX ? ", so --hpa max takes it no higher" : "");
    }

    private static String range(Autoscaling a) {
        return a.activeMin() + ".." + (a.hasMax() ? String.valueOf(a.maxReplicas()) : "(no maxReplicas)");
    }

    /**
     * Where each workload an HPA may scale stands in {@code w}'s groups, by kind and name ("Deployment
     * shop/api"); a name qualified by its kind ({@code web[Deployment]}, {@link io.nodesizer.input.Inputs}) is
     * found by its own.
     */
    private static Map<String, Integer> targets(Workload w) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < w.groups().size(); i++) {
            PodGroup g = w.groups().get(i);
            if (SCALABLE.contains(g.kind())) {
                String suffix = "[" + g.kind() + "]";
                String name = g.name().endsWith(suffix) ? g.name().substring(0, g.name().length() - suffix.length()) : g.name();
                index.putIfAbsent(g.kind() + " " + name, i);
            }
        }
        return index;
    }

    /**
     * Where the HPA's target stands in {@link #targets}, or null: by the manifests' name ({@code web}
     * in the default namespace), else by a snapshot's ({@code default/web}).
     */
    private static Integer find(Map<String, Integer> index, Autoscaling a) {
        if (a.targetKind() == null) {
            return null;
        }
        Integer at = index.get(a.targetKind() + " " + ManifestReader.fullName(a.namespace(), a.targetName()));
        return at != null ? at : index.get(a.targetKind() + " " + a.namespace() + "/" + a.targetName());
    }

    /**
     * "; did you mean Deployment shop/web?" when a workload of the inputs is within a typo of the HPA's target (its name in
     * the same kind and namespace, or its kind under the same name), else "" (QA 74 F9: a one-letter slip left the workload
     * packed without its HPA's minReplicas, with none of the suggestion kinds and instance types get).
     */
    private static String meant(Map<String, Integer> index, Autoscaling a) {
        if (a.targetKind() == null) {
            return "";
        }
        String name = ManifestReader.fullName(a.namespace(), a.targetName());
        String prefix = a.targetKind() + " ";
        List<String> sameKind = index.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .filter(n -> n.contains("/") == name.contains("/") && n.substring(0, Math.max(0, n.lastIndexOf('/')))
                        .equals(name.substring(0, Math.max(0, name.lastIndexOf('/'))))).toList();
        // The names compared without their (equal) namespace: with it the typo tolerance, which grows with the length,
        // let db suggest shop/ui (review 74b #11).
        String ns = name.substring(0, name.lastIndexOf('/') + 1);
        String near = io.nodesizer.model.NameLists.nearest(name.substring(ns.length()),
                sameKind.stream().map(n -> n.substring(ns.length())).toList());
        if (near != null) {
            return "; did you mean " + prefix + ns + near + "?";
        }
        String otherKind = index.keySet().stream().filter(k -> k.endsWith(" " + name)).sorted().findFirst().orElse(null);
        return otherKind == null ? "" : "; did you mean " + otherKind + "?";
    }

    /** Where in {@code ignored} the HPA's target stands when it is a workload of the inputs left out at zero replicas, else -1. */
    private static int scaledToZero(List<IgnoredObject> ignored, Autoscaling a) {
        if (a.targetKind() == null || !SCALABLE.contains(a.targetKind())) {
            return -1;
        }
        return ManifestReader.idleAt(ignored, a.targetKind(), ManifestReader.fullName(a.namespace(), a.targetName()));
    }

    /** The replicas {@code mode} gives a target at {@code spec} replicas. */
    static int replicas(int spec, Autoscaling a, Mode mode) {
        if (mode != Mode.IGNORE && a.isPaused()) {
            // KEDA holds a paused target where the annotation says, or where it stands, whatever the load.
            return a.paused() == Autoscaling.PAUSED_AS_IS ? spec : a.paused();
        }
        return switch (mode) {
            case IGNORE -> spec;
            case MAX -> a.hasMax() ? a.maxReplicas() : Math.max(spec, a.activeMin());
            case MIN -> {
                int n = Math.max(spec, a.activeMin());
                yield a.hasMax() ? Math.min(n, a.maxReplicas()) : n;
            }
        };
    }

    private static String describe(Autoscaling a, String target, int spec, int n, Mode mode) {
        if (mode != Mode.IGNORE && a.isPaused()) {
            return a.paused() == Autoscaling.PAUSED_AS_IS
                    ? "not a workload, and paused (autoscaling.keda.sh/paused): " + target + " stays at " + n + " replica" + (n == 1 ? "" : "s")
                    + " as written, whatever --hpa says"
                    : "applied: paused (autoscaling.keda.sh/paused-replicas), it holds " + target + " at " + n + " replica"
                    + (n == 1 ? "" : "s") + " (" + spec + " in the manifest), whatever --hpa says";
        }
        boolean keda = a.keda();
        String bounds = a.activeMin() + ".." + (a.hasMax() ? String.valueOf(a.maxReplicas()) : "(no maxReplicas)")
                + (keda && a.minReplicas() == 0 ? " while a trigger is active (0 when all are idle)" : "");
        String who = keda ? "KEDA's HPA" : "the HPA";
        String replicas = n + " replica" + (n == 1 ? "" : "s");
        String was = spec + " in the manifest";
        String toMax = a.hasMax() && a.maxReplicas() > n ? "; --hpa max packs it at " + a.maxReplicas() : "";
        return switch (mode) {
            case IGNORE -> "not a workload, and not applied (--hpa ignore): " + target + " packed at " + replicas + " as written; "
                    + who + " would keep it within " + bounds;
            case MAX -> a.hasMax()
                    ? "applied under --hpa max: " + target + " at its " + a.maxField() + ", " + replicas + " (" + was + ")"
                    : "applied under --hpa max, without maxReplicas: " + target + " at " + replicas + " (" + was
                    + ", minReplicas " + a.minReplicas() + ")";
            case MIN -> n == spec
                    ? "applied: " + target + " keeps " + replicas + ", within its " + bounds + toMax
                    : "applied: " + target + " runs " + replicas + " (" + was + "), as " + who + " keeps it within "
                    + bounds + toMax;
        };
    }
}
