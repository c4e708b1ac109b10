package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every long option of every command's --help is named in the README (QA 52a F14: --trough was not), so none is undocumented. */
class ReadmeOptionsTest {
    @Test
    void everyLongOptionOfEveryCommandIsInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
                String name = o.longestName();
                if (name.startsWith("--") && !o.usageHelp() && !o.versionHelp() && !readme.contains(name)) {
                    missing.add(sub.getCommandName() + " " + name);
                }
            }
        }
        assertThat(missing).as("options no line of the README names").isEmpty();
    }
}
