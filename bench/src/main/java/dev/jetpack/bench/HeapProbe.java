package dev.jetpack.bench;

import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a child JVM with a small -Xmx: writes an ACI from a tree, or reads one, and prints the peak heap in use
 * (sampled every 2 ms through the MemoryMXBean) as "peak-heap-bytes N".
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        if (args[0].equals("write")) {
            AciWriter.write(Bench.MANIFEST, Path.of(args[1]), Path.of(args[2]),
                    WriterOptions.builder().compression(Compression.parse(args[3])).build());
        } else {
            AciReader.extract(Path.of(args[2]), Path.of(args[1]), ReaderOptions.defaults());
        }
        sampler.interrupt();
        sampler.join();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        System.out.println("peak-heap-bytes " + peak.get());
    }
}
