package dev.jetpack.engine.runtime;

import dev.jetpack.engine.build.BuildContainer;

import java.nio.file.Path;

/**
 * A JVM for {@link ShutdownCleanupTest} to kill with SIGTERM: builds a container over ARG1 in ARG2 and runs a
 * long command in it with runtime ARG0, printing "started" once the command runs.
 */
public final class SigtermVictim {
    private SigtermVictim() {
    }

    public static void main(String[] args) {
        ContainerRuntime runtime = Runtimes.select(args[0], dev.jetpack.engine.EngineLog.SILENT);
        BuildContainer container = BuildContainer.create(Path.of(args[1]), Path.of(args[2]));
        System.out.println("container " + container.directory());
        System.out.flush();
        runtime.run(ContainerSpec.shell(container.root(), "echo started; sleep 600 & sleep 600").build(),
                (stream, line) -> {
                    System.out.println(line);
                    System.out.flush();
                });
    }
}
