package io.nodesizer.input.manifest;

import io.nodesizer.input.InputException;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod spec's {@link Placement}: {@code nodeSelector}, {@code affinity.nodeAffinity.
 * requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms} and {@code tolerations},
 * validated as the API server validates them (operators, values per operator, toleration
 * operators and effects), each error at its YAML path.
 */
final class PodPlacement {
    static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private PodPlacement() {
    }

    static Placement of(YamlNode.Mapping podSpec, String path) {
        return of(podSpec, path, "default", Map.of());
    }

    /**
     * @param namespace the pod's namespace
     * @param labels    the pod's labels (a template's {@code metadata.labels})
     */
    static Placement of(YamlNode.Mapping podSpec, String path, String namespace, Map<String, String> labels) {
        return of(podSpec, path, namespace, labels, true);
    }

    /**
     * @param strict refuse fields the API does not have in spread constraints, tolerations and pod
     *               affinity terms (manifests: a typo such as {@code minDomain} would be dropped); a
     *               cluster snapshot's objects passed the API server of their cluster, which may know
     *               fields added after this reader, so there they are ignored
     */
    static Placement of(YamlNode.Mapping podSpec, String path, String namespace, Map<String, String> labels, boolean strict) {
        if (strict) {
            knownSchedulingFields(podSpec, path);
            eachPodTerm(podSpec, path, (t, p) -> labelKeys(t, p, labels));
        }
        Map<String, String> selector = nodeSelector(podSpec, path);
        List<Placement.Term> terms = null;
        YamlNode.Mapping affinity = Manifests.optionalMapping(podSpec, "affinity", path);
        YamlNode.Mapping nodeAffinity = affinity == null ? null : Manifests.optionalMapping(affinity, "nodeAffinity", path + ".affinity");
        String naPath = path + ".affinity.nodeAffinity";
        YamlNode.Mapping required = nodeAffinity == null ? null
                : Manifests.optionalMapping(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution", naPath);
        if (required != null) {
            String rPath = naPath + ".requiredDuringSchedulingIgnoredDuringExecution";
            YamlNode.Sequence list = Manifests.sequence(required, "nodeSelectorTerms", rPath);
            if (list == null || list.items().isEmpty()) {
                throw new InputException(required.at().withField(rPath), "The required node affinity at " + rPath
                        + " must have at least one entry in nodeSelectorTerms.");
            }
            terms = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                String tPath = rPath + ".nodeSelectorTerms[" + i + "]";
                YamlNode.Mapping term = Manifests.mapping(list.items().get(i), tPath);
                terms.add(new Placement.Term(requirements(term, "matchExpressions", tPath, false),
                        requirements(term, "matchFields", tPath, true)));
            }
        }
        List<Placement.PodAffinityTerm> anti = podTerms(affinity, "podAntiAffinity", path + ".affinity", labels);
        List<Placement.PodAffinityTerm> together = podTerms(affinity, "podAffinity", path + ".affinity", labels);
        List<Placement.Toleration> tolerations = tolerations(podSpec, path);
        Placement.Preferences preferences = new Placement.Preferences(preferredNodeTerms(nodeAffinity, naPath),
                preferredPodTerms(affinity, "podAffinity", path + ".affinity", labels),
                preferredPodTerms(affinity, "podAntiAffinity", path + ".affinity", labels),
                false);
        List<Placement.Spread> spreads = spread(podSpec, labels, path);
        Map<String, String> podLabels = labels;
        List<String> ports = hostPorts(podSpec, path);
        if (!ports.isEmpty()) {
            // NodePorts filter: no two pods with one host port and protocol on a node, in any namespace.
            // Modelled as a label per port and a required anti-affinity on the hostname to that label,
            // which every strategy, replay, the fleet and consolidation already keep (both ways).
            podLabels = new LinkedHashMap<>(labels);
            anti = new ArrayList<>(anti);
            for (String port : ports) {
                podLabels.put(port, "");
                anti.add(new Placement.PodAffinityTerm(Map.of(), List.of(new Placement.Requirement(port, Placement.Operator.EXISTS, List.of())),
                        List.of(), true, false, "kubernetes.io/hostname"));
            }
        }
        return new Placement(selector, terms, tolerations, namespace, podLabels, anti, together, spreads, preferences);
    }

    /**
     * Refuses a pod (anti-)affinity term's matchLabelKeys and mismatchLabelKeys as the API server does
     * (pkg/apis/core/validation/validation.go, validateMatchLabelKeysAndMismatchLabelKeys): either without a
     * labelSelector ("must not be specified when labelSelector is not set"), a key in both ("exists in both
     * matchLabelKeys and mismatchLabelKeys"), and a matchLabelKeys key the selector already names. That last one
     * is checked on the selector after kube-apiserver merged the pod's own values into it ({@code key In (value)},
     * pkg/registry/core/pod/strategy.go applyMatchLabelKeysAndMismatchLabelKeys, run before validation): a pod
     * template passes, and each pod carrying the key is refused when its controller creates it; a pod without the
     * label gets no merged requirement and is admitted. Manifests only: a snapshot's pods show the merged selector.
     */
    private static void labelKeys(YamlNode.Mapping term, String path, Map<String, String> ownLabels) {
        List<String> match = keyList(term, "matchLabelKeys", path);
        List<String> mismatch = keyList(term, "mismatchLabelKeys", path);
        boolean selects = term.get("labelSelector") instanceof YamlNode.Mapping;
        if (!selects && !(match.isEmpty() && mismatch.isEmpty())) {
            throw withoutSelector(term, path, "pod affinity term", match.isEmpty() ? "mismatchLabelKeys" : "matchLabelKeys");
        }
        for (int i = 0; i < match.size(); i++) {
            if (!match.get(i).isEmpty() && mismatch.contains(match.get(i))) {
                throw new InputException(matchLabelKeyAt(term, path, i), "The pod affinity term at " + path + " has " + match.get(i)
                        + " in both matchLabelKeys and mismatchLabelKeys; the API server refuses that (\"exists in both matchLabelKeys "
                        + "and mismatchLabelKeys\"), as no pod can both share and not share the pod's value.");
            }
        }
        if (!selects || match.isEmpty()) {
            return;
        }
        Map<String, String> matchLabels = new LinkedHashMap<>();
        List<Placement.Requirement> expressions = new ArrayList<>();
        labelSelector(term, "labelSelector", path, matchLabels, expressions);
        java.util.Set<String> named = new java.util.HashSet<>(matchLabels.keySet());
        List<String> keys = new ArrayList<>(expressions.stream().map(Placement.Requirement::key).toList());
        match.stream().filter(ownLabels::containsKey).forEach(keys::add); // the requirements the merge appends
        for (String key : keys) {
            if (match.contains(key) && !named.add(key)) {
                throw new InputException(matchLabelKeyAt(term, path, match.indexOf(key)), "The pod affinity term at " + path + " has " + key
                        + " in both matchLabelKeys and labelSelector; kube-apiserver adds " + key + " In (" + ownLabels.get(key)
                        + ") to the selector when it creates each pod and then refuses the pod (\"exists in both matchLabelKeys and "
                        + "labelSelector\"). Maybe keep " + key + " in one of them.");
            }
        }
    }

