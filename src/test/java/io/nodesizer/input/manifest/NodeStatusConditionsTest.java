package io.nodesizer.input.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class NodeStatusConditionsTest {
    private static YamlNode.Mapping status(Path dir, String node) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, node);
        YamlNode.Mapping obj = (YamlNode.Mapping) ManifestParser.parse(file, "n.yaml").get(0);
        return (YamlNode.Mapping) obj.get("status");
    }

    @Test
    void theConditionsAreReadByTypeAsTheKubeletReportsThem(@TempDir Path dir) throws Exception {
        YamlNode.Mapping status = status(dir, """
                {apiVersion: v1, kind: Node, metadata: {name: a}, status: {allocatable: {cpu: "4"}, conditions: [
                  {type: MemoryPressure, status: "False", reason: KubeletHasSufficientMemory},
                  {type: Ready, status: "False", reason: KubeletNotReady}]}}
                """);
        assertThat(NodeStatusConditions.of(status, "status")).containsExactly(Map.entry("MemoryPressure", "False"), Map.entry("Ready", "False"));
    }

    @Test
    void noStatusOrNoConditionsIsNone(@TempDir Path dir) throws Exception {
        assertThat(NodeStatusConditions.of(null, "status")).isEmpty();
        assertThat(NodeStatusConditions.of(status(dir, "{apiVersion: v1, kind: Node, metadata: {name: a}, status: {allocatable: {cpu: \"4\"}}}"),
                "status")).isEmpty();
    }
}
