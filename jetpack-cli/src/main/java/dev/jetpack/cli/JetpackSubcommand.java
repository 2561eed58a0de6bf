package dev.jetpack.cli;

import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options, the facade, the terminal, and usage errors. */
abstract class JetpackSubcommand implements Callable<Integer> {
    @ParentCommand
    JetpackCommand root;

    @Spec
    CommandSpec spec;

    Jetpack jetpack() {
        return root.jetpack();
    }

    Terminal terminal() {
        return root.terminal();
    }

    /** A usage error found after parsing (conflicting arguments): exit code 2 with a hint. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Writes the IDs, one per line, to {@code file} (Jetpack's -saveid), atomically. */
    static void saveIds(Path file, List<ImageId> ids) {
        String text = ids.stream().map(ImageId::value).collect(Collectors.joining("\n", "", "\n"));
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JetpackException("Cannot write the image ID(s) to " + file + " (-saveid): " + e.getMessage()
                    + ". Give a file in a writable directory.", e);
        }
    }
}
