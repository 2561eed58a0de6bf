package dev.jetpack.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs competing operations interleaved in one loop (A, B, C, then B, C, A, ...), so that load from other
 * processes on a shared machine hits all of them alike, and keeps the best time of each.
 */
final class Measure {
    private Measure() {
    }

    /** One contender: {@code run} does the work and returns the size of what it wrote (or 0). */
    record Op(String name, Work run, Runnable cleanup) {
        Op(String name, Work run) {
            this(name, run, () -> { });
        }
    }

    @FunctionalInterface
    interface Work {
        long run() throws Exception;
    }

    /** Best time in seconds and output size of each op. */
    record Result(String name, double seconds, long size) {
    }

    static List<Result> interleaved(int repeats, List<Op> ops) {
        double[] best = new double[ops.size()];
        long[] sizes = new long[ops.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < repeats; round++) {
            for (int k = 0; k < ops.size(); k++) {
                int i = (k + round) % ops.size(); // rotate who goes first
                Op op = ops.get(i);
                op.cleanup().run();
                long start = System.nanoTime();
                long size;
                try {
                    size = op.run().run();
                } catch (Exception e) {
                    throw new IllegalStateException(op.name() + " failed: " + e, e);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best[i] = Math.min(best[i], seconds);
                sizes[i] = size;
                System.out.printf("  %-44s %8.3f s%s%n", op.name(), seconds, size > 0 ? "  " + size + " B" : "");
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            results.add(new Result(ops.get(i).name(), best[i], sizes[i]));
        }
        return results;
    }
}
