package io.nodesizer.optimize.domain;

/**
 * A node of the start packing: a problem fact, the value of {@link Pod#getNode()}.
 *
 * @param id the node's index in the start packing
 */
public record Node(int id, NodeCapacity capacity) {
    @Override
    public String toString() {
        return "node-" + id;
    }
}