    /** Where the term's {@code matchLabelKeys[i]} is. */
    private static io.nodesizer.input.SourceLocation matchLabelKeyAt(YamlNode.Mapping term, String path, int i) {
        return ((YamlNode.Sequence) term.get("matchLabelKeys")).items().get(i).at().withField(path + ".matchLabelKeys[" + i + "]");
    }

    /** The texts of the list {@code key} of {@code owner} (items that are no text left to the other checks). */
    private static List<String> keyList(YamlNode.Mapping owner, String key, String path) {
        YamlNode.Sequence list = Manifests.sequence(owner, key, path);
        return list == null ? List.of() : list.items().stream()
                .map(k -> k instanceof YamlNode.Scalar sk && !sk.isNull() ? sk.text() : "").toList();
    }

    /** The API server's refusal of matchLabelKeys (or mismatchLabelKeys) on a term or spread without a labelSelector. */
    private static InputException withoutSelector(YamlNode.Mapping owner, String path, String what, String key) {
        return new InputException(owner.get(key).at().withField(path + "." + key), "The " + what + " at " + path + " has " + key
                + " but no labelSelector; the API server refuses " + key + " when labelSelector is not set (\"must not be specified when "
                + "labelSelector is not set\"), as the keys only narrow a selector. Maybe add the labelSelector the keys narrow.");
    }

    /** The label the Deployment controller gives each ReplicaSet's pods: one value per rollout. */
    static final String ROLLOUT_HASH = "pod-template-hash";

    /**
     * A Deployment's template labels with {@code pod-template-hash}, one value per Deployment
     * ({@code id}), when one of its pod (anti-)affinity terms names that key in matchLabelKeys or
     * mismatchLabelKeys: kube-apiserver merges the pod's own value into the term's selector, so
     * {@code podAffinity} to another workload's pods with {@code matchLabelKeys: [pod-template-hash]}
     * selects none of them (they are of other rollouts) and the pod stays Pending, and
     * anti-affinity to {@code app: web} with it repels only this rollout's pods, not a canary's.
     * Spreads keep their own per-rollout reading ({@code Spread.perRollout}).
     */
    static Map<String, String> rolloutHash(YamlNode.Mapping podSpec, Map<String, String> labels, String id) {
        return controllerLabel(podSpec, labels, id, ROLLOUT_HASH, false);
    }

    /** The label the StatefulSet and DaemonSet controllers give every pod: one value per controller revision. */
    static final String REVISION_HASH = "controller-revision-hash";

    /**
     * A StatefulSet's or DaemonSet's template labels with {@code controller-revision-hash}, one value
     * per workload ({@code id}), when a pod (anti-)affinity term or a topology spread names that key
     * in matchLabelKeys (or a term in mismatchLabelKeys). The controllers set it on every pod they
     * create (StatefulSet: stateful_set_utils.go newVersionedStatefulSetPod → setPodRevision;
     * DaemonSet: util.CreatePodTemplate), so no template shows it, yet all pods of one workload at one
     * revision share its value and no other workload's pods carry it. kube-apiserver merges the pod's
     * value into a term's selector (KEP-3633, MatchLabelKeysInPodAffinity) and PodTopologySpread
     * takes it from the incoming pod's labels (podtopologyspread/common.go, mergeLabelSetWithSelector):
     * either way the rule then selects only this workload's pods. Without this the key would be
     * absent, ignored as upstream ignores a key the pod lacks, and a chart-wide selector
     * ({@code app.kubernetes.io/part-of}) would repel or count every other workload's pods too.
     * A bare Pod (or a Deployment's) gets no such label, and the key is ignored for it, as upstream.
     */
    static Map<String, String> revisionHash(YamlNode.Mapping podSpec, Map<String, String> labels, String id) {
        return controllerLabel(podSpec, labels, id, REVISION_HASH, true);
    }

    /**
     * The labels with {@code key} set to a value of the workload's own when the pod's terms (and,
     * with {@code spreadsToo}, its topology spreads) name it in matchLabelKeys/mismatchLabelKeys.
     */
    private static Map<String, String> controllerLabel(YamlNode.Mapping podSpec, Map<String, String> labels, String id, String key,
                                                       boolean spreadsToo) {
        if (labels.containsKey(key)) {
            return labels;
        }
        boolean[] named = {false};
        java.util.function.BiConsumer<YamlNode.Mapping, String> names = (t, p) -> {
            for (String which : List.of("matchLabelKeys", "mismatchLabelKeys")) {
                named[0] |= t.get(which) instanceof YamlNode.Sequence keys && keys.items().stream()
                        .anyMatch(k -> k instanceof YamlNode.Scalar sk && key.equals(sk.text()));
            }
        };
        eachPodTerm(podSpec, "spec", names);
        if (spreadsToo) {
            // a pod-template-hash spread has its own per-rollout reading (Spread.perRollout); this key joins the selector
            eachMapping(podSpec, "topologySpreadConstraints", "spec", names);
        }
        if (!named[0]) {
            return labels;
        }
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.put(key, String.format("%08x", id.hashCode()));
        return out;
    }

    /** The label that stands for a host port (protocol and number) a pod holds on its node. */
    static final String HOST_PORT_LABEL = io.nodesizer.kube.PodConflicts.HOST_PORT_LABEL;

