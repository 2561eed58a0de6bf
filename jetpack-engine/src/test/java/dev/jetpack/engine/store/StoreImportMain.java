package dev.jetpack.engine.store;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.testing.StdoutLog;
import java.nio.file.Path;

/**
 * A child process for the store's multi-process tests: imports an ACI from a file or from stdin into a store and
 * prints the store's log lines (and "ID <id>") on stdout.
 * Usage: {@code StoreImportMain STORE (FILE | -)}.
 */
public final class StoreImportMain {
    private StoreImportMain() {
    }

    public static void main(String[] args) {
        EngineLog log = new StdoutLog();
        ImageStore store = ImageStore.open(Path.of(args[0]), log);
        StoredImage image = args[1].equals("-")
                ? store.importAci(System.in, ImportOptions.builder().source("stdin").build())
                : store.importAci(Path.of(args[1]), ImportOptions.defaults());
        System.out.println("ID " + image.id());
    }
}
