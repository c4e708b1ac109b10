package io.nodesizer.fleet;

import io.nodesizer.kube.PodTopologyRules;
import io.nodesizer.kube.PreemptionBudgets;
import io.nodesizer.kube.PreemptionVictims;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The workload's DaemonSets started on the nodes of a snapshot that keeps what runs, as the DaemonSet controller and
 * kube-scheduler start them. The controller creates one pod per node its selector, affinity and tolerations admit,
 * pinned there by a required node affinity (pkg/controller/daemon/util {@code ReplaceDaemonSetPodNodeNameNodeAffinity}),
 * and kube-scheduler binds it as any pod (scheduling DaemonSet pods by the default scheduler, GA in 1.17):
 * <ul>
 *   <li>a DaemonSet whose pod already runs on the node is rolled to the workload's template by its update strategy
 *       ({@link io.nodesizer.model.UpdateStrategy}): the default RollingUpdate (maxUnavailable 1, maxSurge 0) deletes the
 *       old pod before it creates the new one, so the new pod's room is the free room plus the old pod's request, and when
 *       it does not fit the node runs neither (review 69 #11); with maxSurge the new pod is created beside the old one,
 *       which keeps running while the new one is Pending (the old pod is of its old template's priority, a candidate of
 *       the new pod's preemption as any pod of lower priority); OnDelete leaves the running pod as it is (a note counts
 *       them); once maxUnavailable new pods are Pending (maxSurge: those Pending beside an old pod), unavailable for good,
 *       the rollout stalls and the nodes it has not reached keep their old pod
 *       ({@link io.nodesizer.model.UpdateStrategy#inFlight}, a note names them);</li>
 *   <li>a pod that fits (NodeResourcesFit) and that the inter-pod filters admit over the pods the node runs (and, for
 *       anti-affinity on a wider key, its domain) takes its request there: NodePorts (pkg/scheduler/framework/plugins/nodeports:
 *       a host port a running pod holds), InterPodAffinity (plugins/interpodaffinity: {@code satisfyPodAntiAffinity}, its own
 *       required anti-affinity against the running pods, and {@code satisfyExistingPodsAntiAffinity}, theirs against it;
 *       required affinity) and PodTopologySpread, by the same {@link PodTopologyRules} the new pods are checked with
 *       ({@link RunningPodRules}; a host port is an anti-affinity term there). QA 70b F10: the port was charged twice;</li>
 *   <li>one that does not fit, or that such a filter refuses (both are {@code Unschedulable}, which preemption may
 *       resolve), goes to DefaultPreemption's PostFilter (pkg/scheduler/framework/plugins/defaultpreemption,
 *       {@code selectVictimsOnNode}) unless its {@code preemptionPolicy} is Never ({@code PodEligibleToPreemptOthers}):
 *       its node affinity leaves one candidate, its node; every pod there of lower priority is taken off, and if the pod
 *       then fits they are reprieved most important first ({@code MoreImportantPod}: higher priority, then earlier start),
 *       those whose eviction would break a PodDisruptionBudget first ({@code filterPodsWithPDBViolation}, each budget's
 *       allowance as its status gives it on every node), each one the pod still fits beside and that no filter then
 *       refuses (a pod holding its host port, one whose anti-affinity repels it, stays evicted); the rest are evicted
 *       (budgets steer the choice but never stop it, as upstream; the report's "beyond what its budget allows" is counted
 *       over the victims alone, {@link PreemptionBudgets#beyond}). Static pods are not taken: the kubelet runs them from
 *       a file, and deleting their mirror pod frees nothing;</li>
 *   <li>otherwise the pod stays Pending on its node and holds nothing there (QA 69b F2, review 69 #2).</li>
 * </ul>
 * Where the workload's template no longer admits a node that runs the DaemonSet's pod (its selector or affinity, or a
 * NoExecute taint it does not tolerate), the controller deletes the pod there, and its request is free (a note says so).
 * On a node, the DaemonSets' pods are tried highest priority first, as kube-scheduler's queue (PrioritySort) takes them:
 * first those the controller creates at once (no pod of theirs there), then, once every node had those, the rolled ones. A
 * DaemonSet of the workload whose pod on a node is evicted after its turn there (an old one it left, which a later pod's
 * preemption takes; a new one, which a rolled pod of higher priority takes) has its new template's pod tried there
 * again, as the controller creates it; the evicted pod is reported replaced, not placed again.
 * The evicted pods' controllers create them again at once, so they are placed before the workload's new pods, most
 * important first, each on the first node in fleet order that admits it (node selector, affinity, taints, its rules
 * over the pods that run) and has room; a DaemonSet's pod only on its own node, a pod no controller owns nowhere (the
 * eviction deletes it). One that finds no room is Pending: preemption by the evicted pods themselves is not followed.
 * A DaemonSet pod placed joins its node's pods in the rules' lists in place of its old pod, so the DaemonSets after it
 * and the workload's new pods are checked against its labels and host ports.
 */
final class DaemonSetRollout {
    private DaemonSetRollout() {
    }

    /**
     * The nodes with the DaemonSets started on them and the evicted pods placed again, the running pods where they now
     * run, the DaemonSet pods left Pending and the pods they preempted.
     */
    record Outcome(List<FleetPacking.FleetNode> nodes, RunningPods running, List<FleetInput.PendingDaemonPod> pending,
                   List<FleetInput.PreemptedPod> preempted, List<String> notes) {
    }

    /** @param budgets the snapshot's budgets, read when a pod first preempts */
    static Outcome run(List<FleetPacking.FleetNode> fleet, RunningPods running, List<DaemonSetSpec> daemonSets,
                       Supplier<PreemptionBudgets> budgets) {
        List<DaemonSetSpec> byPriority = new ArrayList<>(daemonSets);
        byPriority.sort(Comparator.comparingInt(DaemonSetSpec::priority).reversed()); // stable: the inputs' order among equals
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        running.onNode().forEach(l -> onNode.add(new ArrayList<>(l)));
        List<Resources> loads = new ArrayList<>(java.util.Collections.nCopies(fleet.size(), (Resources) null));
        List<FleetInput.PendingDaemonPod> pending = new ArrayList<>();
        List<Victim> victims = new ArrayList<>();
        java.util.Set<ClusterSnapshot.Pod> created = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()); // the new pods placed
        Map<String, Integer> keptOld = new java.util.LinkedHashMap<>(); // per OnDelete DaemonSet, the nodes that keep its old pod
        PodTopologyRules rules = rules(onNode, byPriority, running);
        rules.trackChanges(); // only the node at hand changes its list: each check looks at it alone (below)
        boolean[] open = new boolean[running.nodes().size()];
        java.util.Arrays.fill(open, true); // every node a spread domain, as the packing's rules count them
        Map<String, Integer> desired = new java.util.HashMap<>(); // per DaemonSet, the nodes it runs on
        Map<String, DaemonSetSpec> byName = new java.util.HashMap<>();
        byPriority.forEach(d -> byName.put(d.name(), d));
        for (DaemonSetSpec d : byPriority) {
            desired.put(d.name(), (int) fleet.stream().filter(n -> io.nodesizer.kube.NodeMatching.onNode(d.placement(), n.labels(), n.taints(),
                    n.name()) == null).count());
        }
        Map<String, Integer> unavailable = new java.util.HashMap<>(); // per DaemonSet, its new pods left Pending: unavailable for good
        Map<String, List<String>> stalled = new LinkedHashMap<>(); // per DaemonSet, the nodes that keep its old pod as its rollout stalled
        Map<String, List<String>> deleted = new LinkedHashMap<>(); // per DaemonSet, the nodes it no longer admits, where its pods go
        Map<String, String> deletedWhy = new java.util.HashMap<>(); // per DaemonSet, why the first of those refuses it
        // Per fleet node: the DaemonSet pods it ran (the old ones, less those evicted), and the DaemonSets whose turn on it came.
        List<Map<String, List<ClusterSnapshot.Pod>>> olds = new ArrayList<>();
        List<java.util.Set<String>> turns = new ArrayList<>();
        for (int k = 0; k < fleet.size(); k++) {
            olds.add(daemonSetPods(onNode.get(running.fleetIndex()[k])));
            turns.add(new java.util.HashSet<>());
            loads.set(k, fleet.get(k).loaded());
        }
        // Two sweeps over the fleet: first each DaemonSet's turn on the nodes without its old pod, then on those with one.
        // The controller's manage loop creates a missing pod at once, ungated (daemon_controller.go nodesNeedingDaemonPods),
        // so a Pending one counts as unavailable before rollingUpdate deletes any old pod; per DaemonSet, not per node
        // (review 71 #9: a node that ran another DaemonSet's old pod went last, and adding that DaemonSet un-stalled this one).
        for (int sweep = 0; sweep < 2; sweep++) {
            for (int k = 0; k < fleet.size(); k++) {
                FleetPacking.FleetNode n = fleet.get(k);
                int s = running.fleetIndex()[k];
                List<ClusterSnapshot.Pod> here = onNode.get(s);
                Map<String, List<ClusterSnapshot.Pod>> old = olds.get(k);
                Resources load = loads.get(k);
                // The DaemonSets whose turn on the node has come, and those still to come, highest priority first. A turn that
                // evicts the pod another one has here (an old one it left, or its new one of lower priority) gives that one a turn
                // again (below).
                java.util.Set<String> turned = turns.get(k);
                boolean second = sweep == 1;
                List<DaemonSetSpec> queue = new ArrayList<>(byPriority.stream().filter(d -> second ? !turned.contains(d.name())
                        : old.getOrDefault(d.name(), List.of()).isEmpty()).toList());
                // The DaemonSets' tolerations include those their controller adds (NodeConditions.daemonPodTolerations).
                while (!queue.isEmpty()) {
                    DaemonSetSpec d = queue.remove(0);
                    turned.add(d.name());
                    String refuses = io.nodesizer.kube.NodeMatching.onNode(d.placement(), n.labels(), n.taints(), n.name());
                    if (refuses != null) {
                        List<ClusterSnapshot.Pod> gone = old.getOrDefault(d.name(), List.of());
                        // The controller deletes a running daemon pod where its DaemonSet should no longer run, unless only a
                        // NoSchedule taint keeps new pods off (daemon_controller.go podsShouldBeOnNode; NodeShouldRunDaemonPod's
                        // shouldContinueRunning): its template's selector or affinity no longer admits the node, or a NoExecute taint
                        // it does not tolerate (QA 70b F17: they stayed charged).
                        String evicts = gone.isEmpty() ? null : io.nodesizer.kube.NodeMatching.onNode(d.placement(), n.labels(),
                                n.taints().stream().filter(t -> t.effect().equals("NoExecute")).toList(), n.name());
                        if (evicts != null) {
                            here.removeAll(gone);
                            load = load.minusFloorZero(sum(gone));
                            deleted.computeIfAbsent(d.name(), x -> new ArrayList<>()).add(n.name());
                            deletedWhy.putIfAbsent(d.name(), n.name() + ": " + evicts);
                        }
                        continue;
                    }
                    List<ClusterSnapshot.Pod> rolled = old.getOrDefault(d.name(), List.of());
                    io.nodesizer.model.UpdateStrategy update = d.update();
                    if (update.onDelete() && !rolled.isEmpty()) {
                        keptOld.merge(d.name(), 1, Integer::sum); // OnDelete: the running pod keeps its template until deleted by hand
                        continue;
                    }
                    if (!rolled.isEmpty() && unavailable.getOrDefault(d.name(), 0) >= update.inFlight(desired.get(d.name()))) {
                        // The controller updates at most maxUnavailable (maxSurge) nodes at a time and counts a Pending new pod as one
                        // for good (update.go rollingUpdate: "numUnavailable >= maxUnavailable ... no point considering any other
                        // candidates"): the rollout stalls, this node keeps its old pod (QA 70b F3).
                        stalled.computeIfAbsent(d.name(), x -> new ArrayList<>()).add(n.name());
                        continue;
                    }
                    Resources oldRequest = sum(rolled);
                    // maxSurge 0 deletes the old pod first: its room is the new one's. With maxSurge the new pod is created beside it,
                    // which goes once the new one is available (exact, as the load counts it), and holds its ports meanwhile.
                    Resources besideOld = update.surge() ? load : load.minusFloorZero(oldRequest);
                    if (!update.surge()) {
                        here.removeAll(rolled);
                    }
                    ClusterSnapshot.Pod pod = standIn(d, n.name());
                    // One node per pod: the single-node check reads the node's domains from counts kept as the lists change,
                    // where refusedBy gathers over every node for each pod (n² over the roll-out, issue 15).
                    Supplier<String> refused = () -> {
                        rules.changed(s); // the node's pods changed since the last check
                        return rules.refusedAt(pod, s, onNode, open);
                    };
                    Resources free = n.allocatable().minusFloorZero(besideOld);
                    String lacks = FleetInput.lacks(d.request(), free);
                    String filter = filterReason(refused.get());
                    if (lacks == null && filter == null) {
                        placed(here, rolled, pod, created);
                        load = load.minusFloorZero(oldRequest).plus(d.request());
                        continue;
                    }
                    String why = lacks == null ? filter : filter == null ? lacks : lacks + "; " + filter;
                    List<ClusterSnapshot.Pod> evicted = new ArrayList<>();
                    // With maxSurge 0 the old pods were taken off the node above; with maxSurge they are candidates as any pod of
                    // lower priority: kube-scheduler's selectVictimsOnNode has no notion of the pod a new one surges beside, and a
                    // template that raises the priority (to system-node-critical, say) leaves the old pod below the new one
                    // (review 71 #2: another pod was evicted in its stead).
                    java.util.Set<ClusterSnapshot.Pod> breaking = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    String noPreemption = preempt(d, n, besideOld, here, budgets, refused, evicted, breaking);
                    if (noPreemption == null) {
                        here.removeAll(evicted);
                        java.util.Set<ClusterSnapshot.Pod> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                        gone.addAll(evicted);
                        // Its own old pod evicted is what the roll-out deletes anyway: its request comes off with oldRequest, and
                        // no controller creates it again.
                        List<ClusterSnapshot.Pod> others = evicted.stream().filter(p -> rolled.stream().noneMatch(r -> r == p)).toList();
                        // An evicted old pod of another of the workload's DaemonSets is gone: that DaemonSet's turn here starts from
                        // the room without it (review 70 #1: its request came off the load a second time, 9 CPU on an 8-CPU node).
                        old.values().forEach(l -> l.removeIf(gone::contains));
                        placed(here, rolled, pod, created);
                        load = load.minusFloorZero(oldRequest).minusFloorZero(sum(others)).plus(d.request());
                        for (ClusterSnapshot.Pod p : others) {
                            victims.add(new Victim(p, d.name(), n.name(), running.fleetIndex()[k], breaking.contains(p), created.remove(p)));
                            String set = daemonSetOf(p);
                            if (set != null && turned.remove(set)) {
                                // Its DaemonSet's turn here is over and left that old pod (OnDelete, a stalled roll-out, a surge pod
                                // Pending beside it): the node now has none of its pods, and the controller's manage loop creates
                                // the new template's pod whatever the strategy (daemon_controller.go nodesNeedingDaemonPods), so it
                                // has a turn again, as a new pod (review 71 #6: its pod vanished, neither placed nor Pending).
                                DaemonSetSpec again = byName.get(set);
                                keptOld.computeIfPresent(set, (x, c) -> c == 1 ? null : c - 1);
                                stalled.computeIfPresent(set, (x, l) -> {
                                    l.remove(n.name());
                                    return l.isEmpty() ? null : l;
                                });
                                if (pending.removeIf(q -> q.daemonSet().equals(set) && q.node().equals(n.name()))) {
                                    unavailable.merge(set, -1, Integer::sum);
                                }
                                int at = 0;
                                while (at < queue.size() && queue.get(at).priority() >= again.priority()) {
                                    at++;
                                }
                                queue.add(at, again);
                            }
                        }
                        continue;
                    }
                    String old0 = "";
                    if (!rolled.isEmpty() && update.surge()) {
                        // The surge pod stays Pending beside the old one, which is deleted only once the new one is available.
                        old0 = " (its RollingUpdate's maxSurge creates the new pod beside the old one, which keeps running: the node keeps "
                                + "the old template's pod)";
                    } else if (!rolled.isEmpty()) {
                        load = load.minusFloorZero(oldRequest);
                        // the old pod is gone (taken off the node's pods above) and the new one Pending: the node runs neither
                        old0 = " (with its old pod's " + FleetInput.amounts(oldRequest) + " given back: the default RollingUpdate deletes the old "
                                + "pod first, so the node runs neither)";
                    }
                    pending.add(new FleetInput.PendingDaemonPod(d.name(), n.name(), why + old0 + noPreemption));
                    if (!update.surge() || !rolled.isEmpty()) {
                        // With maxSurge 0 every unavailable pod counts, where the node has no old pod too (update.go rollingUpdate:
                        // "oldPod == nil && newPod == nil" and a new pod not available add to numUnavailable); a surging roll-out
                        // counts only the nodes where it surged beside an old pod (numSurge, its "default:" case), and a node without
                        // one is "case oldPod == nil: ... the manage loop will handle it" (review 71 #1: one Pending pod on a fresh
                        // node stalled the whole surge roll-out).
                        unavailable.merge(d.name(), 1, Integer::sum);
                    }
                }
                loads.set(k, load);
                rules.changed(s); // what its turns left (a pod placed, an old one deleted) counts at the next node's checks
            }
        }
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int k = 0; k < fleet.size(); k++) {
            position.put(fleet.get(k).name(), k);
        }
        pending.sort(Comparator.comparingInt(p -> position.get(p.node()))); // reported in fleet order, whatever order the rollout met them
        java.util.Set<String> rolledSets = new java.util.HashSet<>();
        byPriority.forEach(d -> rolledSets.add(d.name()));
        List<FleetInput.PreemptedPod> preempted = placeAgain(victims, fleet, running, onNode, loads, rolledSets);
        List<FleetPacking.FleetNode> out = new ArrayList<>();
        for (int k = 0; k < fleet.size(); k++) {
            checkLoad(fleet.get(k), running.onNode().get(running.fleetIndex()[k]), loads.get(k), onNode.get(running.fleetIndex()[k]));
            out.add(fleet.get(k).withLoaded(loads.get(k)));
        }
        List<String> notes = new ArrayList<>();
        deleted.forEach((name, nodes) -> notes.add("DaemonSet " + name + "'s template no longer admits " + nodes.size()
                + (nodes.size() == 1 ? " node" : " nodes") + " that run its pod (" + io.nodesizer.model.NameLists.firstOf(nodes, 3)
                + "; " + deletedWhy.get(name) + "): the controller deletes its pods there, and their requests are free" + (desired.get(name) == 0
                ? "; it runs on no node of the fleet" : "")));
        stalled.forEach((name, nodes) -> notes.add(stallNote(byPriority.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(),
                pending, nodes)));
        keptOld.forEach((name, nodes) -> notes.add("DaemonSet " + name + " updates OnDelete: its pods on " + nodes + (nodes == 1 ? " node" : " nodes")
                + " keep the old template and its requests until they are deleted by hand; only nodes without its pod get the new one"));
        return new Outcome(out, new RunningPods(running.nodes(), onNode, running.fleetIndex()), pending, preempted, notes);
    }

    /**
     * The inter-pod rules over the running pods and the DaemonSets' pods (a stand-in each tells the rules which keys and
     * terms play a part); inactive, and so no check, when no pod has a required term, a hard spread or a host port.
     */
    private static PodTopologyRules rules(List<List<ClusterSnapshot.Pod>> onNode, List<DaemonSetSpec> daemonSets, RunningPods running) {
        List<ClusterSnapshot.Pod> all = new ArrayList<>();
        onNode.forEach(all::addAll);
        daemonSets.forEach(d -> all.add(standIn(d, null)));
        return new PodTopologyRules(all, running.nodes());
    }

    /**
     * DaemonSet {@code d}'s new pod on node {@code node}, as the rules see it: its labels, host ports, terms and priority, and
     * the required node affinity on the node's name that the controller gives each pod it creates (so a topology spread
     * that honours node affinity, the default, counts that node alone: the template's spread never holds a roll-out back).
     */
    private static ClusterSnapshot.Pod standIn(DaemonSetSpec d, String node) {
        int slash = d.name().indexOf('/');
        Placement placement = node == null ? d.placement() : d.placement().pinnedTo(node);
        return new ClusterSnapshot.Pod(d.placement().namespace(), d.name().substring(slash + 1) + (node == null ? "" : "-" + node), d.request(),
                node, "Pending", "DaemonSet", d.name().substring(slash + 1), d.origin(), d.template(), null, placement, null, false, null, null,
                d.priority());
    }

    /** The new pod runs on the node in place of the old ones: the DaemonSets after it, and the new pods, are checked against it. */
    private static void placed(List<ClusterSnapshot.Pod> here, List<ClusterSnapshot.Pod> rolled, ClusterSnapshot.Pod pod,
                               java.util.Set<ClusterSnapshot.Pod> created) {
        here.removeAll(rolled);
        here.add(pod);
        created.add(pod);
    }

    /**
     * A filter's refusal ({@link PodTopologyRules#refusedBy}) in kube-scheduler's words with what it means here, or null.
     */
    private static String filterReason(String rule) {
        if (rule == null) {
            return null;
        }
        if (rule.startsWith(PodTopologyRules.HOST_PORT)) {
            return "node(s) didn't have free ports for the requested pod ports (its " + rule + " is held by a pod there)";
        }
        return switch (rule) {
            case PodTopologyRules.EXISTING_ANTI_AFFINITY -> "node(s) didn't satisfy existing pods anti-affinity rules (a running pod's "
                    + "required anti-affinity repels it)";
            case "required pod anti-affinity" -> "node(s) didn't match pod anti-affinity rules (its required anti-affinity repels a running pod)";
            case "required pod affinity" -> "node(s) didn't match pod affinity rules";
            case "topology spread" -> "node(s) didn't match pod topology spread constraints";
            default -> rule;
        };
    }

    /** What a stalled rollout leaves, and why: the Pending new pods hold every update slot, the other nodes keep the old pod. */
    private static String stallNote(DaemonSetSpec d, List<FleetInput.PendingDaemonPod> pending, List<String> kept) {
        List<String> on = pending.stream().filter(p -> p.daemonSet().equals(d.name())).map(FleetInput.PendingDaemonPod::node).toList();
        return "DaemonSet " + d.name() + "'s RollingUpdate stalls: its new pod stays Pending on " + io.nodesizer.model.NameLists.firstOf(on, 3)
                + ", unavailable for good, and " + d.update().inFlightField() + " lets no more nodes update at once, so the controller "
                + (d.update().surge() ? "creates no more new pods" : "deletes no more old pods") + " (kubectl rollout status never completes): "
                + kept.size() + (kept.size() == 1 ? " node (" : " nodes (") + io.nodesizer.model.NameLists.firstOf(kept, 3)
                + ") keep" + (kept.size() == 1 ? "s" : "") + " the old template's pod and its requests until that is fixed. Which nodes update "
                + "before the stall is the controller's order (it walks its nodes in no fixed order); here the nodes without an old pod "
                + "first, then fleet order";
    }

    /**
     * A pod {@code daemonSet}'s pod evicted from fleet node {@code node} (snapshot node {@code from}); {@code created}: the new
     * pod of another of the workload's DaemonSets, placed there before a pod of higher priority had its turn.
     */
    private record Victim(ClusterSnapshot.Pod pod, String daemonSet, String node, int from, boolean breaksBudget, boolean created) {
    }

    /**
     * DefaultPreemption on the DaemonSet pod's one node: null with {@code evicted} filled when it makes room, else why
     * not, in words that follow the filter's reason ("" when no pod there has lower priority: nothing to say). As
     * {@code selectVictimsOnNode}, the pod must pass every filter once all lower-priority pods are off ({@code refused},
     * asked over {@code here} as it stands, null when the inter-pod filters admit it) and after each reprieve; {@code here}
     * is left as it was.
     */
    private static String preempt(DaemonSetSpec d, FleetPacking.FleetNode n, Resources load, List<ClusterSnapshot.Pod> here,
                                  Supplier<PreemptionBudgets> budgets, Supplier<String> refused,
                                  List<ClusterSnapshot.Pod> evicted, java.util.Set<ClusterSnapshot.Pod> breaking) {
        int priority = d.priority();
        List<ClusterSnapshot.Pod> lower = new ArrayList<>();
        for (ClusterSnapshot.Pod p : here) {
            if (PreemptionVictims.mayEvict(p, priority)) {
                lower.add(p);
            }
        }
        if (lower.isEmpty()) {
            return "";
        }
        if (d.template() != null && !d.template().preempts()) {
            return "; its preemptionPolicy Never preempts no pod";
        }
        List<ClusterSnapshot.Pod> before = new ArrayList<>(here);
        here.removeAll(lower);
        Resources room = n.allocatable().minusFloorZero(load.minusFloorZero(sum(lower)));
        boolean fits = d.request().fitsIn(room);
        if (!fits || refused.get() != null) {
            here.clear();
            here.addAll(before);
            return "; evicting every pod of lower priority than its " + priority + " there would not " + (fits ? "clear it" : "make room");
        }
        lower.sort(ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST);
        boolean[] breaks = budgets.get().breaking(lower);
        Resources[] taken = {load.minusFloorZero(sum(lower))};
        PreemptionVictims.select(lower.size(), breaks, j -> lower.get(j).priority(), j -> {
            Resources with = taken[0].plus(lower.get(j).request());
            here.add(lower.get(j));
            if (d.request().fitsIn(n.allocatable().minusFloorZero(with)) && refused.get() == null) {
                taken[0] = with; // reprieved: the pod still fits beside it and no filter refuses it
                return true;
            }
            here.remove(here.size() - 1);
            return false;
        }, j -> evicted.add(lower.get(j)));
        // Which evictions go beyond what a budget allows is over the victims alone, not breaks (review 71 #4); upstream
        // evicts beyond it when nothing else makes room.
        breaking.addAll(budgets.get().beyond(evicted));
        here.clear();
        here.addAll(before);
        return null;
    }

    /**
     * Fails unless the node's load after the roll-out differs from the requests of the pods it runs by exactly what it did
     * before (the pods it ran): the load is what the packing fills up to, and the fleet's verifier trusts it, so a request
     * taken off twice or not at all (review 70 #1: 9 CPU on an 8-CPU node) must not get past here.
     */
    private static void checkLoad(FleetPacking.FleetNode n, List<ClusterSnapshot.Pod> before, Resources load, List<ClusterSnapshot.Pod> after) {
        long[] was = n.loaded().toArray();
        long[] is = load.toArray();
        long[] ranBefore = sum(before).toArray();
        long[] runsAfter = sum(after).toArray();
        for (int r = 0; r < was.length; r++) {
            if (is[r] - runsAfter[r] != was[r] - ranBefore[r]) {
                throw new IllegalStateException("DaemonSet roll-out: node " + n.name() + "'s load " + load + " is not what its pods ask ("
                        + sum(after) + ") beside what it held besides its pods before (" + n.loaded() + " with " + sum(before) + ")");
            }
        }
    }

    /** The evicted pods placed again, most important first, each on the first fleet node that admits it and has room. */
    private static List<FleetInput.PreemptedPod> placeAgain(List<Victim> victims, List<FleetPacking.FleetNode> fleet, RunningPods running,
                                                            List<List<ClusterSnapshot.Pod>> onNode, List<Resources> loads,
                                                            java.util.Set<String> rolledSets) {
        if (victims.isEmpty()) {
            return List.of();
        }
        Integer[] order = new Integer[victims.size()];
        java.util.Arrays.setAll(order, i -> i);
        java.util.Arrays.sort(order, Comparator.comparing(i -> victims.get(i).pod(), ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST));
        List<ClusterSnapshot.Pod> all = new ArrayList<>();
        onNode.forEach(all::addAll);
        victims.forEach(v -> all.add(v.pod()));
        PodTopologyRules rules = new PodTopologyRules(all, running.nodes());
        rules.trackChanges(); // a victim placed changes its new node's list alone
        boolean[] open = new boolean[running.nodes().size()];
        java.util.Arrays.fill(open, true); // every node a spread domain, as the packing's rules count them
        FleetInput.PreemptedPod[] out = new FleetInput.PreemptedPod[victims.size()]; // reported in the order they were evicted
        for (int i : order) {
            Victim v = victims.get(i);
            ClusterSnapshot.Pod p = v.pod();
            String set = daemonSetOf(p);
            if (set != null && rolledSets.contains(set)) {
                // Its DaemonSet is one of the workload's, rolled here on its own turn: the controller creates the new template's
                // pod, not this one again (daemon controller manage: nodesNeedingDaemonPods).
                out[i] = new FleetInput.PreemptedPod(p.fullName(), p.priority(), v.daemonSet(), v.node(), FleetInput.PreemptedPod.Outcome.REPLACED,
                        null, v.created()
                        ? "replaced: its DaemonSet " + set + " creates it again on the node (a new pod, placed or Pending there)"
                        : "replaced: its DaemonSet " + set + " is rolled onto the node with the workload's template", v.breaksBudget());
                continue;
            }
            String to = null;
            boolean roomy = false; // some node had room, but its pods' rules (host ports, anti-affinity, ...) refused it
            for (int k = 0; k < fleet.size() && to == null && p.owner() != null; k++) {
                int s = running.fleetIndex()[k];
                if ((!p.daemonSet() || s == v.from()) && running.nodes().get(s).refuses(p) == null
                        && p.request().fitsIn(fleet.get(k).allocatable().minusFloorZero(loads.get(k)))) {
                    roomy = true;
                    // One check per node with room, on the counts per domain: gathering over every node for each victim was n
                    // steps a victim (issue 15).
                    if (rules.refusedAt(p, s, onNode, open) == null) {
                        to = fleet.get(k).name();
                        loads.set(k, loads.get(k).plus(p.request()));
                        onNode.get(s).add(p);
                        rules.changed(s);
                    }
                }
            }
            String why = p.owner() == null ? "deleted: no controller creates it again" : to != null ? null
                    : p.daemonSet() ? "Pending: its DaemonSet runs it on that node only, which has no room left for it"
                    : roomy ? "Pending: the nodes with room for it refuse it by a host port, pod affinity, anti-affinity or spread"
                    : "Pending: no node has room for it";
            FleetInput.PreemptedPod.Outcome outcome = p.owner() == null ? FleetInput.PreemptedPod.Outcome.DELETED
                    : to != null ? FleetInput.PreemptedPod.Outcome.MOVED : FleetInput.PreemptedPod.Outcome.PENDING;
            out[i] = new FleetInput.PreemptedPod(p.fullName(), p.priority(), v.daemonSet(), v.node(), outcome, to, why, v.breaksBudget());
        }
        return List.of(out);
    }

    /** The DaemonSet pods a node runs, by their DaemonSet's name as the manifests name it ({@code ns/name}). */
    private static Map<String, List<ClusterSnapshot.Pod>> daemonSetPods(List<ClusterSnapshot.Pod> here) {
        Map<String, List<ClusterSnapshot.Pod>> out = new LinkedHashMap<>();
        for (ClusterSnapshot.Pod p : here) {
            String set = daemonSetOf(p);
            if (set != null) {
                out.computeIfAbsent(set, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    /** The DaemonSet that runs {@code p}, as the manifests name it ({@code ns/name}), or null for another pod. */
    private static String daemonSetOf(ClusterSnapshot.Pod p) {
        return p.daemonSet() && p.ownerName() != null ? io.nodesizer.input.manifest.ManifestReader.fullName(p.namespace(), p.ownerName()) : null;
    }

    private static Resources sum(List<ClusterSnapshot.Pod> pods) {
        Resources out = Resources.ZERO;
        for (ClusterSnapshot.Pod p : pods) {
            out = out.plus(p.request());
        }
        return out;
    }
}
