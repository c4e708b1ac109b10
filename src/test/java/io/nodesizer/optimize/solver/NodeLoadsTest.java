package io.nodesizer.optimize.solver;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.optimize.domain.Node;
import io.nodesizer.optimize.domain.NodeCapacity;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.NodePackings;
import io.nodesizer.optimize.domain.Pod;
import io.nodesizer.optimize.domain.PodDemand;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

final class NodeLoadsTest {
    private static final int D = DemandTable.D;
    // 100m CPU per node, 10 pod slots.
    private static final NodeCapacity CAPACITY = new NodeCapacity(new long[] {100, 0, 10, 0, 0},
            new int[] {Resource.CPU.ordinal(), Resource.PODS.ordinal()});

    private static Pod pod(int id, long cpu, Node node) {
        return new Pod(id, new PodDemand(id, new long[] {cpu, 0, 1, 0, 0}), node);
    }

    @Test
    void drainPutsEveryPodOfTheVictimOnTheFullestNodeThatFits() {
        Node n0 = new Node(0, CAPACITY);
        Node n1 = new Node(1, CAPACITY);
        Node n2 = new Node(2, CAPACITY);
        // n0 holds 60, n1 holds 30, n2 holds 25 + 10. Fullest first: 25 fits n0 (60 → 85), then 10
        // fits n0 (85 → 95): n2 empties.
        NodePacking packing = new NodePacking(CAPACITY, List.of(n0, n1, n2),
                List.of(pod(0, 60, n0), pod(1, 30, n1), pod(2, 10, n2), pod(3, 25, n2)));
        NodeLoads loads = new NodeLoads(packing);
        loads.refresh();

        ReassignMove move = loads.drain(2, true, 0);

        assertThat(move.podCount()).isEqualTo(2);
        assertThat(move.pod(0).getId()).isEqualTo(3);
        assertThat(move.target(0)).isEqualTo(n0);
        assertThat(move.pod(1).getId()).isEqualTo(2);
        assertThat(move.target(1)).isEqualTo(n0);
    }

    /**
     * A refresh reads only the pods whose node was set since the last one (reported by
     * {@link Pod#setNode}), including one set away and back (it compares, and nothing changed): after
     * random moves its drains are those of loads built afresh on the same packing.
     */
    @Test
    void aRefreshSeesEveryPodWhoseNodeWasSetAndOnlyThose() {
        List<Node> nodes = List.of(new Node(0, CAPACITY), new Node(1, CAPACITY), new Node(2, CAPACITY), new Node(3, CAPACITY));
        java.util.ArrayList<Pod> pods = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pods.add(pod(i, 5 + i, nodes.get(i % 4)));
        }
        NodePacking packing = new NodePacking(CAPACITY, nodes, pods);
        NodeLoads loads = new NodeLoads(packing);
        loads.refresh();
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 30; round++) {
            for (int k = 0; k < 3; k++) {
                Pod moved = packing.getPods().get(random.nextInt(12));
                Node was = moved.getNode();
                moved.setNode(nodes.get(random.nextInt(4)));
                if (k == 2) {
                    moved.setNode(was); // tried and undone, as Timefold does within a step
                }
            }
            loads.refresh();
            NodeLoads fresh = new NodeLoads(packing);
            fresh.refresh();
            for (int victim = 0; victim < 4; victim++) {
                ReassignMove a = loads.drain(victim, true, 0);
                ReassignMove b = fresh.drain(victim, true, 0);
                assertThat(a.podCount()).as("round %d victim %d", round, victim).isEqualTo(b.podCount());
                for (int i = 0; i < a.podCount(); i++) {
                    assertThat(a.pod(i)).isSameAs(b.pod(i));
                    assertThat(a.target(i)).isSameAs(b.target(i));
                }
            }
        }
    }

    @Test
    void pairSwapTradesOnePodForTheTwoThatFillItsNodeBest() {
        Node n0 = new Node(0, CAPACITY);
        Node n1 = new Node(1, CAPACITY);
        // n0: 65 + 31 = 96; n1: 26 + 22 + 21 + 15 + 14 = 98. Trading 31 for 21 + 14 gives n0 100 and
        // n1 94. The pairs that fit both sum to 29..35 ({15, 14} and {21, 14}); 21 + 14 fills n0 best
        // (any pair for 65 overflows n1).
        NodePacking packing = new NodePacking(CAPACITY, List.of(n0, n1), List.of(pod(0, 65, n0), pod(1, 31, n0),
                pod(2, 26, n1), pod(3, 22, n1), pod(4, 21, n1), pod(5, 15, n1), pod(6, 14, n1)));
        NodeLoads loads = new NodeLoads(packing);
        loads.refresh();
        SplittableRandom random = new SplittableRandom(5);
        ReassignMove found = null;
        for (int i = 0; i < 50 && found == null; i++) {
            ReassignMove move = loads.pairSwap(random);
            found = move.podCount() > 0 ? move : null;
        }
        assertThat(found).isNotNull();
        assertThat(List.of(found.pod(0).getId(), found.pod(1).getId(), found.pod(2).getId()))
                .containsExactlyInAnyOrder(1, 4, 6);
    }

    @Test
    void drainAndPairSwapMovesNeverOverloadANode() {
        Workload workload = Fixtures.randomWorkload(3, 60, 5, 6_000, 24 * Fixtures.GIB, true);
        PackingProblem problem = new PackingProblem(DemandTable.of(workload),
                Fixtures.shape("n", new Resources(16_000, 64 * Fixtures.GIB, 30, 4_000, 0)), Resources.ZERO);
        NodePacking packing = NodePackings.from(PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1));
        NodeLoads loads = new NodeLoads(packing);
        loads.refresh();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 300; i++) {
            ReassignMove move = i % 2 == 0 ? loads.drain(random) : loads.pairSwap(random);
            assertThat(overloadedNodes(packing, move)).as("move %s", move).isZero();
        }
    }

    /** Nodes over capacity once {@code move} is applied to {@code packing} (which is left unchanged). */
    private static int overloadedNodes(NodePacking packing, ReassignMove move) {
        long[] cap = packing.getCapacity().podCapacity();
        long[] load = new long[packing.getNodes().size() * D];
        for (Pod pod : packing.getPods()) {
            Node node = pod.getNode();
            for (int i = 0; i < move.podCount(); i++) {
                if (move.pod(i) == pod) {
                    node = move.target(i);
                }
            }
            for (int r = 0; r < D; r++) {
                load[node.id() * D + r] += pod.getDemand().amounts()[r];
            }
        }
        int over = 0;
        for (int n = 0; n < packing.getNodes().size(); n++) {
            for (int r = 0; r < D; r++) {
                if (load[n * D + r] > cap[r]) {
                    over++;
                    break;
                }
            }
        }
        return over;
    }
}
