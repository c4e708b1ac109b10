package io.nodesizer.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a pod may run, by node: {@code spec.nodeSelector}, the required node affinity
 * ({@code affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution}) and
 * {@code spec.tolerations}. Matched against a node's labels and taints by
 * {@code io.nodesizer.kube.NodeMatching}, as kube-scheduler's NodeAffinity and TaintToleration
 * filter plugins do.
 *
 * @param nodeSelector  every pair must be a label of the node
 * @param requiredTerms node selector terms, ORed; null when the pod has no required node affinity
 *                      (an empty list matches no node, as in Kubernetes)
 * @param tolerations   the pod's tolerations
 * @param namespace     the pod's namespace (pod anti-affinity terms match pods of their own namespace by default)
 * @param podLabels     the pod's labels, which other pods' anti-affinity selectors match
 * @param antiAffinity  required pod anti-affinity terms
 *                      ({@code affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution})
 * @param affinity      required pod affinity terms (co-location), read but not modelled yet
 * @param spread        topology spread constraints, hard and soft
 * @param preferences   what the scheduler's score plugins prefer (never a reason not to place a pod)
 */
public record Placement(Map<String, String> nodeSelector, List<Term> requiredTerms, List<Toleration> tolerations, String namespace,
                        Map<String, String> podLabels, List<PodAffinityTerm> antiAffinity, List<PodAffinityTerm> affinity,
                        List<Spread> spread, Preferences preferences) {
    /** No constraint: any node without a NoSchedule/NoExecute taint. */
    public static final Placement ANY = new Placement(Map.of(), null, List.of());

    /** Node-level constraints only, in the default namespace, without labels or anti-affinity. */
    public Placement(Map<String, String> nodeSelector, List<Term> requiredTerms, List<Toleration> tolerations) {
        this(nodeSelector, requiredTerms, tolerations, "default", Map.of(), List.of(), List.of());
    }

    /** Without topology spread constraints. */
    public Placement(Map<String, String> nodeSelector, List<Term> requiredTerms, List<Toleration> tolerations, String namespace,
                     Map<String, String> podLabels, List<PodAffinityTerm> antiAffinity, List<PodAffinityTerm> affinity) {
        this(nodeSelector, requiredTerms, tolerations, namespace, podLabels, antiAffinity, affinity, List.of());
    }

    /** Without preferences. */
    public Placement(Map<String, String> nodeSelector, List<Term> requiredTerms, List<Toleration> tolerations, String namespace,
                     Map<String, String> podLabels, List<PodAffinityTerm> antiAffinity, List<PodAffinityTerm> affinity,
                     List<Spread> spread) {
        this(nodeSelector, requiredTerms, tolerations, namespace, podLabels, antiAffinity, affinity, spread, Preferences.NONE);
    }

    public Placement {
        Objects.requireNonNull(preferences, "preferences");
        namespace = namespace == null ? "default" : namespace;
        spread = List.copyOf(spread);
        podLabels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(podLabels));
        antiAffinity = List.copyOf(antiAffinity);
        affinity = List.copyOf(affinity);
        // Sorted, so that messages naming the first unmet pair and keys built from it are the same on every run.
        nodeSelector = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(nodeSelector));
        requiredTerms = requiredTerms == null ? null : List.copyOf(requiredTerms);
        tolerations = List.copyOf(tolerations);
    }

    /** The same placement with another node selector and other tolerations (what a RuntimeClass adds at admission). */
    public Placement withNodeSelectorAndTolerations(Map<String, String> newSelector, List<Toleration> newTolerations) {
        return new Placement(newSelector, requiredTerms, newTolerations, namespace, podLabels, antiAffinity, affinity, spread, preferences);
    }

    /**
     * The same placement with its required node affinity replaced by one term that selects node {@code nodeName} by its
     * {@code metadata.name} field: what the DaemonSet controller writes into each pod it creates
     * ({@code ReplaceDaemonSetPodNodeNameNodeAffinity}, pkg/controller/daemon/util), the node selector kept.
     */
    public Placement pinnedTo(String nodeName) {
        List<Term> pin = List.of(new Term(List.of(), List.of(new Requirement(NODE_NAME_FIELD, Operator.IN, List.of(nodeName)))));
        return new Placement(nodeSelector, pin, tolerations, namespace, podLabels, antiAffinity, affinity, spread, preferences);
    }

    /** The node a placement's required node affinity admits alone by name ({@link #pinnedTo}), or null. */
    public String pinnedNode() {
        if (requiredTerms == null || requiredTerms.size() != 1 || !requiredTerms.get(0).matchExpressions().isEmpty()
                || requiredTerms.get(0).matchFields().size() != 1) {
            return null;
        }
        Requirement r = requiredTerms.get(0).matchFields().get(0);
        return r.key().equals(NODE_NAME_FIELD) && r.operator() == Operator.IN && r.values().size() == 1 ? r.values().get(0) : null;
    }

    /** The one node field a node selector term may match ({@code matchFields}). */
    public static final String NODE_NAME_FIELD = "metadata.name";

    /** The same placement with other preferences. */
    public Placement withPreferences(Preferences other) {
        return new Placement(nodeSelector, requiredTerms, tolerations, namespace, podLabels, antiAffinity, affinity, spread, other);
    }

    /**
     * What kube-scheduler's score plugins weigh, none of which ever keeps a pod off a node:
     * preferred node affinity (NodeAffinity), preferred pod affinity and anti-affinity
     * (InterPodAffinity), and whether the system default spreading of PodTopologySpread applies.
     * Soft topology spread constraints ({@code ScheduleAnyway}) are in {@link #spread()}.
     *
     * @param nodeTerms     {@code affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution}
     * @param affinity      {@code affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution}
     * @param antiAffinity  {@code affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution}
     * @param systemSpread  the pod belongs to a ReplicaSet, StatefulSet or ReplicationController (or a
     *                      CSV workload, which stands for a Deployment): without spread constraints of
     *                      its own, the scheduler's default constraints (hostname maxSkew 3, zone
     *                      maxSkew 5, ScheduleAnyway) score it ({@code DefaultSelector} is then not empty)
     */
    public record Preferences(List<WeightedTerm> nodeTerms, List<WeightedPodTerm> affinity, List<WeightedPodTerm> antiAffinity,
                              boolean systemSpread) {
        /** No preference. */
        public static final Preferences NONE = new Preferences(List.of(), List.of(), List.of(), false);
        /** Only the system default spreading (a controller's pods without preferred terms). */
        public static final Preferences SYSTEM_SPREAD = new Preferences(List.of(), List.of(), List.of(), true);

        public Preferences {
            nodeTerms = List.copyOf(nodeTerms);
            affinity = List.copyOf(affinity);
            antiAffinity = List.copyOf(antiAffinity);
        }

        /** The same preferences with the system default spreading on or off. */
        public Preferences withSystemSpread(boolean on) {
            return new Preferences(nodeTerms, affinity, antiAffinity, on);
        }
    }

    /** A preferred node selector term with its weight (1..100). */
    public record WeightedTerm(int weight, Term term) {
        public WeightedTerm {
            Objects.requireNonNull(term, "term");
        }
    }

    /** A preferred pod (anti-)affinity term with its weight (1..100). */
    public record WeightedPodTerm(int weight, PodAffinityTerm term) {
        public WeightedPodTerm {
            Objects.requireNonNull(term, "term");
        }
    }

    /**
     * Whether it has a rule about other pods or a preference: required pod (anti-)affinity, a topology spread, preferred
     * node or pod terms (a trace's GPU pods carry tolerations only, and their 130,000 groups need no look at the rules).
     */
    public boolean hasPodRulesOrPreferences() {
        return !affinity.isEmpty() || !antiAffinity.isEmpty() || !spread.isEmpty() || !preferences.nodeTerms().isEmpty()
                || !preferences.affinity().isEmpty() || !preferences.antiAffinity().isEmpty();
    }

    /** No node-level constraint (labels and pod anti-affinity aside: they concern other pods). */
    public boolean isAny() {
        return nodeSelector.isEmpty() && requiredTerms == null && tolerations.isEmpty();
    }

    /**
     * A required pod (anti-)affinity term: the pods matching {@code selector} in the namespaces it
     * names, within one {@code topologyKey} domain.
     *
     * @param matchLabels      labelSelector.matchLabels
     * @param matchExpressions labelSelector.matchExpressions (In, NotIn, Exists, DoesNotExist)
     * @param namespaces       the namespaces named; empty means the pod's own (unless {@code allNamespaces}
     *                         or a resolved {@code namespaceSelector}, whose namespaces, with those named,
     *                         are then listed here: empty is none)
     * @param allNamespaces    {@code namespaceSelector: {}}: every namespace
     * @param namespaceSelectorLabels a non-empty namespaceSelector not resolved against the inputs' Namespace
     *                         objects (some namespace's labels are missing): noted, taken as every namespace
     * @param topologyKey      the node label whose value makes a domain ({@code kubernetes.io/hostname}: one node)
     * @param namespaceSelector a non-empty namespaceSelector's requirements (null when the term has none or an
     *                         empty one), and once resolved which namespaces it was decided for
     */
    public record PodAffinityTerm(Map<String, String> matchLabels, List<Requirement> matchExpressions, List<String> namespaces,
                                  boolean allNamespaces, boolean namespaceSelectorLabels, String topologyKey,
                                  NamespaceSelector namespaceSelector) {
        public PodAffinityTerm {
            matchLabels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(matchLabels));
            matchExpressions = List.copyOf(matchExpressions);
            namespaces = List.copyOf(namespaces);
            Objects.requireNonNull(topologyKey, "topologyKey");
        }

        /** A term without a namespaceSelector's requirements (none, an empty one, or one taken as every namespace). */
        public PodAffinityTerm(Map<String, String> matchLabels, List<Requirement> matchExpressions, List<String> namespaces,
                               boolean allNamespaces, boolean namespaceSelectorLabels, String topologyKey) {
            this(matchLabels, matchExpressions, namespaces, allNamespaces, namespaceSelectorLabels, topologyKey, null);
        }

        /** Whether the term's namespaceSelector was resolved to the namespaces it lists. */
        public boolean namespacesResolved() {
            return namespaceSelector != null && !namespaceSelectorLabels;
        }

        /** The same term with its namespaceSelector resolved: {@code selected} are the named namespaces and those it selects. */
        public PodAffinityTerm resolved(List<String> selected, java.util.Set<String> decided) {
            return new PodAffinityTerm(matchLabels, matchExpressions, selected, false, false, topologyKey,
                    namespaceSelector.withDecided(decided, List.of()));
        }

        /** The same term left as every namespace, since {@code missing} namespaces' labels are not in the inputs. */
        public PodAffinityTerm unresolved(List<String> missing) {
            return new PodAffinityTerm(matchLabels, matchExpressions, namespaces, false, true, topologyKey,
                    namespaceSelector.withDecided(java.util.Set.of(), missing));
        }
    }

    /**
     * A pod affinity term's non-empty {@code namespaceSelector} (matchLabels and matchExpressions, ANDed),
     * matched against namespaces' labels.
     *
     * @param decided the namespaces whose labels were known when it was resolved (Namespace objects, and
     *                namespaces of the inputs' pods): a pod of another namespace (read from a cluster
     *                snapshot) is selected unless its name alone rules it out
     * @param missing when it could not be resolved, the namespaces of the inputs' pods without a Namespace
     *                object whose other labels would decide it
     */
    public record NamespaceSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions,
                                    java.util.Set<String> decided, List<String> missing) {
        /** The label every namespace carries (set by the API server since Kubernetes 1.22), with the namespace's name. */
        public static final String NAME_LABEL = "kubernetes.io/metadata.name";

        public NamespaceSelector {
            matchLabels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(matchLabels));
            matchExpressions = List.copyOf(matchExpressions);
            decided = java.util.Set.copyOf(decided);
            missing = List.copyOf(missing);
        }

        public NamespaceSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
            this(matchLabels, matchExpressions, java.util.Set.of(), List.of());
        }

        NamespaceSelector withDecided(java.util.Set<String> d, List<String> m) {
            return new NamespaceSelector(matchLabels, matchExpressions, d, m);
        }

        /**
         * Whether the selector selects a namespace with {@code labels}: TRUE or FALSE, or null when that
         * depends on labels not known: {@code complete} false means only the name label is known.
         */
        public Boolean selects(Map<String, String> labels, boolean complete) {
            boolean unknown = false;
            for (var e : matchLabels.entrySet()) {
                if (!complete && !e.getKey().equals(NAME_LABEL)) {
                    unknown = true;
                } else if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            for (Requirement r : matchExpressions) {
                if (!complete && !r.key().equals(NAME_LABEL)) {
                    unknown = true;
                } else if (!requirement(r, labels.get(r.key()))) {
                    return false;
                }
            }
            return unknown ? null : Boolean.TRUE;
        }

        private static boolean requirement(Requirement r, String v) {
            return switch (r.operator()) {
                case IN -> v != null && r.values().contains(v);
                case NOT_IN -> v == null || !r.values().contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
                default -> false;
            };
        }
    }

    /**
     * A topology spread constraint ({@code topologySpreadConstraints[]}): the pods its selector
     * matches in the pod's namespace may differ by at most {@code maxSkew} between the domains of
     * {@code term.topologyKey()}.
     *
     * @param hard {@code whenUnsatisfiable: DoNotSchedule} (ScheduleAnyway is a preference)
     * @param term the label selector (with {@code matchLabelKeys} resolved against the pod's own
     *             labels) and the topology key; namespaces empty: the pod's own
     */
    public record Spread(int maxSkew, boolean hard, PodAffinityTerm term, int minDomains, boolean honorsNodeAffinity,
                         boolean honorsNodeTaints, boolean perRollout) {
        /**
         * @param minDomains         while fewer domains than this are eligible, the scheduler takes the
         *                           fewest matching pods in a domain as 0 (1 when unset, which never binds)
         * @param honorsNodeAffinity {@code nodeAffinityPolicy: Honor} (the default): only nodes that the
         *                           pod's node selector and required node affinity admit count as domains
         * @param honorsNodeTaints   {@code nodeTaintsPolicy: Honor} (default Ignore): only nodes whose
         *                           NoSchedule/NoExecute taints the pod tolerates count
         * @param perRollout         {@code matchLabelKeys} names {@code pod-template-hash}, which the
         *                           Deployment's controller adds (so no template shows it): the
         *                           scheduler then counts only the pods of the pod's own rollout
         */
        public Spread {
            if (maxSkew < 1) {
                throw new IllegalArgumentException("maxSkew " + maxSkew);
            }
            if (minDomains < 1) {
                throw new IllegalArgumentException("minDomains " + minDomains);
            }
            Objects.requireNonNull(term, "term");
        }

        /** A constraint whose selector is not narrowed to one rollout. */
        public Spread(int maxSkew, boolean hard, PodAffinityTerm term, int minDomains, boolean honorsNodeAffinity,
                      boolean honorsNodeTaints) {
            this(maxSkew, hard, term, minDomains, honorsNodeAffinity, honorsNodeTaints, false);
        }

        /** A constraint with the default node inclusion policies (affinity honoured, taints ignored). */
        public Spread(int maxSkew, boolean hard, PodAffinityTerm term, int minDomains) {
            this(maxSkew, hard, term, minDomains, true, false);
        }

        /** A constraint without minDomains. */
        public Spread(int maxSkew, boolean hard, PodAffinityTerm term) {
            this(maxSkew, hard, term, 1);
        }
    }

    /** A node selector operator, as the API spells it. */
    public enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist"), GT("Gt"), LT("Lt");

        private final String api;

        Operator(String api) {
            this.api = api;
        }

        public String api() {
            return api;
        }

        /** The operator the API calls {@code name}, or null. */
        public static Operator of(String name) {
            for (Operator o : values()) {
                if (o.api.equals(name)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** One requirement on a node label ({@code matchExpressions}) or field ({@code matchFields}: metadata.name). */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
        }
    }

    /** A node selector term: its expressions and fields, ANDed. A term with neither matches no node. */
    public record Term(List<Requirement> matchExpressions, List<Requirement> matchFields) {
        public Term {
            matchExpressions = List.copyOf(matchExpressions);
            matchFields = List.copyOf(matchFields);
        }
    }

    /**
     * A toleration. {@code operator} is Equal (key and value must match) or Exists (key must match;
     * an empty key with Exists tolerates every taint); an empty {@code effect} matches every effect.
     */
    /**
     * A toleration; {@code seconds} is its {@code tolerationSeconds} (null: for ever), how long a pod stays on a node after a
     * NoExecute taint it matches is added before the taint manager evicts it (0 and below: at once).
     */
    public record Toleration(String key, String operator, String value, String effect, Long seconds) {
        public Toleration {
            key = key == null ? "" : key;
            operator = operator == null || operator.isEmpty() ? "Equal" : operator;
            value = value == null ? "" : value;
            effect = effect == null ? "" : effect;
        }

        /** A toleration for ever (no tolerationSeconds). */
        public Toleration(String key, String operator, String value, String effect) {
            this(key, operator, value, effect, null);
        }
    }

    /** A node taint: NoSchedule, PreferNoSchedule or NoExecute. */
    public record Taint(String key, String value, String effect) {
        public Taint {
            Objects.requireNonNull(key, "key");
            value = value == null ? "" : value;
            Objects.requireNonNull(effect, "effect");
        }

        @Override
        public String toString() {
            return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
        }
    }
}
