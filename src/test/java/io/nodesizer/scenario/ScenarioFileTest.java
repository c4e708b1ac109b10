package io.nodesizer.scenario;

import io.nodesizer.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ScenarioFileTest {
    @TempDir
    Path dir;

    private List<Scenario> read(String yaml) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return ScenarioFile.read(f, "s.yaml");
    }

    @Test
    void rangesExpandExactlyAndCombinationsMultiply() throws Exception {
        List<Scenario> s = read("""
                scenarios:
                  - name: a
                    command: recommend
                    args: {pods: shop.csv, families: "m5,r5", surge: ["2x@+1h/1h", "3x@+5h/1h"], quiet-flag-test: true, off: false}
                    vary: {growth: "1.0..2.0 step 0.5", seed: [1, 2]}
                """);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).vary().get("growth").values()).containsExactly("1", "1.5", "2"); // one form per value: no 1.0 beside 1
        List<Scenario.Run> runs = s.get(0).expand();
        assertThat(runs).hasSize(6);
        assertThat(runs.get(1).label()).isEqualTo("a[growth=1,seed=2]");
        assertThat(runs.get(5).argv()).containsExactly("recommend", "--pods", "shop.csv", "--families", "m5,r5", "--surge", "2x@+1h/1h",
                "--surge", "3x@+5h/1h", "--quiet-flag-test", "--growth", "2", "--seed", "2");
        assertThat(ScenarioFile.range("1..4", null, "x")).containsExactly("1", "2", "3", "4");
        assertThat(ScenarioFile.range("0.1..0.3 step 0.1", null, "x")).containsExactly("0.1", "0.2", "0.3");
        assertThat(ScenarioFile.range("0.5..2.0 step 0.25", null, "x")).containsExactly("0.5", "0.75", "1", "1.25", "1.5", "1.75", "2");
        // A leading point is a number; a trailing one, a third dot or a step glued to the bound are typos (QA 61d F4).
        assertThat(ScenarioFile.range(".5..1 step .25", null, "x")).containsExactly("0.5", "0.75", "1");
        for (String typo : java.util.List.of("1...2 step 0.5", "1..2step 0.5", "1.. 2 step", "1..2 step 0.5.")) {
            assertThatThrownBy(() -> ScenarioFile.range(typo, io.nodesizer.input.SourceLocation.ofFile("s.yaml"), "x")).as(typo).isInstanceOf(InputException.class)
                    .hasMessageContaining("must look like 1..4 or 1.0..2.0 step 0.5");
        }
        // Inclusive: a step that passes over the end is refused, naming what it would give (QA 74b F6: 2 was left out).
        assertThatThrownBy(() -> ScenarioFile.range("1..2 step 0.3", io.nodesizer.input.SourceLocation.ofFile("s.yaml"), "x"))
                .isInstanceOf(InputException.class).hasMessageContaining("x: the range '1..2 step 0.3' is inclusive, but its step 0.3 "
                        + "does not land on its end 2: it would give 1, 1.3, 1.6, 1.9. Give a step that divides 1, end the range at 1.9, "
                        + "or list the values.");
        assertThatThrownBy(() -> ScenarioFile.range("1..100 step 7", io.nodesizer.input.SourceLocation.ofFile("s.yaml"), "x")).hasMessageContaining("it would give 1, 8, 15, …, 99.");
        assertThat(ScenarioFile.range("1..1.3 step .15", null, "x")).containsExactly("1", "1.15", "1.3");
        assertThat(java.util.List.of("1.0", "1.10", "010", "aws:m5.xlarge", "1e3", "-2.50")).extracting(ScenarioFile::canonical)
                .containsExactly("1", "1.1", "010", "aws:m5.xlarge", "1e3", "-2.5");
    }

    @Test
    void mistakesNameTheFileLineScenarioAndKey() {
        // A misspelt top key is named (QA 68c F5: only "a sweep file is one YAML document with a list under scenarios:").
        assertThatThrownBy(() -> read("""
                scenarioz:
                  - name: a
                """)).isInstanceOf(InputException.class).hasMessageContaining("s.yaml:2:3")
                .hasMessageContaining("Unknown key 'scenarioz' at the top; a sweep file has scenarios: only");
        // An empty file is named so (review 74 #8), and so is a file of comments alone.
        for (String empty : new String[]{"", "# nothing yet\n"}) {
            assertThatThrownBy(() -> read(empty)).isInstanceOf(InputException.class)
                    .hasMessageContaining("The file is empty; a sweep file is one YAML document with a list under scenarios:");
        }
        // What was found instead of a list under scenarios: is named (QA 74b F8: scenarios: {} said only what was expected).
        assertThatThrownBy(() -> read("scenarios: {}\n")).hasMessageEndingWith("; found an empty mapping ({}) under scenarios.");
        assertThatThrownBy(() -> read("- name: a\n")).hasMessageEndingWith("; found a list at the top.");
        assertThatThrownBy(() -> read("scenarios: pack\n")).hasMessageEndingWith("; found a single value under scenarios.");
        // An empty name gave a row with a blank scenario cell, exit 0 (QA 66b L5).
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: ""
                    command: pack
                """)).isInstanceOf(InputException.class).hasMessageContaining("s.yaml:2:11")
                .hasMessageContaining("Each scenario needs a name; found an empty one.");
        // The same value twice, as written or once canonical (QA 58d F9: 1.10 and 1.1 ran twice with no word).
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: d
                    command: pack
                    vary: {growth: [1.10, 1.5, 2.00, 1.1]}
                """)).isInstanceOf(InputException.class).hasMessageContaining("s.yaml:4:38")
                .hasMessageContaining("Scenario 'd', vary.growth lists 1.1 twice; each value once.");
        // Equal durations are one value (QA 60a F8: 1m and 60s ran twice); other values that merely start like one are not.
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: d
                    command: replay
                    vary: {pending-slo: [1m, 2m, 60s]}
                """)).isInstanceOf(InputException.class)
                .hasMessageContaining("Scenario 'd', vary.pending-slo lists 60s, the same as 1m; each value once.");
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: d
                    command: replay
                    vary: {provision-delay: [PT4M, 240s]}
                """)).isInstanceOf(InputException.class).hasMessageContaining("lists 240s, the same as PT4M");
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: a
                    command: recommend
                    vary: {growth: "1.0..2.0 step 0"}
                """)).isInstanceOf(InputException.class).hasMessageContaining("s.yaml:4")
                .hasMessageContaining("Scenario 'a', vary.growth: the step of '1.0..2.0 step 0' must be above 0");
        assertThatThrownBy(() -> read("""
                scenarios:
                  - name: b
                    command: recommend
                    argz: {pods: x}
                """)).isInstanceOf(InputException.class).hasMessageContaining("s.yaml:4").hasMessageContaining("Scenario 'b': unknown key 'argz'");
        assertThatThrownBy(() -> read("scenarios:\n  - name: c\n    command: deploy\n")).hasMessageContaining("the command 'deploy' must be one of");
        assertThatThrownBy(() -> read("scenarios:\n  - name: d\n    command: pack\n    args: {--node: x}\n")).hasMessageContaining("without dashes (node)");
        assertThatThrownBy(() -> read("scenarios:\n  - name: e\n    command: pack\n    args: {out: r.json}\n")).hasMessageContaining("set by the sweep");
        assertThatThrownBy(() -> read("scenarios:\n  - name: f\n    command: pack\n    args: {seed: 1}\n    vary: {seed: [1, 2]}\n"))
                .hasMessageContaining("'seed' is both in args and in vary");
        assertThatThrownBy(() -> read("scenarios:\n  - name: g\n    command: pack\n  - name: g\n    command: pack\n")).hasMessageContaining("unique");
        assertThatThrownBy(() -> read("scenarios:\n  - name: h\n    command: pack\n    vary: {seed: \"5..1\"}\n")).hasMessageContaining("ends below its start");
        assertThatThrownBy(() -> read("scenarios:\n  - name: i\n    command: pack\n    vary: {seed: \"1..100000\"}\n")).hasMessageContaining("at most 10000");
        assertThatThrownBy(() -> read("runs: []\n")).hasMessageContaining("scenarios:");
        assertThatThrownBy(() -> read("scenarios: []\n")).hasMessageContaining("lists no scenarios");
    }
}