    /** The placement without the anti-affinity terms {@link #of} adds for host ports (their labels stay). */
    static Placement withoutHostPortTerms(Placement p) {
        List<Placement.PodAffinityTerm> anti = p.antiAffinity().stream().filter(t -> !(t.matchLabels().isEmpty()
                && t.matchExpressions().size() == 1 && t.matchExpressions().get(0).key().startsWith(HOST_PORT_LABEL))).toList();
        return anti.size() == p.antiAffinity().size() ? p : new Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(),
                p.podLabels(), anti, p.affinity(), p.spread(), p.preferences());
    }

    /**
     * The host ports the pod takes while it runs, as NodePorts' getContainerPorts collects them: its
     * app containers' and its sidecars' (init containers with {@code restartPolicy: Always}, counted
     * since kubernetes#132040, 1.34 and 1.33.x), not a plain init container's, which has exited by
     * then; each {@code ports[].hostPort} above 0, or with {@code hostNetwork: true} each
     * {@code containerPort} (the API defaults hostPort to it, init containers' too), as {@link
     * #HOST_PORT_LABEL} + protocol + number. The host IP is not told apart (0.0.0.0 takes every IP).
     */
    private static List<String> hostPorts(YamlNode.Mapping podSpec, String path) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        hostPorts(podSpec, path, "containers", out);
        hostPorts(podSpec, path, "initContainers", out);
        return new ArrayList<>(out);
    }

    private static void hostPorts(YamlNode.Mapping podSpec, String path, String list, java.util.Set<String> out) {
        boolean hostNetwork = Manifests.flag(podSpec, "hostNetwork", path);
        YamlNode.Sequence containers = Manifests.sequence(podSpec, list, path);
        // AccumulateUniqueHostPorts (pkg/apis/core/validation/validation.go): the pod's app containers may not hold one
        // protocol, hostIP and hostPort twice; each init container is checked alone, as they run one by one.
        Map<String, String> held = new java.util.HashMap<>();
        for (int i = 0; containers != null && i < containers.items().size(); i++) {
            if (!(containers.items().get(i) instanceof YamlNode.Mapping c)) {
                continue;
            }
            String cp = path + "." + list + "[" + i + "]";
            boolean init = list.equals("initContainers");
            if (init) {
                held.clear();
            }
            // a plain init container runs to completion before the app containers start: its ports are not held
            boolean holds = !init || "Always".equals(Manifests.text(c, "restartPolicy", cp));
            YamlNode.Sequence ports = Manifests.sequence(c, "ports", cp);
            for (int j = 0; ports != null && j < ports.items().size(); j++) {
                if (!(ports.items().get(j) instanceof YamlNode.Mapping port)) {
                    continue;
                }
                String pp = cp + ".ports[" + j + "]";
                String host = Manifests.integerText(port, "hostPort", pp);
                boolean onHost = host != null && !host.isBlank() && !host.trim().equals("0");
                String container = Manifests.integerText(port, "containerPort", pp);
                if (hostNetwork && onHost && list.equals("containers") && container != null && host.trim().matches("\\d{1,9}")
                        && container.trim().matches("\\d{1,9}") && Integer.parseInt(host.trim()) != Integer.parseInt(container.trim())) {
                    // validatePodHostNetworkDeps: on the host's network a port is the container's own.
                    throw new InputException(port.at().withField(pp + ".hostPort"), "The hostPort at " + pp + ".hostPort ("
                            + Manifests.shown(port, "hostPort") + ") must match containerPort (" + Manifests.shown(port, "containerPort")
                            + ") when hostNetwork is true; the API server refuses the pod. Maybe leave hostPort out: it defaults to containerPort.");
                }
                String number = onHost ? host.trim() : hostNetwork ? container : null;
                if (number == null || !number.trim().matches("\\d{1,5}") || Integer.parseInt(number.trim()) < 1
                        || Integer.parseInt(number.trim()) > 65535) {
                    if (number != null) {
                        String field = pp + (onHost ? ".hostPort" : ".containerPort");
                        throw new InputException(port.at().withField(field), "The port at " + field + " must be a number from 1 to 65535; found '"
                                + Manifests.shown(port, onHost ? "hostPort" : "containerPort") + "'.");
                    }
                    continue;
                }
                String protocol = Manifests.text(port, "protocol", pp);
                protocol = protocol == null || protocol.isBlank() ? "TCP" : protocol;
                if (!Set.of("TCP", "UDP", "SCTP").contains(protocol)) {
                    throw new InputException(port.at().withField(pp + ".protocol"), "The protocol at " + pp + ".protocol must be TCP, UDP or SCTP; found '"
                            + protocol + "'.");
                }
                int portNumber = Integer.parseInt(number.trim());
                String hostIp = Manifests.text(port, "hostIP", pp);
                String field = pp + (onHost ? ".hostPort" : ".containerPort");
                String first = held.putIfAbsent(protocol + "/" + (hostIp == null ? "" : hostIp) + "/" + portNumber, field);
                if (first != null) {
                    throw new InputException(port.at().withField(field), "The host port at " + field + " (" + portNumber + " " + protocol
                            + (hostIp == null || hostIp.isEmpty() ? "" : " on " + hostIp) + ") repeats the one at " + first
                            + "; the API server refuses the pod (AccumulateUniqueHostPorts: \"Duplicate value\"), as one pod cannot "
                            + "bind a host port twice." + (hostNetwork && !onHost ? " With hostNetwork each containerPort is a host port." : ""));
                }
                if (holds) {
                    out.add(HOST_PORT_LABEL + protocol.toLowerCase(java.util.Locale.ROOT) + "-" + portNumber);
                }
            }
        }
    }

    /** The {@code nodeSelector} of a pod spec (or of a RuntimeClass's {@code scheduling}), empty when it has none. */
    static Map<String, String> nodeSelector(YamlNode.Mapping owner, String path) {
        Map<String, String> selector = new LinkedHashMap<>();
        YamlNode.Mapping ns = Manifests.optionalMapping(owner, "nodeSelector", path);
        if (ns != null) {
            for (String key : ns.entries().keySet()) {
                String v = Manifests.string(ns, key, path + ".nodeSelector");
                v = v == null ? "" : v;
                // The API server validates a node selector as labels (ValidateLabels): a pod with
                // another key or value is refused, where packing it would only find no node for it.
                boolean badKey = !NodeMatching.LABEL_KEY.matcher(key).matches();
                if (badKey || !NodeMatching.LABEL_VALUE.matcher(v).matches()) {
                    throw new InputException(ns.get(key).at().withField(path + ".nodeSelector." + key), "The node selector at " + path
                            + ".nodeSelector must hold labels; found " + (badKey ? "the key '" + key + "'" : "the value '" + v + "' of " + key)
                            + ", and a label " + (badKey ? "key is an optional DNS-subdomain prefix and '/', then a name of up to 63 letters, "
                            + "digits, '-', '_' or '.' starting and ending alphanumeric" : "value is empty or up to 63 letters, digits, '-', "
                            + "'_' or '.' starting and ending alphanumeric") + "; the API server refuses the pod.");
                }
                selector.put(key, v);
            }
        }
        return selector;
    }

    /** The {@code tolerations} of a pod spec (or of a RuntimeClass's {@code scheduling}), checked as the API server validates them. */
    static List<Placement.Toleration> tolerations(YamlNode.Mapping owner, String path) {
        List<Placement.Toleration> tolerations = new ArrayList<>();
        YamlNode.Sequence tol = Manifests.sequence(owner, "tolerations", path);
        if (tol != null) {
            for (int i = 0; i < tol.items().size(); i++) {
                tolerations.add(toleration(Manifests.mapping(tol.items().get(i), path + ".tolerations[" + i + "]"),
                        path + ".tolerations[" + i + "]"));
            }
        }
        return tolerations;
    }

    /** {@code topologySpreadConstraints}: maxSkew, topologyKey, whenUnsatisfiable, minDomains, labelSelector, matchLabelKeys. */
    private static List<Placement.Spread> spread(YamlNode.Mapping podSpec, Map<String, String> ownLabels, String path) {
        List<Placement.Spread> out = new ArrayList<>();
        YamlNode.Sequence list = Manifests.sequence(podSpec, "topologySpreadConstraints", path);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String tp = path + ".topologySpreadConstraints[" + i + "]";
            YamlNode.Mapping c = Manifests.mapping(list.items().get(i), tp);
            String skewText = Manifests.integerText(c, "maxSkew", tp);
            int maxSkew;
            try {
                maxSkew = skewText == null ? -1 : Integer.parseInt(skewText.trim());
            } catch (NumberFormatException e) {
                maxSkew = -1;
            }
            if (maxSkew < 1) {
                throw new InputException(c.at().withField(tp + ".maxSkew"), "The topology spread constraint at " + tp + " needs maxSkew, "
                        + "a whole number of at least 1; found " + (skewText == null ? "none" : "'" + Manifests.shown(c, "maxSkew") + "'") + ".");
            }
            String topologyKey = Manifests.text(c, "topologyKey", tp);
            if (topologyKey == null || topologyKey.isBlank()) {
                throw new InputException(c.at().withField(tp + ".topologyKey"), "The topology spread constraint at " + tp
                        + " must have a topologyKey, e.g. kubernetes.io/hostname or topology.kubernetes.io/zone.");
            }
            String when = Manifests.text(c, "whenUnsatisfiable", tp);
            if (!"DoNotSchedule".equals(when) && !"ScheduleAnyway".equals(when)) {
                throw new InputException(c.at().withField(tp + ".whenUnsatisfiable"), "The topology spread constraint at " + tp
                        + " needs whenUnsatisfiable DoNotSchedule or ScheduleAnyway; found " + (when == null ? "none" : "'" + when + "'") + ".");
            }
            String minText = Manifests.integerText(c, "minDomains", tp);
            int minDomains = 1;
            if (minText != null) {
                if (!minText.trim().matches("\\d{1,9}") || Integer.parseInt(minText.trim()) < 1) {
                    throw new InputException(c.at().withField(tp + ".minDomains"), "The value at " + tp
                            + ".minDomains must be a whole number of at least 1; found '" + Manifests.shown(c, "minDomains") + "'.");
                }
                if (!"DoNotSchedule".equals(when)) {
                    throw new InputException(c.at().withField(tp + ".minDomains"), "The value at " + tp
                            + ".minDomains is allowed only with whenUnsatisfiable DoNotSchedule; found " + when + ".");
                }
                minDomains = Integer.parseInt(minText.trim());
            }
            Map<String, String> matchLabels = new LinkedHashMap<>();
            List<Placement.Requirement> expressions = new ArrayList<>();
            boolean selects = labelSelector(c, "labelSelector", tp, matchLabels, expressions);
            // matchLabelKeys: the pod's own values of these keys join the selector (pod-template-hash: this rollout only)
            YamlNode.Sequence keys = Manifests.sequence(c, "matchLabelKeys", tp);
            if (keys != null && !keys.items().isEmpty() && !selects) {
                throw withoutSelector(c, tp, "topology spread constraint", "matchLabelKeys");
            }
            for (YamlNode k : keys == null ? List.<YamlNode>of() : keys.items()) {
                // ValidateMatchLabelKeysInTopologySpread: a key may not be in both
                if (k instanceof YamlNode.Scalar sk && !sk.isNull() && (matchLabels.containsKey(sk.text())
                        || expressions.stream().anyMatch(r -> r.key().equals(sk.text())))) {
                    throw new InputException(c.at().withField(tp + ".matchLabelKeys"), "The topology spread constraint at " + tp + " has "
                            + sk.text() + " in both matchLabelKeys and labelSelector; the API server rejects that.");
                }
            }
            boolean perRollout = false;
            if (keys != null && selects) {
                for (YamlNode k : keys.items()) {
                    if (k instanceof YamlNode.Scalar sk && ROLLOUT_HASH.equals(sk.text())) {
                        perRollout = true; // added by the Deployment's controller (or by rolloutHash for pod terms)
                    } else if (k instanceof YamlNode.Scalar sk && !sk.isNull() && ownLabels.containsKey(sk.text())) {
                        matchLabels.put(sk.text(), ownLabels.get(sk.text()));
                    }
                }
            }
            for (int j = 0; j < i; j++) {
                // ValidateSpreadConstraintNotRepeat: one constraint per {topologyKey, whenUnsatisfiable}
                YamlNode.Mapping earlier = Manifests.mapping(list.items().get(j), path + ".topologySpreadConstraints[" + j + "]");
                if (topologyKey.equals(Manifests.text(earlier, "topologyKey", tp)) && when.equals(Manifests.text(earlier, "whenUnsatisfiable", tp))) {
                    throw new InputException(c.at().withField(tp), "The topology spread constraint at " + tp + " repeats topologyKey "
                            + topologyKey + " with whenUnsatisfiable " + when + " of " + path + ".topologySpreadConstraints[" + j
                            + "]; the API server rejects such a pair as a duplicate.");
                }
            }
            if (selects && matchLabels.isEmpty() && expressions.isEmpty() && !perRollout) {
                // labelSelector: {} (and no matchLabelKeys value merged in) is labels.Everything(), whose Empty() is true, and
                // kubernetes podtopologyspread/common.go countPodsMatchSelector counts no pod for an empty selector: the spread
                // counts nothing, so its skew is at most 1 and it refuses no node (review 75 F4). The pod's own match makes no
                // difference there, so the absent selector's requirement stands for it. Spreads only: InterPodAffinity's {}
                // selects every pod.
                expressions.add(MATCHES_NOTHING);
            }
            boolean honorsAffinity = policy(c, "nodeAffinityPolicy", tp, true);
            boolean honorsTaints = policy(c, "nodeTaintsPolicy", tp, false);
            out.add(new Placement.Spread(maxSkew, "DoNotSchedule".equals(when),
                    new Placement.PodAffinityTerm(matchLabels, expressions, List.of(), false, false, topologyKey), minDomains,
                    honorsAffinity, honorsTaints, perRollout));
        }
        return out;
    }

    /**
     * The fields of the pod spec's spread constraints, tolerations and {@code affinity}, down to each node selector
     * requirement and each label selector, checked by {@link #knownFields}: a misspelt {@code podAntiAfinity},
     * {@code requiredDuringSchedulingIgnoredDuringExecutio} or {@code matchLabel} would otherwise drop a hard rule
     * (QA 68b F3: three replicas packed on one node).
     */
    private static void knownSchedulingFields(YamlNode.Mapping podSpec, String path) {
        eachMapping(podSpec, "topologySpreadConstraints", path, (m, p) -> {
            knownFields(m, p, "topology spread constraint", SPREAD_FIELDS);
            knownSelectorFields(m, "labelSelector", p);
        });
        eachMapping(podSpec, "tolerations", path, (m, p) -> knownFields(m, p, "toleration", TOLERATION_FIELDS));
        if (!(podSpec.get("affinity") instanceof YamlNode.Mapping affinity)) {
            return;
        }
        String ap = path + ".affinity";
        knownFields(affinity, ap, "affinity", Set.of("nodeAffinity", "podAffinity", "podAntiAffinity"));
        for (String kind : List.of("nodeAffinity", "podAffinity", "podAntiAffinity")) {
            if (affinity.get(kind) instanceof YamlNode.Mapping m) {
                String kp = ap + "." + kind;
                knownFields(m, kp, Map.of("nodeAffinity", "node affinity", "podAffinity", "pod affinity").getOrDefault(kind, "pod anti-affinity"),
                        Set.of(REQUIRED, PREFERRED));
                String inner = kind.equals("nodeAffinity") ? "preference" : "podAffinityTerm";
                eachMapping(m, PREFERRED, kp, (w, p) -> knownFields(w, p, "preferred term", Set.of("weight", inner)));
            }
        }
        if (affinity.get("nodeAffinity") instanceof YamlNode.Mapping na) {
            String np = ap + ".nodeAffinity";
            if (na.get(REQUIRED) instanceof YamlNode.Mapping selector) {
                knownFields(selector, np + "." + REQUIRED, "node selector", Set.of("nodeSelectorTerms"));
                eachMapping(selector, "nodeSelectorTerms", np + "." + REQUIRED, PodPlacement::knownNodeTermFields);
            }
            eachMapping(na, PREFERRED, np, (w, p) -> {
                if (w.get("preference") instanceof YamlNode.Mapping term) {
                    knownNodeTermFields(term, p + ".preference");
                }
            });
        }
        eachPodTerm(podSpec, path, (t, p) -> {
            knownFields(t, p, "pod affinity term", POD_TERM_FIELDS);
            knownSelectorFields(t, "labelSelector", p);
            knownSelectorFields(t, "namespaceSelector", p);
        });
    }

    private static final String REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution";
    private static final String PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution";

    /** A node selector term's fields and those of its requirements (core/v1 NodeSelectorTerm, NodeSelectorRequirement). */
    private static void knownNodeTermFields(YamlNode.Mapping term, String path) {
        knownFields(term, path, "node selector term", Set.of("matchExpressions", "matchFields"));
        for (String list : List.of("matchExpressions", "matchFields")) {
            eachMapping(term, list, path, (r, p) -> knownFields(r, p, "node selector requirement", REQUIREMENT_FIELDS));
        }
    }

    /** The fields of {@code owner.<key>}, a label selector, and of its requirements (meta/v1 LabelSelector, LabelSelectorRequirement). */
    private static void knownSelectorFields(YamlNode.Mapping owner, String key, String path) {
        if (owner.get(key) instanceof YamlNode.Mapping selector) {
            knownFields(selector, path + "." + key, "label selector", Set.of("matchLabels", "matchExpressions"));
            eachMapping(selector, "matchExpressions", path + "." + key, (r, p) -> knownFields(r, p, "label selector requirement",
                    REQUIREMENT_FIELDS));
        }
    }

    private static final Set<String> REQUIREMENT_FIELDS = Set.of("key", "operator", "values");

    /**
     * Each pod (anti-)affinity term of the pod spec, required and preferred ({@code podAffinityTerm}
     * of a weighted one), with its path; items that are not mappings are left to the parser's messages.
     */
    private static void eachPodTerm(YamlNode.Mapping podSpec, String path, java.util.function.BiConsumer<YamlNode.Mapping, String> each) {
        if (!(podSpec.get("affinity") instanceof YamlNode.Mapping affinity)) {
            return;
        }
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            if (affinity.get(kind) instanceof YamlNode.Mapping m) {
                String kp = path + ".affinity." + kind;
                eachMapping(m, REQUIRED, kp, each);
                eachMapping(m, PREFERRED, kp, (w, p) -> {
                    if (w.get("podAffinityTerm") instanceof YamlNode.Mapping t) {
                        each.accept(t, p + ".podAffinityTerm");
                    }
                });
            }
        }
    }

    /** Each mapping item of the list {@code key} of {@code owner}, with its path (other items are left to the parser's messages). */
    private static void eachMapping(YamlNode.Mapping owner, String key, String path,
                                    java.util.function.BiConsumer<YamlNode.Mapping, String> each) {
        if (owner.get(key) instanceof YamlNode.Sequence list) {
            for (int i = 0; i < list.items().size(); i++) {
                if (list.items().get(i) instanceof YamlNode.Mapping m) {
                    each.accept(m, path + "." + key + "[" + i + "]");
                }
            }
        }
    }

    /**
     * Refuses a field {@code m} does not have in the API (a typo such as {@code minDomain} would
     * otherwise be dropped and the rule packed without it): kube-apiserver's strict field
     * validation, which kubectl asks for by default, rejects the object. Unlike {@link
     * KnownFields#check} (spec level, where a newer release may add a field), every unknown field
     * is refused, and the nearest known one is named when there is one.
     */
    private static void knownFields(YamlNode.Mapping m, String path, String what, Set<String> known) {
        for (String key : m.entries().keySet()) {
            if (!known.contains(key)) {
                String near = io.nodesizer.model.NameLists.nearest(key, known);
                throw new InputException(m.get(key).at().withField(path + "." + key), "The " + what + " at " + path
                        + " has an unknown field " + key + (near == null ? "; it" : "; did you mean " + near + "? It") + " takes "
                        + String.join(", ", new java.util.TreeSet<>(known)) + " (the API server rejects unknown fields).");
            }
        }
    }

    private static final Set<String> SPREAD_FIELDS = Set.of("maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector",
            "minDomains", "nodeAffinityPolicy", "nodeTaintsPolicy", "matchLabelKeys");
    private static final Set<String> TOLERATION_FIELDS = Set.of("key", "operator", "value", "effect", "tolerationSeconds");
    private static final Set<String> POD_TERM_FIELDS = Set.of("labelSelector", "namespaces", "topologyKey", "namespaceSelector",
            "matchLabelKeys", "mismatchLabelKeys");

    /** A node inclusion policy of a spread constraint: Honor or Ignore, absent meaning {@code byDefault} (Honor = true). */
    private static boolean policy(YamlNode.Mapping c, String key, String path, boolean byDefault) {
        String v = Manifests.text(c, key, path);
        if (v == null) {
            return byDefault;
        }
        if (!v.equals("Honor") && !v.equals("Ignore")) {
            throw new InputException(c.at().withField(path + "." + key), "The value at " + path + "." + key
                    + " must be Honor or Ignore; found '" + v + "'.");
        }
        return v.equals("Honor");
    }

    /** A required pod (anti-)affinity list: {@code affinity.<key>.requiredDuringSchedulingIgnoredDuringExecution}. */
    private static List<Placement.PodAffinityTerm> podTerms(YamlNode.Mapping affinity, String key, String path, Map<String, String> ownLabels) {
        List<Placement.PodAffinityTerm> out = new ArrayList<>();
        YamlNode.Mapping m = affinity == null ? null : Manifests.optionalMapping(affinity, key, path);
        String p = path + "." + key + ".requiredDuringSchedulingIgnoredDuringExecution";
        YamlNode.Sequence list = m == null ? null : Manifests.sequence(m, "requiredDuringSchedulingIgnoredDuringExecution", path + "." + key);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String tp = p + "[" + i + "]";
            out.add(podTerm(Manifests.mapping(list.items().get(i), tp), tp, ownLabels));
        }
        return out;
    }

    /** A preferred pod (anti-)affinity list: {@code affinity.<key>.preferredDuringSchedulingIgnoredDuringExecution}. */
    private static List<Placement.WeightedPodTerm> preferredPodTerms(YamlNode.Mapping affinity, String key, String path,
                                                                     Map<String, String> ownLabels) {
        YamlNode.Mapping m = affinity == null ? null : Manifests.optionalMapping(affinity, key, path);
        return preferred(m, path + "." + key, "podAffinityTerm", "a podAffinityTerm",
                (weight, term, at) -> new Placement.WeightedPodTerm(weight, podTerm(term, at, ownLabels)));
    }

    /** {@code affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution}: weighted node selector terms. */
    private static List<Placement.WeightedTerm> preferredNodeTerms(YamlNode.Mapping nodeAffinity, String path) {
        return preferred(nodeAffinity, path, "preference", "a preference (a node selector term)",
                (weight, term, at) -> new Placement.WeightedTerm(weight, new Placement.Term(requirements(term, "matchExpressions", at, false),
                        requirements(term, "matchFields", at, true))));
    }

    /** Reads one weighted entry's inner mapping (at its path) into a term. */
    private interface WeightedEntry<T> {
        T read(int weight, YamlNode.Mapping inner, String innerPath);
    }

    /**
     * The {@code preferredDuringSchedulingIgnoredDuringExecution} list of {@code owner} (at {@code path}):
     * each entry's weight (1..100) and its {@code innerKey} mapping, which it must have.
     */
    private static <T> List<T> preferred(YamlNode.Mapping owner, String path, String innerKey, String what, WeightedEntry<T> entryReader) {
        List<T> out = new ArrayList<>();
        String p = path + ".preferredDuringSchedulingIgnoredDuringExecution";
        YamlNode.Sequence list = owner == null ? null : Manifests.sequence(owner, "preferredDuringSchedulingIgnoredDuringExecution", path);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String tp = p + "[" + i + "]";
            YamlNode.Mapping entry = Manifests.mapping(list.items().get(i), tp);
            int weight = weight(entry, tp);
            YamlNode.Mapping inner = Manifests.optionalMapping(entry, innerKey, tp);
            if (inner == null) {
                throw new InputException(entry.at().withField(tp + "." + innerKey), "The preferred term at " + tp + " must have " + what + ".");
            }
            out.add(entryReader.read(weight, inner, tp + "." + innerKey));
        }
        return out;
    }

    /** A preferred term's {@code weight}: a whole number from 1 to 100, as the API server validates it. */
    private static int weight(YamlNode.Mapping entry, String path) {
        String text = Manifests.integerText(entry, "weight", path);
        String t = text == null ? "" : text.trim();
        if (!t.matches("\\d{1,3}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 100) {
            throw new InputException(entry.at().withField(path + ".weight"), "The preferred term at " + path
                    + " needs a weight from 1 to 100; found " + (text == null ? "none" : "'" + Manifests.shown(entry, "weight") + "'") + ".");
        }
        return Integer.parseInt(t);
    }

    /**
     * One pod affinity term: labelSelector, namespaces, namespaceSelector, topologyKey, and
     * matchLabelKeys / mismatchLabelKeys, which kube-apiserver merges into the label selector when
     * it creates the pod (MatchLabelKeysInPodAffinity, on by default since 1.31): {@code key In
     * (the pod's value)} and {@code key NotIn (the pod's value)}, for keys the pod carries, and
     * only when the term has a labelSelector (pkg/registry/core/pod/strategy.go,
     * applyMatchLabelKeysAndMismatchLabelKeys). {@code ownLabels} are the template's labels, so
     * pod-template-hash, which the ReplicaSet adds, is not among them.
     */
    private static Placement.PodAffinityTerm podTerm(YamlNode.Mapping term, String tp, Map<String, String> ownLabels) {
        String topologyKey = Manifests.text(term, "topologyKey", tp);
        if (topologyKey == null || topologyKey.isBlank()) {
            throw new InputException(term.at().withField(tp + ".topologyKey"), "The pod affinity term at " + tp
                    + " must have a topologyKey, e.g. kubernetes.io/hostname.");
        }
        Map<String, String> matchLabels = new LinkedHashMap<>();
        List<Placement.Requirement> expressions = new ArrayList<>();
        boolean selects = labelSelector(term, "labelSelector", tp, matchLabels, expressions);
        for (String which : List.of("matchLabelKeys", "mismatchLabelKeys")) {
            YamlNode.Sequence keys = Manifests.sequence(term, which, tp);
            for (YamlNode k : keys == null || !selects ? List.<YamlNode>of() : keys.items()) {
                if (k instanceof YamlNode.Scalar sk && !sk.isNull() && ownLabels.containsKey(sk.text())) {
                    expressions.add(new Placement.Requirement(sk.text(), which.equals("matchLabelKeys") ? Placement.Operator.IN
                            : Placement.Operator.NOT_IN, List.of(ownLabels.get(sk.text()))));
                }
            }
        }
        List<String> namespaces = new ArrayList<>();
        YamlNode.Sequence ns = Manifests.sequence(term, "namespaces", tp);
        if (ns != null) {
            for (YamlNode n : ns.items()) {
                if (n instanceof YamlNode.Scalar s && !s.isNull()) {
                    namespaces.add(s.text());
                }
            }
        }
        YamlNode.Mapping nsSelector = Manifests.optionalMapping(term, "namespaceSelector", tp);
        boolean all = nsSelector != null && nsSelector.entries().isEmpty();
        Placement.NamespaceSelector labelled = null;
        if (nsSelector != null && !nsSelector.entries().isEmpty()) {
            // Resolved to namespaces once every input is read (Namespaces.apply); taken as every namespace until then.
            Map<String, String> nsLabels = new LinkedHashMap<>();
            List<Placement.Requirement> nsExpressions = new ArrayList<>();
            labelSelector(term, "namespaceSelector", tp, nsLabels, nsExpressions);
            labelled = new Placement.NamespaceSelector(nsLabels, nsExpressions);
            if (nsLabels.isEmpty() && nsExpressions.isEmpty()) {
                all = true; // matchLabels: {} and no expressions: as {}, every namespace
                labelled = null;
            }
        }
        return new Placement.PodAffinityTerm(matchLabels, expressions, namespaces, all, labelled != null, topologyKey, labelled);
    }

    /**
     * A PodDisruptionBudget's {@code spec.selector} as a term over the budget's own namespace (an
     * absent selector selects no pod; an empty one every pod of the namespace).
     */
    static Placement.PodAffinityTerm budgetSelector(YamlNode.Mapping spec, String path, String namespace) {
        Map<String, String> matchLabels = new java.util.TreeMap<>();
        List<Placement.Requirement> expressions = new ArrayList<>();
        labelSelector(spec, "selector", path, matchLabels, expressions);
        return new Placement.PodAffinityTerm(matchLabels, expressions, List.of(namespace), false, false, "");
    }

    /**
     * A pod label selector ({@code owner.<key>}: matchLabels, matchExpressions with In, NotIn,
     * Exists, DoesNotExist) into {@code matchLabels} and {@code expressions}; an absent one
     * selects no pod, as the API has it. Returns whether there was one.
     */
    static boolean labelSelector(YamlNode.Mapping owner, String key, String path, Map<String, String> matchLabels,
                                         List<Placement.Requirement> expressions) {
        YamlNode.Mapping selector = Manifests.optionalMapping(owner, key, path);
        String at = path + "." + key;
        if (selector == null) {
            // The API: a null labelSelector matches no pods (LabelSelectorAsSelector(nil) is labels.Nothing()).
            expressions.add(MATCHES_NOTHING);
            return false;
        }
        YamlNode.Mapping ml = Manifests.optionalMapping(selector, "matchLabels", at);
        if (ml != null) {
            for (String k : ml.entries().keySet()) {
                String v = Manifests.string(ml, k, at + ".matchLabels");
                matchLabels.put(k, v == null ? "" : v);
            }
        }
        expressions.addAll(requirements(selector, "matchExpressions", at, false, true));
        return true;
    }

    /** A requirement no pod meets ({@code In} with no values): what an absent label selector selects. */
    private static final Placement.Requirement MATCHES_NOTHING = new Placement.Requirement("", Placement.Operator.IN, List.of());

    /** Node selector requirements, validated per operator. */
    static List<Placement.Requirement> requirements(YamlNode.Mapping term, String key, String path, boolean fields) {
        return requirements(term, key, path, fields, false);
    }

    /**
     * Requirements, validated per operator; a label selector's ({@code labelSelector}) take no Gt or Lt, which only node
     * selectors have, and its errors say so alike for an unknown operator and for those.
     */
    private static List<Placement.Requirement> requirements(YamlNode.Mapping term, String key, String path, boolean fields,
                                                            boolean labelSelector) {
        List<Placement.Requirement> out = new ArrayList<>();
        YamlNode.Sequence list = Manifests.sequence(term, key, path);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String p = path + "." + key + "[" + i + "]";
            YamlNode.Mapping m = Manifests.mapping(list.items().get(i), p);
            String k = Manifests.text(m, "key", p);
            String op = Manifests.text(m, "operator", p);
            if (k == null || k.isEmpty()) {
                throw new InputException(m.at().withField(p + ".key"), "The requirement at " + p + " must have a key.");
            }
            Placement.Operator operator = op == null ? null : Placement.Operator.of(op);
            if (operator == null || labelSelector && (operator == Placement.Operator.GT || operator == Placement.Operator.LT)) {
                throw new InputException(m.at().withField(p + ".operator"), "The operator at " + p + ".operator (" + op
                        + (labelSelector ? ") must be one of In, NotIn, Exists, DoesNotExist (a label selector has no Gt or Lt)."
                        : ") must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt."));
            }
            if (fields && (!k.equals("metadata.name") || operator != Placement.Operator.IN && operator != Placement.Operator.NOT_IN)) {
                throw new InputException(m.at().withField(p), "The field requirement at " + p + " must be on metadata.name with In or "
                        + "NotIn; found " + k + " " + op + ".");
            }
            List<String> values = new ArrayList<>();
            YamlNode.Sequence vs = Manifests.sequence(m, "values", p);
            if (vs != null) {
                for (int j = 0; j < vs.items().size(); j++) {
                    if (!(vs.items().get(j) instanceof YamlNode.Scalar s) || s.isNull()) {
                        throw new InputException(vs.items().get(j).at(), "The value at " + p + ".values[" + j + "] must be a string.");
                    }
                    Manifests.requireString(s, p + ".values[" + j + "]");
                    values.add(s.text());
                }
            }
            switch (operator) {
                case IN, NOT_IN -> {
                    if (values.isEmpty()) {
                        throw new InputException(m.at().withField(p + ".values"), "The requirement at " + p + " (" + op
                                + ") must have at least one value.");
                    }
                }
                case EXISTS, DOES_NOT_EXIST -> {
                    if (!values.isEmpty()) {
                        throw new InputException(m.at().withField(p + ".values"), "The requirement at " + p + " (" + op
                                + ") must have no values; found " + values + ".");
                    }
                }
                case GT, LT -> {
                    // The API checks the count alone (ValidateNodeSelectorRequirement): a value that is no
                    // integer passes, and the scheduler's LazyErrorNodeSelector then lets that term match no
                    // node (NodeMatching.valid), which a running cluster's pods may well hold.
                    if (values.size() != 1) {
                        throw new InputException(m.at().withField(p + ".values"), "The requirement at " + p + " (" + op
                                + ") must have exactly one value, an integer; found " + values + ".");
                    }
                }
                default -> throw new IllegalStateException();
            }
            out.add(new Placement.Requirement(k, operator, values));
        }
        return out;
    }

    private static Placement.Toleration toleration(YamlNode.Mapping m, String path) {
        String key = Manifests.string(m, "key", path);
        String op = Manifests.string(m, "operator", path);
        String value = Manifests.string(m, "value", path);
        String effect = Manifests.string(m, "effect", path);
        if (op != null && !op.equals("Equal") && !op.equals("Exists")) {
            throw new InputException(m.at().withField(path + ".operator"), "The toleration operator at " + path + ".operator (" + op
                    + ") must be Equal or Exists.");
        }
        if ("Exists".equals(op) && value != null && !value.isEmpty()) {
            throw new InputException(m.at().withField(path + ".value"), "The toleration at " + path + " has operator Exists and a value ("
                    + value + "); Exists takes no value.");
        }
        if ((key == null || key.isEmpty()) && !"Exists".equals(op)) {
            throw new InputException(m.at().withField(path + ".key"), "The toleration at " + path + " has no key, so its operator must be "
                    + "Exists (which tolerates every taint).");
        }
        if (effect != null && !effect.isEmpty() && !EFFECTS.contains(effect)) {
            throw new InputException(m.at().withField(path + ".effect"), "The toleration effect at " + path + ".effect (" + effect
                    + ") must be NoSchedule, PreferNoSchedule or NoExecute (or empty for all).");
        }
        if (m.get("tolerationSeconds") != null && !"NoExecute".equals(effect)
                && !(m.get("tolerationSeconds") instanceof YamlNode.Scalar ts && ts.isNull())) {
            // ValidateTolerations: "effect must be 'NoExecute' when `tolerationSeconds` is set"
            throw new InputException(m.at().withField(path + ".tolerationSeconds"), "The toleration at " + path + " has tolerationSeconds with effect "
                    + (effect == null || effect.isEmpty() ? "empty (every effect)" : effect)
                    + "; the API server allows tolerationSeconds only with effect NoExecute.");
        }
        String seconds = Manifests.integerText(m, "tolerationSeconds", path);
        Long tolerationSeconds = null;
        if (seconds != null) {
            try {
                tolerationSeconds = Long.parseLong(seconds.trim());
            } catch (NumberFormatException e) {
                throw new InputException(m.get("tolerationSeconds").at().withField(path + ".tolerationSeconds"), "The " + path
                        + ".tolerationSeconds (" + seconds + ") must be a whole number of seconds (int64).");
            }
        }
        return new Placement.Toleration(key, op, value, effect, tolerationSeconds);
    }

    /** A node's {@code spec.taints}. */
    static List<Placement.Taint> taints(YamlNode.Mapping nodeSpec, String path) {
        List<Placement.Taint> out = new ArrayList<>();
        YamlNode.Sequence list = nodeSpec == null ? null : Manifests.sequence(nodeSpec, "taints", path);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String p = path + ".taints[" + i + "]";
            YamlNode.Mapping m = Manifests.mapping(list.items().get(i), p);
            String key = Manifests.text(m, "key", p);
            String effect = Manifests.text(m, "effect", p);
            if (key == null || key.isEmpty() || effect == null || !EFFECTS.contains(effect)) {
                throw new InputException(m.at().withField(p), "The taint at " + p + " must have a key and an effect of NoSchedule, "
                        + "PreferNoSchedule or NoExecute; found key " + key + ", effect " + effect + ".");
            }
            out.add(new Placement.Taint(key, Manifests.text(m, "value", p), effect));
        }
        return out;
    }
}
