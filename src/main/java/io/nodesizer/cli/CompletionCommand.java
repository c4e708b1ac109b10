package io.nodesizer.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code nodesizer completion bash|zsh}: prints a completion script (picocli's generator) for
 * every command and option. Bash: {@code source <(nodesizer completion bash)}; zsh runs the same
 * script through bashcompinit, which the script loads itself.
 */
@Command(name = "completion", description = "Print a shell completion script: source <(nodesizer completion bash).")
final class CompletionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The shell (" + shell + ") must be bash or zsh.");
        }
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("nodesizer", root));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
