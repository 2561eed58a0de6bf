package dev.jetpack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result table: one row per comparison, ratios of jetpack to the GNU tool measured in the same loop. */
final class Table {
    private final List<String> rows = new ArrayList<>();

    /** A throughput comparison: ratio = GNU time / jetpack time (above 1: jetpack is faster). */
    void compare(String what, String input, Measure.Result ours, Measure.Result theirs, String target) {
        String sizeOurs = ours.size() > 0 ? mb(ours.size()) : "";
        String sizeTheirs = theirs.size() > 0 ? mb(theirs.size()) : "";
        String sizeRatio = ours.size() > 0 && theirs.size() > 0
                ? String.format(Locale.ROOT, "%.3f", (double) ours.size() / theirs.size()) : "";
        String tool = theirs.name().replace("|", "\\|"); // a pipe would end the markdown cell
        rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s (%s) | **%.2f** | %s | %s | %s | %s |", what, input,
                time(ours.seconds()), time(theirs.seconds()), tool, theirs.seconds() / ours.seconds(), sizeOurs,
                sizeTheirs, sizeRatio, target));
    }

    void single(String what, String input, String value, String target) {
        rows.add("| " + what + " | " + input + " | " + value + " |  |  |  |  |  | " + target + " |");
    }

    String markdown(String header) {
        StringBuilder out = new StringBuilder(header);
        out.append("| measurement | input | jetpack | GNU tool | ratio (GNU time / jetpack time) | jetpack size"
                + " | GNU size | size ratio | target |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String row : rows) {
            out.append(row).append('\n');
        }
        return out.toString();
    }

    static String time(double seconds) {
        return seconds < 1 ? String.format(Locale.ROOT, "%.1f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
