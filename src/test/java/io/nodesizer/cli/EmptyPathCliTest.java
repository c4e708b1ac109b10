package io.nodesizer.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An empty input path exits 2 naming its option: Path.of("") is the working directory, and
 * {@code --pods "$W"} with W unset packed whatever was there (QA 62 item 2).
 */
final class EmptyPathCliTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "pack --pods '' --node cpu=8,memory=32Gi | --pods",
        "pack --pods workloads/shop.csv --fleet '' | --fleet",
        "analyze --snapshot '' | --snapshot",
        "consolidate --snapshot '' | --snapshot",
        "replay --workload '' --node aws:m5.large | --workload",
        "rightsize --pods workloads/rightsize/shop.yaml --usage '' | --usage",
        "recommend --pods workloads/shop.csv --catalog '' | --catalog",
        "sweep --scenarios '' | --scenarios",
    })
    void exitsTwoNamingTheOption(String command, String option) {
        String[] args = java.util.Arrays.stream(command.split(" ")).map(a -> a.equals("''") ? "" : a).toArray(String[]::new);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("nodesizer: " + option + ": the path is empty").doesNotContain("Exception");
    }
}
