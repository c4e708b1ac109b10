package io.nodesizer.input.manifest;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.IgnoredObject;
import io.nodesizer.model.SourceRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pods of a dump ({@code kubectl get pods -A -o yaml}, in one file or several) tell of the nodes they run on,
 * for what only all of them together say ({@link #overhead}): which nodes are workers (not running the control plane's
 * static pods, not billed per pod as Fargate's), which static pods every worker runs, and on how many workers the
 * pods of each DaemonSet read from its pods run.
 */
final class DumpedNodes {
    /** The static pods of the control plane, by the name of their manifest (kubeadm's, OpenShift's). */
    private static final Set<String> CONTROL_PLANE = Set.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
            "cloud-controller-manager", "openshift-kube-scheduler", "kube-vip");

    /** A static pod's first mirror read, and the nodes a mirror of its name runs on. */
    private record StaticPod(String podName, YamlNode.Mapping spec, YamlNode.Mapping metadata, String ns, SourceRef ref, Set<String> nodes) {
    }

    private final Set<String> named = new HashSet<>();
    private final Set<String> controlPlane = new HashSet<>();
    private final Set<String> billedPerPod = new HashSet<>();
    private final Map<String, StaticPod> staticPods = new LinkedHashMap<>();
    /** Per DaemonSet read from its pods: the nodes they run on, where it was read, and whether the pods select nodes. */
    private final Map<String, Set<String>> daemonSetNodes = new HashMap<>();
    private final Map<String, SourceRef> daemonSetOrigins = new LinkedHashMap<>();
    private final Set<String> daemonSetsSelecting = new HashSet<>();

    /** A pod on node {@code node} ({@code spec.nodeName}, null when unbound). */
    void pod(String node, YamlNode.Mapping spec) {
        if (node == null) {
            return;
        }
        named.add(node);
        // Fargate's pods run one to a node that is billed per pod (the fargate-scheduler names it fargate-ip-…): no worker.
        if (node.startsWith("fargate-") || spec != null && "fargate-scheduler".equals(Manifests.text(spec, "schedulerName", "spec"))) {
            billedPerPod.add(node);
        }
    }

    /**
     * A static pod's mirror, {@code fullName} on {@code node}: the kubelet names it after its manifest's pod and its node
     * ({@code kube-proxy-NODE}). One of the control plane marks its node as a control-plane node.
     */
    void staticPod(String fullName, String node, YamlNode.Mapping spec, YamlNode.Mapping metadata, String ns, SourceRef ref) {
        String base = fullName.endsWith("-" + node) ? fullName.substring(0, fullName.length() - node.length() - 1) : fullName;
        String manifest = base.substring(base.lastIndexOf('/') + 1);
        java.util.Map<String, String> labels = ManifestReader.labels(metadata, "metadata");
        if (CONTROL_PLANE.contains(manifest) || "control-plane".equals(labels.get("tier")) || CONTROL_PLANE.contains(labels.getOrDefault("component", ""))
                || ns.startsWith("openshift-")) {
            controlPlane.add(node);
            return;
        }
        staticPods.computeIfAbsent(base, b -> new StaticPod(fullName, spec, metadata, ns, ref, new HashSet<>())).nodes().add(node);
    }

    /** A pod of DaemonSet {@code daemonSet} read from its pods, on {@code node} (null: unbound); {@code selecting}: its pod selects nodes. */
    void daemonSetPod(String daemonSet, String node, SourceRef ref, boolean selecting) {
        daemonSetOrigins.putIfAbsent(daemonSet, ref);
        if (selecting) {
            daemonSetsSelecting.add(daemonSet);
        }
        if (node != null) {
            daemonSetNodes.computeIfAbsent(daemonSet, d -> new HashSet<>()).add(node);
        }
    }

    /** The nodes the pods name that run pods the scheduler places: neither the control plane's nor billed per pod. */
    private Set<String> workers() {
        Set<String> out = new HashSet<>(named);
        out.removeAll(controlPlane);
        out.removeAll(billedPerPod);
        return out;
    }

    /**
     * What all the pods read tell, into {@code daemonSets} and {@code notes}: a static pod whose mirrors run on every worker
     * the pods name (of two nodes or more; kops' kube-proxy, kubespray's nginx-proxy) is per-node overhead, as a DaemonSet,
     * on the nodes to come too (QA 55a: it was dropped); the control plane's are not. A DaemonSet read from its pods whose
     * pods select no nodes but run on fewer workers than all is noted: it may select some nodes by a required node
     * affinity its pods do not keep (the DaemonSet controller puts each pod's own node there,
     * ReplaceDaemonSetPodNodeNameNodeAffinity; an NVIDIA device plugin on the GPU nodes), or the others' taints keep it off.
     * {@code dropped}: the DaemonSets among the inputs after all, counted as themselves.
     */
    void overhead(List<DaemonSetSpec> daemonSets, List<IgnoredObject> notes, Set<String> dropped) {
        Set<String> workers = workers();
        if (named.size() < 2 || workers.isEmpty()) {
            return;
        }
        staticPods.forEach((name, p) -> {
            if (p.nodes().containsAll(workers)) {
                daemonSets.add(ManifestReader.asDaemonSet(name + "[static]", p.podName(), p.spec(), p.metadata(), p.ns(), p.ref(), notes));
                notes.add(new IgnoredObject("Pod", name + "[static]", p.ref(), "read as per-node overhead: a static pod whose mirrors "
                        + "run on every one of the " + workers.size() + " worker node" + (workers.size() == 1 ? "" : "s")
                        + " the inputs' pods name (kops' kube-proxy, kubespray's nginx-proxy), as a DaemonSet on every node"));
            }
        });
        daemonSetOrigins.forEach((name, origin) -> {
            Set<String> on = new HashSet<>(daemonSetNodes.getOrDefault(name, Set.of()));
            on.retainAll(workers);
            if (!dropped.contains(name) && !daemonSetsSelecting.contains(name) && !on.isEmpty() && on.size() < workers.size()) {
                // Counted, so a warning, not an object left out (QA 74 F6: it was listed in workload.ignored[]).
                notes.add(new IgnoredObject("DaemonSet", name, origin, "read as per-node overhead and counted on every node, though its pods run on " + on.size()
                        + " of the " + workers.size() + " worker nodes the inputs' pods name: it may select fewer by a required node "
                        + "affinity its pods do not keep (the DaemonSet controller puts each pod's own node there), or the others' taints "
                        + "keep it off; give the DaemonSet itself (kubectl get ds -A -o yaml) to count it where it runs"));
            }
        });
    }
}
