package dev.jetpack.maven;

import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes the configured {@code cleanFiles} (CLEAN_FILES) and what the plugin left: its work directory
 * ({@code target/jetpack}) and the ACI with its ID file. With packaging {@code aci} it runs in the
 * {@code clean} phase before maven-clean-plugin; elsewhere bind it to {@code clean} yourself.
 */
@Mojo(name = "clean", defaultPhase = LifecyclePhase.CLEAN, threadSafe = true)
public class CleanMojo extends AbstractJetpackMojo {
    /**
     * Files and directories to remove, relative to the project directory; the last name may be a glob. Nothing
     * outside the project directory is removed.
     */
    @Parameter
    private List<String> cleanFiles;

    @Override
    protected String goal() {
        return "clean";
    }

    @Override
    protected void run() throws MojoExecutionException, ConfigurationException {
        try {
            List<Path> removed = CleanFiles.clean(basedir(), cleanFiles == null ? List.of() : cleanFiles,
                    line -> getLog().info(line));
            int count = removed.size();
            Path aci = Path.of(project.getBuild().getDirectory()).toAbsolutePath()
                    .resolve(project.getBuild().getFinalName() + ".aci");
            for (Path own : List.of(workDirectoryPath(), aci, aci.resolveSibling(aci.getFileName() + ".id"))) {
                if (Files.exists(own, LinkOption.NOFOLLOW_LINKS)) {
                    getLog().info("Deleting " + own);
                    FileTrees.deleteRecursively(own);
                    count++;
                }
            }
            if (count == 0) {
                getLog().info("Nothing to clean");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot remove " + e.getMessage() + ": " + e
                    + "; check the permissions, or whether a mount is still active below it", e);
        }
    }
}
