package io.nodesizer.rightsize;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which workload a pod belongs to. A snapshot answers for the pods it lists (through their owner
 * chain, {@link io.nodesizer.analyze.SnapshotWorkload#workloadOf}); any other pod — a month of usage names many
 * pods long replaced — is matched by the names the controllers give their pods:
 * <pre>
 * Deployment   &lt;name&gt;-&lt;pod-template-hash&gt;-&lt;5 chars&gt;
 * ReplicaSet, DaemonSet, Job   &lt;name&gt;-&lt;5 chars&gt;
 * StatefulSet  &lt;name&gt;-&lt;ordinal&gt;
 * CronJob      &lt;name&gt;-&lt;scheduled minute&gt;-&lt;5 chars&gt;
 * Pod          &lt;name&gt;
 * </pre>
 * The longest workload name that fits wins ({@code web-api-…} is web-api's, not web's). The
 * generated parts are Kubernetes' own alphabets: the 5-character suffix of a generated name and
 * the pod-template hash ({@code rand.SafeEncodeString} of the hash's decimal digits) use only
 * {@code bcdfghjklmnpqrstvwxz2456789} (apimachinery {@code util/rand}: no vowels, so no words), so
 * {@code web-agent-x7k2p} is not a pod of Deployment {@code web} (the hash may also be the plain
 * digits of Kubernetes before 1.8). A generated name is cut to 58 characters before its suffix
 * (apiserver {@code names.SimpleNameGenerator}, {@code maxGeneratedNameLength}), so the pods of
 * long names are {@code <the first 58 characters of name-hash-><5 chars>}, 63 in all.
 */
final class WorkloadIndex {
    /** apimachinery's {@code util/rand} alphabet: random name suffixes and the encoded pod-template hash. */
    private static final String RAND = "[bcdfghjklmnpqrstvwxz2456789]";
    private static final Pattern SUFFIX = Pattern.compile(RAND + "{5}");
    private static final Pattern HASH = Pattern.compile("(" + RAND + "|[0-9]){1,10}");
    private static final Pattern DEPLOYMENT = Pattern.compile(HASH.pattern() + "-" + RAND + "{5}");
    private static final Pattern ORDINAL = Pattern.compile("[0-9]+");
    private static final Pattern CRON = Pattern.compile("[0-9]+-" + RAND + "{5}");
    /** An Indexed Job's pod: {@code <job>-<index>-<5>} (job controller {@code podGenerateNameWithIndex}); a CronJob's: {@code <cronjob>-<minute>-<index>-<5>}. */
    private static final Pattern INDEXED = CRON;
    private static final Pattern CRON_INDEXED = Pattern.compile("[0-9]+-[0-9]+-" + RAND + "{5}");
    /** A generated name's base is cut to this length before its 5-character suffix (apiserver names.maxGeneratedNameLength). */
    private static final int GENERATED_BASE = 58;
    /** What is left of a Deployment's {@code <hash>-} or a CronJob's {@code <minute>-} where a generated name was cut short. */
    private static final Pattern CUT_HASH = Pattern.compile("(" + RAND + "|[0-9]){0,10}|" + HASH.pattern() + "-");
    private static final Pattern CUT_MINUTE = Pattern.compile("[0-9]*|[0-9]+-");

    private final Map<WorkloadId, List<PodGroup>> groups = new LinkedHashMap<>();
    private final Map<WorkloadId, String> kinds = new HashMap<>();
    private final Map<WorkloadId, DaemonSetSpec> daemonSets = new LinkedHashMap<>();
    private final Map<String, WorkloadId> snapshotPods = new HashMap<>();
    /** Per Kubernetes name, the workloads of different kinds that share it ({@code name[Kind]}), which usage names without the kind. */
    private final Map<WorkloadId, List<WorkloadId>> byObjectName = new HashMap<>();

    /** Per workload (its Kubernetes name), the snapshot's pods of it, in snapshot order. */
    private final Map<WorkloadId, List<ClusterSnapshot.Pod>> podsOf = new HashMap<>();
    /** The snapshot's owner chains; null without a snapshot. */
    private io.nodesizer.analyze.WorkloadOwners owners;

    /** Per workload container, its snapshot pods whose status shows it OOM-killed (each "name (N restarts)"), in snapshot order. */
    private final Map<UsageProfile.Key, List<String>> oomKilled = new HashMap<>();

    private WorkloadIndex() {
    }

    /** The snapshot's pods of the workload whose status shows the container OOM-killed ("redis-0 (3 restarts)"); empty when none. */
    List<String> oomKilled(WorkloadId id, String container) {
        return oomKilled.getOrDefault(new UsageProfile.Key(id, container), List.of());
    }

    static WorkloadIndex of(Workload workload, ClusterSnapshot snapshot) {
        WorkloadIndex index = new WorkloadIndex();
        for (PodGroup g : workload.groups()) {
            WorkloadId id = WorkloadId.of(g);
            index.groups.computeIfAbsent(id, k -> new ArrayList<>()).add(g);
            index.kinds.putIfAbsent(id, g.kind());
            if (id.qualifiedKind() != null) {
                List<WorkloadId> same = index.byObjectName.computeIfAbsent(new WorkloadId(id.namespace(), id.objectName()), k -> new ArrayList<>());
                if (!same.contains(id)) {
                    same.add(id);
                }
            }
        }
        for (DaemonSetSpec ds : workload.daemonSets()) {
            WorkloadId id = WorkloadId.parse(ds.name());
            index.daemonSets.putIfAbsent(id, ds);
            index.kinds.putIfAbsent(id, "DaemonSet");
        }
        if (snapshot != null) {
            // The pod's workload as the snapshot's workload was built: its owner chain through the controllers the snapshot
            // has (a ReplicaSet's owner names a Rollout or Deployment whatever the pods' labels), a static pod's own name.
            index.owners = new io.nodesizer.analyze.WorkloadOwners(snapshot);
            for (ClusterSnapshot.Pod p : snapshot.pods()) {
                ClusterSnapshot.WorkloadRef ref = io.nodesizer.analyze.SnapshotWorkload.workloadOf(p, index.owners);
                WorkloadId id = new WorkloadId(ref.namespace(), ref.name());
                index.snapshotPods.put(p.namespace() + "/" + p.name(), id);
                index.podsOf.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
                index.kinds.putIfAbsent(id, ref.kind());
                p.oomKilled().forEach((container, restarts) -> index.oomKilled
                        .computeIfAbsent(new UsageProfile.Key(id, container), k -> new ArrayList<>())
                        .add(p.name() + " (" + restarts + (restarts == 1 ? " restart" : " restarts") + ")"));
            }
        }
        return index;
    }

    /**
     * The group of a workload's pods whose template is the newest, the one a patch of the workload changes, and how it was
     * told: the snapshot's ReplicaSet with the highest {@code deployment.kubernetes.io/revision}; a StatefulSet's template of its
     * highest ordinal; else the pods started last
     * ({@code status.startTime}); else the most pods (the first on ties).
     */
    record Newest(PodGroup group, String how, boolean told) {
    }

    Newest newest(WorkloadId id, List<PodGroup> groups) {
        long[] revision = new long[groups.size()];
        java.time.Instant[] started = new java.time.Instant[groups.size()];
        boolean allStarted = true;
        for (int i = 0; i < groups.size(); i++) {
            for (ClusterSnapshot.Pod p : pods(id, groups.get(i))) {
                ClusterSnapshot.Controller rs = owners.ownerOf(p);
                revision[i] = Math.max(revision[i], rs == null ? 0 : rs.revision());
                if (p.startTime() != null && (started[i] == null || p.startTime().isAfter(started[i]))) {
                    started[i] = p.startTime();
                }
            }
            allStarted &= started[i] != null;
        }
        int byRevision = uniqueMax(groups.size(), (a, b) -> Long.compare(revision[a], revision[b]));
        if (byRevision >= 0 && revision[byRevision] > 0) {
            return new Newest(groups.get(byRevision), "the highest deployment.kubernetes.io/revision, " + revision[byRevision], true);
        }
        // A StatefulSet's rolling update goes from the highest ordinal down (and a partition keeps the lower ones): the
        // highest ordinal's pod runs the update revision, unless the strategy is OnDelete.
        int[] ordinal = new int[groups.size()];
        boolean allOrdinals = true;
        for (int i = 0; i < groups.size(); i++) {
            ordinal[i] = -1;
            for (ClusterSnapshot.Pod p : pods(id, groups.get(i))) {
                int dash = p.name().lastIndexOf('-');
                if ("StatefulSet".equals(p.owner()) && dash > 0 && ORDINAL.matcher(p.name().substring(dash + 1)).matches()
                        && p.name().substring(dash + 1).length() < 10) {
                    ordinal[i] = Math.max(ordinal[i], Integer.parseInt(p.name().substring(dash + 1)));
                }
            }
            allOrdinals &= ordinal[i] >= 0;
        }
        int byOrdinal = allOrdinals ? uniqueMax(groups.size(), (a, b) -> Integer.compare(ordinal[a], ordinal[b])) : -1;
        if (byOrdinal >= 0) {
            return new Newest(groups.get(byOrdinal), "the highest ordinal's, " + ordinal[byOrdinal] + ": a StatefulSet updates from the "
                    + "highest ordinal down", true);
        }
        int byStart = allStarted ? uniqueMax(groups.size(), (a, b) -> started[a].compareTo(started[b])) : -1;
        if (byStart >= 0) {
            return new Newest(groups.get(byStart), "its pods started last, status.startTime " + started[byStart], true);
        }
        PodGroup most = groups.get(0);
        for (PodGroup g : groups) {
            most = g.replicas() > most.replicas() ? g : most;
        }
        return new Newest(most, "the most pods, neither a ReplicaSet's revision nor the pods' start times telling", false);
    }

    /** The index of the one greatest of {@code n} by {@code order}, or -1 when several share it. */
    private static int uniqueMax(int n, java.util.Comparator<Integer> order) {
        int best = 0;
        boolean tie = false;
        for (int i = 1; i < n; i++) {
            int c = order.compare(i, best);
            if (c > 0) {
                best = i;
                tie = false;
            } else if (c == 0) {
                tie = true;
            }
        }
        return tie ? -1 : best;
    }

    /** The snapshot's pods of the workload that run the group's template. */
    private List<ClusterSnapshot.Pod> pods(WorkloadId id, PodGroup g) {
        return podsOf.getOrDefault(new WorkloadId(id.namespace(), id.objectName()), List.of()).stream()
                .filter(p -> java.util.Objects.equals(p.template(), g.template())).toList();
    }

    /**
     * What a workload whose pods ask different amounts is sized as, naming each request with its pods and their
     * ReplicaSets (or the file where a manifest gave it); null when the groups ask alike (they differ in placement only).
     */
    String templatesNote(WorkloadId id, List<PodGroup> groups, Newest newest) {
        if (groups.stream().map(PodGroup::request).distinct().count() < 2) {
            return null;
        }
        // Pods of one ReplicaSet at different requests are not its template's doing: a VerticalPodAutoscaler sets them at admission.
        boolean oneOwner = groups.stream().map(g -> where(id, g)).distinct().count() == 1;
        List<String> each = new ArrayList<>();
        for (PodGroup g : groups) {
            each.add(io.nodesizer.engine.Amounts.describe(g.request()) + " (" + g.replicas() + (oneOwner ? g.replicas() == 1 ? " pod" : " pods"
                    : ", " + where(id, g)) + ")");
        }
        String list = and(each);
        String counted = ": sized from all their usage, each pod counted at its own request in the totals and the packing before; ";
        if (oneOwner && overheadOnly(groups)) {
            // Their containers ask alike: what a template or a VerticalPodAutoscaler sets is the same, and only the pod
            // overhead a RuntimeClass adds at admission differs (QA 66a L4: the VPA was blamed for one pod's spec.overhead).
            List<String> overheads = new ArrayList<>();
            for (PodGroup g : groups) {
                overheads.add(io.nodesizer.engine.Amounts.describe(g.template().overhead()) + " (" + g.replicas() + (g.replicas() == 1 ? " pod)" : " pods)"));
            }
            return id + " runs pods of one template, " + where(id, newest.group()) + ", at " + list + ": their containers ask alike, and "
                    + "their pod overhead (spec.overhead, which a RuntimeClass sets at admission) differs, " + and(overheads)
                    + "; each pod counted at its own request, overhead included, in the totals and the packing before";
        }
        if (oneOwner) {
            return id + " runs pods of one template, " + where(id, newest.group()) + ", at " + list + " (a VerticalPodAutoscaler's "
                    + "requests?)" + counted + "the row shows the request of the pod group chosen by " + newest.how();
        }
        if (!newest.told()) {
            return id + " runs pods at " + list + counted + "the row shows the template with the most pods, " + where(id, newest.group())
                    + "'s: neither a ReplicaSet's revision nor the pods' start times tell which is the newest, the one the patch sets";
        }
        return id + " runs pods at " + list + counted + "the row shows, and the patch sets, the newest template, "
                + where(id, newest.group()) + "'s (" + newest.how() + ")";
    }

    /** "a and b", "a, b and c": two or more items in running text. */
    private static String and(List<String> items) {
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** Whether the groups' containers and pod-level requests are alike, so that only their pod overhead can differ. */
    private static boolean overheadOnly(List<PodGroup> groups) {
        PodGroup first = groups.get(0);
        return groups.stream().allMatch(g -> g.template() != null && first.template() != null
                && g.template().containers().equals(first.template().containers())
                && java.util.Objects.equals(g.template().podLevel(), first.template().podLevel()));
    }

    /** The ReplicaSets (or other owners) of the group's snapshot pods, else where the group was read. */
    private String where(WorkloadId id, PodGroup g) {
        java.util.TreeSet<String> owners = new java.util.TreeSet<>();
        String kind = null;
        for (ClusterSnapshot.Pod p : pods(id, g)) {
            // A StatefulSet's templates are its revisions, which its pods' controller-revision-hash label names.
            String revision = "StatefulSet".equals(p.owner()) ? p.placement().podLabels().get("controller-revision-hash") : null;
            if (revision != null) {
                owners.add(revision);
                kind = "StatefulSet revision";
            } else if (p.ownerName() != null) {
                owners.add(p.ownerName());
                kind = p.owner();
            }
        }
        return owners.isEmpty() ? String.valueOf(g.origin()) : kind + (owners.size() == 1 ? " " : "s ") + String.join(", ", owners);
    }

    /** Workloads with pods to pack, in input order, each with its pod groups. */
    Map<WorkloadId, List<PodGroup>> groups() {
        return groups;
    }

    boolean packs(WorkloadId id) {
        return groups.containsKey(id);
    }

    /** DaemonSets in input order. */
    Map<WorkloadId, DaemonSetSpec> daemonSets() {
        return daemonSets;
    }

    /** A workload whose requests can change: it has pods to pack, or it is a DaemonSet. */
    boolean knows(WorkloadId id) {
        return groups.containsKey(id) || daemonSets.containsKey(id);
    }

    /** Whether usage of this container can be applied: the workload has the container, or gives one request per pod. */
    boolean hasContainer(WorkloadId id, String container) {
        List<PodGroup> g = groups.get(id);
        if (g != null && g.stream().anyMatch(x -> x.template() == null || x.template().container(container) != null)) {
            return true;
        }
        DaemonSetSpec ds = daemonSets.get(id);
        return ds != null && (ds.template() == null || ds.template().container(container) != null);
    }

    String kind(WorkloadId id) {
        return kinds.get(id);
    }

    /**
     * The workload usage names {@code id} with container {@code container}: {@code id} itself, or
     * where objects of different kinds share its name ({@code name[Kind]}), the one of them with that
     * container when only one has it (else {@code id}, which no workload then claims).
     */
    WorkloadId resolve(WorkloadId id, String container) {
        List<WorkloadId> same = knows(id) ? null : byObjectName.get(id);
        if (same == null) {
            return id;
        }
        List<WorkloadId> with = same.stream().filter(q -> hasContainer(q, container)).toList();
        return with.size() == 1 ? with.get(0) : id;
    }

    /** The workload of a pod, or null when neither the snapshot nor any naming rule places it. */
    WorkloadId byPod(String namespace, String pod) {
        WorkloadId known = snapshotPods.get(namespace + "/" + pod);
        if (known != null) {
            return known;
        }
        WorkloadId self = new WorkloadId(namespace, pod);
        if ("Pod".equals(kinds.get(self))) {
            return self;
        }
        for (WorkloadId q : byObjectName.getOrDefault(self, List.of())) {
            if ("Pod".equals(kinds.get(q))) {
                return q;
            }
        }
        for (int dash = pod.lastIndexOf('-'); dash > 0; dash = pod.lastIndexOf('-', dash - 1)) {
            WorkloadId candidate = new WorkloadId(namespace, pod.substring(0, dash));
            String kind = kinds.get(candidate);
            if (kind != null && generated(pod.substring(dash + 1), kind)) {
                return candidate;
            }
            // Objects of different kinds named alike: the kind whose controller names its pods so.
            for (WorkloadId q : byObjectName.getOrDefault(candidate, List.of())) {
                if (generated(pod.substring(dash + 1), kinds.get(q))) {
                    return q;
                }
            }
        }
        return pod.length() == GENERATED_BASE + 5 && SUFFIX.matcher(pod.substring(GENERATED_BASE)).matches()
                ? byCutName(namespace, pod.substring(0, GENERATED_BASE)) : null;
    }

    /**
     * The workload of a pod whose generated name was cut to {@code base} (58 characters) before its
     * suffix: the longest workload whose {@code name-} begins it with what its controller puts
     * between (cut anywhere), or one whose own name begins with it (a name of 58 or more).
     */
    private WorkloadId byCutName(String namespace, String base) {
        for (int dash = base.lastIndexOf('-'); dash > 0; dash = base.lastIndexOf('-', dash - 1)) {
            String rest = base.substring(dash + 1);
            WorkloadId candidate = new WorkloadId(namespace, base.substring(0, dash));
            String kind = kinds.get(candidate);
            if (kind != null && cut(rest, kind)) {
                return candidate;
            }
            for (WorkloadId q : byObjectName.getOrDefault(candidate, List.of())) {
                if (cut(rest, kinds.get(q))) {
                    return q;
                }
            }
        }
        WorkloadId only = null;
        for (WorkloadId q : kinds.keySet()) {
            if (q.namespace().equals(namespace) && q.objectName().length() >= GENERATED_BASE && q.objectName().startsWith(base)
                    && !"StatefulSet".equals(kinds.get(q)) && !"Pod".equals(kinds.get(q))) {
                if (only != null) {
                    return null; // two long names share the first 58 characters: the pod could be either's
                }
                only = q;
            }
        }
        return only;
    }

    /** Whether {@code rest}, after {@code <workload>-} in a cut base, is a cut-short form of what the workload's controller puts there. */
    private static boolean cut(String rest, String kind) {
        return switch (kind) {
            case "Deployment" -> CUT_HASH.matcher(rest).matches();
            case "CronJob" -> CUT_MINUTE.matcher(rest).matches();
            // ReplicaSet, DaemonSet, Job pods are <name>-<5>: cut only when the name itself is 58 or longer (above).
            case "ReplicaSet", "DaemonSet", "Job", "StatefulSet", "Pod" -> false;
            default -> CUT_HASH.matcher(rest).matches() || CUT_MINUTE.matcher(rest).matches();
        };
    }

    /** Whether {@code s} can be a pod-template hash (the Deployment controller's, or Argo Rollouts'). */
    static boolean templateHash(String s) {
        return HASH.matcher(s).matches();
    }

    /** Whether {@code rest} (the pod name after {@code <workload>-}) is what the workload's controller appends. */
    static boolean generated(String rest, String kind) {
        return switch (kind) {
            case "Deployment" -> DEPLOYMENT.matcher(rest).matches();
            case "StatefulSet" -> ORDINAL.matcher(rest).matches();
            case "CronJob" -> CRON.matcher(rest).matches() || CRON_INDEXED.matcher(rest).matches();
            case "Job" -> SUFFIX.matcher(rest).matches() || INDEXED.matcher(rest).matches();
            case "ReplicaSet", "DaemonSet" -> SUFFIX.matcher(rest).matches();
            case "Pod" -> false;
            // A CSV profile row (or another kind) does not say what runs it: any controller's naming.
            default -> DEPLOYMENT.matcher(rest).matches() || ORDINAL.matcher(rest).matches() || CRON.matcher(rest).matches()
                    || CRON_INDEXED.matcher(rest).matches() || SUFFIX.matcher(rest).matches();
        };
    }
}
