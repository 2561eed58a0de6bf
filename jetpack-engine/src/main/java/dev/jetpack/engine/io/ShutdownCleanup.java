package dev.jetpack.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cleanup that must also happen when the JVM is shut down by SIGINT or SIGTERM (Ctrl-C in a build).
 *
 * <p>The JVM runs shutdown hooks concurrently and in no particular order, but containers must be killed
 * before the mounts they run in are removed. So there is one hook for the whole engine, and it runs the
 * registered actions stage by stage: every {@link Stage#PROCESSES} action first, then every
 * {@link Stage#MOUNTS} action. Code that finishes normally {@link Registration#close() deregisters} its action.
 */
public final class ShutdownCleanup {
    /** When an action runs relative to the others. */
    public enum Stage {
        /** Kill processes and containers. */
        PROCESSES,
        /** Unmount and delete what those processes ran in. */
        MOUNTS
    }

    /** A registered action; closing it deregisters the action without running it. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final Map<Object, Entry> ACTIONS = new LinkedHashMap<>();
    private static boolean hookInstalled;
    private static boolean shuttingDown;

    private record Entry(Stage stage, Runnable action) {
    }

    private ShutdownCleanup() {
    }

    /** Registers {@code action} to run at JVM shutdown unless it is deregistered first. */
    public static synchronized Registration register(Stage stage, Runnable action) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::runAll, "jetpack-shutdown-cleanup"));
            hookInstalled = true;
        }
        Object key = new Object();
        if (!shuttingDown) {
            ACTIONS.put(key, new Entry(stage, action));
        }
        return () -> {
            synchronized (ShutdownCleanup.class) {
                ACTIONS.remove(key);
            }
        };
    }

    private static void runAll() {
        List<Entry> entries;
        synchronized (ShutdownCleanup.class) {
            shuttingDown = true;
            entries = new ArrayList<>(ACTIONS.values());
            ACTIONS.clear();
        }
        for (Stage stage : Stage.values()) {
            for (Entry entry : entries) {
                if (entry.stage() == stage) {
                    try {
                        entry.action().run();
                    } catch (RuntimeException | Error e) {
                        // Nothing can report it any more; the remaining actions must still run.
                    }
                }
            }
        }
    }
}
