package dev.jetpack.engine;

import dev.jetpack.engine.build.ImageBuildService;
import dev.jetpack.engine.run.AppRunner;
import dev.jetpack.engine.runtime.Runtimes;
import dev.jetpack.engine.store.ImageStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The one sweep of what processes killed in the middle of a build or fetch ({@code kill -9}, a crash, a power
 * loss) left behind, and nothing of a run that is still going, in this JVM or another. Each owner knows its own
 * leftovers; this class only knows all of them and the order:
 *
 * <ol>
 *   <li>OCI containers named after a dead JVM, with their bundles ({@link Runtimes#removeStaleContainers});
 *       first, because a live container keeps its overlay mount busy;</li>
 *   <li>build containers of dead JVMs: overlay mounts, upper dirs, copies
 *       ({@link ImageBuildService#removeStaleContainers});</li>
 *   <li>the overlays and empty volumes of apps whose JVM died ({@link AppRunner#removeStaleApps});</li>
 *   <li>temporary build outputs, downloads and build scripts of dead JVMs ({@code store.WorkArea}).</li>
 * </ol>
 *
 * <p>It lives beside the facade, not in one of the owners' packages, because it knows all of them: in
 * {@code build} it made {@code build} and {@code run} depend on each other.
 *
 * <p>The store's own staging directories of interrupted imports are removed by {@link ImageStore#open} (and
 * {@link ImageStore#cleanup}), which every use of a store goes through, so the sweep does not repeat that.
 */
final class KilledRunSweep {
    private KilledRunSweep() {
    }

    /** @return what was removed */
    static List<String> run(ImageStore store, EngineLog log) {
        List<String> removed = new ArrayList<>(Runtimes.removeStaleContainers(log));
        ImageBuildService.removeStaleContainers(store, log).forEach(path -> removed.add(path.toString()));
        AppRunner.removeStaleApps(store, log).forEach(path -> removed.add(path.toString()));
        removed.addAll(store.workArea().removeAbandoned());
        return removed;
    }
}
