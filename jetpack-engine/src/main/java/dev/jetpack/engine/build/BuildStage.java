package dev.jetpack.engine.build;

import java.util.List;
import java.util.Optional;

/**
 * One stage of a build in stages: what runs in its container. The package install and each build step of the
 * generated script are stages; a build command of the user's own is one stage.
 *
 * @param kind         the package install, a build step or a command of the user's own
 * @param description  what it runs, for the log
 * @param command      the command in the work directory
 * @param script       the build script text, written into the work directory before the command runs; empty
 *                     for a command of the user's own
 * @param arguments    the build arguments it gets (already part of {@code command}), which its key records
 * @param copiesInputs true for the stage that copies the build directory and the copied files into the work
 *                     directory (the first step); later stages find them there
 */
record BuildStage(Kind kind, String description, List<String> command, Optional<String> script, List<String> arguments,
                  boolean copiesInputs) {
    /** What a stage is; decides what its key records. */
    enum Kind {
        /** The package install of the generated script (PKG_INSTALL). */
        PACKAGES,
        /** One build step of the generated script. */
        STEP,
        /** The user's own build command, as one stage. */
        COMMAND
    }

    BuildStage {
        java.util.Objects.requireNonNull(kind, "kind");
        command = List.copyOf(command);
        arguments = List.copyOf(arguments);
    }
}
