package io.caption4j.cli;

import io.caption4j.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caption4j} command line: one subcommand per task. */
@Command(name = "caption4j", mixinStandardHelpOptions = true, version = "caption4j 0.1.0",
        description = "Image captioning and image-text understanding on the JVM.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, PretrainLmCommand.class, CaptionCommand.class,
            EvaluateCommand.class, ClassifyCommand.class, AskCommand.class, BenchCommand.class, IndexCommand.class,
            SearchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 some input was bad, 2 usage error. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InputException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
