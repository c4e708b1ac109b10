package io.nodesizer.catalog;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class BundledCatalogIsUpToDateTest {
    private static final Path SHARED = Path.of("..", "shared", "data", "catalogs");

    @Test
    void bundledCatalogsMatchTheSharedData() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SHARED), "skipped: " + SHARED.toAbsolutePath() + " not found");
        for (var e : CatalogResourceGenerator.SOURCES.entrySet()) {
            String bundled = Files.readString(Path.of("src/main/resources/io/nodesizer/catalog").resolve(e.getKey()), StandardCharsets.UTF_8);
            assertThat(bundled).as(e.getKey() + " is stale: run CatalogResourceGenerator")
                    .isEqualTo(CatalogResourceGenerator.generate(SHARED, e.getValue()));
        }
    }
}
