package io.nodesizer.input.csv;

import io.nodesizer.input.InputException;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CsvProfileReaderTest {
    @TempDir
    Path dir;

    private Workload read(String content) throws Exception {
        Path f = dir.resolve("w.csv");
        Files.writeString(f, content);
        return new CsvProfileReader().read(f, "w.csv");
    }

    @Test
    void readsRequiredAndOptionalColumnsInAnyOrder() throws Exception {
        Workload w = read("""
                # comment line
                replicas,memory,name,cpu,gpu,ephemeral-storage,pods
                3,512Mi,web,250m,,,
                1,2G,"ml, trainer",1.5,2,10Gi,1

                """);
        assertThat(w.groups()).hasSize(2);
        PodGroup web = w.groups().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.replicas()).isEqualTo(3);
        assertThat(web.request().cpuMillis()).isEqualTo(250);
        assertThat(web.request().memoryBytes()).isEqualTo(512L << 20);
        assertThat(web.request().pods()).isEqualTo(1);
        assertThat(web.podName(2)).isEqualTo("web-2");
        assertThat(web.origin().line()).isEqualTo(3);
        PodGroup ml = w.groups().get(1);
        assertThat(ml.name()).isEqualTo("ml, trainer");
        assertThat(ml.request().gpuMillis()).isEqualTo(2000);
        assertThat(ml.request().ephemeralStorageBytes()).isEqualTo(10L << 30);
        assertThat(ml.request().pods()).isEqualTo(2); // its own slot plus one extra
    }

    @Test
    void handlesBomAndCrlf() throws Exception {
        Workload w = read("\uFEFFname,cpu,memory\r\nweb,1,1Gi\r\n");
        assertThat(w.groups()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("web"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name,cpu,memory\\nweb,500m,1.5.5Gi | w.csv:2: The memory of 'web' (1.5.5Gi) must be a quantity of bytes",
        "name,cpu,memory\\nweb,-1,1Gi | w.csv:2: The cpu of 'web' (-1) must be a CPU quantity",
        "name,cpu,memory\\nweb,NaN,1Gi | w.csv:2: The cpu of 'web' (NaN)",
        "name,cpu,memory,replicas\\nweb,1,1Gi,0 | w.csv:2: The replicas of 'web' (0) must be at least 1",
        "name,cpu,memory\\nweb,1,1Gi\\nweb,2,2Gi | w.csv:3: The name 'web' is used twice; first at line 2",
        "name,cpu\\nweb,1 | w.csv:1: The header (name,cpu) must have the column 'memory'",
        "name,cpu,memory,color\\nweb,1,1Gi,red | w.csv:1: The column 'color' is not known",
        "name,cpu,memory\\nweb,1 | w.csv:2: The row has 2 fields; expected 3",
        "name,cpu,memory\\nweb,1,99999999999999999999Gi | w.csv:2: The memory of 'web'",
        "name,cpu,memory,gpu\\nweb,1,1Gi,0.5 | w.csv:2: The gpu of 'web' (0.5) must be a whole number",
        "name,cpu,memory | w.csv: The file has a header but no rows",
        "'' | w.csv: The file is empty",
    })
    void rejectsBadInputWithFileAndLine(String content, String message) throws Exception {
        String text = content.equals("''") ? "" : content.replace("\\n", "\n");
        assertThatThrownBy(() -> read(text)).isInstanceOf(InputException.class).hasMessageStartingWith(message);
    }
}
