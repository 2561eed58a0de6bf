package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener on its own thread: every entry in order, the listener's failure reported, no thread left. */
class BackgroundEntryListenerTest {
    @Test
    void handsOnEveryEntryInOrderAndFinishesTheListenerBeforeAllWrittenReturns() throws Exception {
        List<String> seen = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        boolean[] finished = {false};
        AciWriter.EntryListener recording = new AciWriter.EntryListener() {
            @Override
            public void written(TarEntry entry) {
                seen.add(entry.name());
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void allWritten() {
                finished[0] = true;
            }
        };
        List<String> names = new ArrayList<>();
        try (BackgroundEntryListener background = new BackgroundEntryListener(recording, "test-mirror")) {
            for (int i = 0; i < 20_000; i++) { // more than the queue holds: the writer waits, nothing is lost
                names.add("rootfs/f" + i);
                background.written(entry("rootfs/f" + i));
            }
            background.allWritten();
        }
        assertThat(seen).isEqualTo(names);
        assertThat(threads).containsOnly("test-mirror");
        assertThat(finished[0]).isTrue();
        assertThat(threadAlive("test-mirror")).isFalse();
    }

    @Test
    void theListenersFailureFailsTheWriterAndTheWorkerStopsListening() throws Exception {
        List<String> seen = new ArrayList<>();
        AciWriter.EntryListener failing = entry -> {
            seen.add(entry.name());
            if (entry.name().equals("rootfs/bad")) {
                throw new IOException("disk full in the store");
            }
        };
        try (BackgroundEntryListener background = new BackgroundEntryListener(failing, "test-failing")) {
            background.written(entry("rootfs/a"));
            background.written(entry("rootfs/bad"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100_000; i++) { // the failure surfaces in a later call, never a hang
                    background.written(entry("rootfs/after" + i));
                }
                background.allWritten();
            }).isInstanceOf(IOException.class).hasMessageContaining("disk full in the store");
        }
        assertThat(seen).startsWith("rootfs/a", "rootfs/bad").hasSizeLessThan(4);
        assertThat(threadAlive("test-failing")).isFalse();
    }

    @Test
    void closeWithoutAllWrittenDropsWhatIsQueuedAndEndsTheThread() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new ArrayList<>();
        AciWriter.EntryListener slow = entry -> {
            seen.add(entry.name());
            inListener.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        BackgroundEntryListener background = new BackgroundEntryListener(slow, "test-abandoned");
        for (int i = 0; i < 100; i++) {
            background.written(entry("rootfs/f" + i));
        }
        assertThat(inListener.await(10, TimeUnit.SECONDS)).isTrue();
        // The write failed elsewhere: the caller closes, and cleans up after close() returns. The listener is
        // still in the first entry; it is let go only once close() waits for the worker (after dropping the rest).
        Thread closer = new Thread(background::close, "test-closer");
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closer.isAlive()).isFalse();
        assertThat(threadAlive("test-abandoned")).isFalse();
        assertThat(seen).as("the entries queued behind the first are dropped").containsExactly("rootfs/f0");
        assertThatThrownBy(() -> background.written(entry("rootfs/late"))).isInstanceOf(IllegalStateException.class);
    }

    private static TarEntry entry(String name) {
        return new TarEntry(name, TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, Instant.EPOCH, "", 0, 0, Map.of());
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
