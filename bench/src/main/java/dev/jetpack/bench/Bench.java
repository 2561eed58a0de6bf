package dev.jetpack.bench;

import dev.jetpack.engine.aci.AciReader;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.aci.compress.BlockCache;
import dev.jetpack.engine.aci.compress.CompressionStreams;
import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.Jetpack;
import dev.jetpack.engine.JetpackSettings;
import dev.jetpack.engine.ProgressListener;
import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import dev.jetpack.engine.build.BuildContainer;
import dev.jetpack.engine.build.ImageBuildSpec;
import dev.jetpack.engine.build.OutputForm;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark: jetpack against GNU tar, gzip, pigz, xz, bzip2, sha512sum and cp on the same inputs, interleaved
 * in one loop, best of N. Prints a markdown table of ratios and writes it to the results file.
 *
 * <p>Options: {@code --repeat N} (3), {@code --slow-repeat N} for xz and bzip2 (2), {@code --work DIR}
 * (/var/tmp/jetpack-bench), {@code --skip-big} (no 2 GiB tree, no 1 GiB heap probe), {@code --writes-only} (the
 * debootstrap tree's write rows and uncompressed extraction only, for a loaded machine), {@code --classpath CP}
 * (for the heap probe's child JVM), {@code --results FILE}.
 */
public final class Bench {
    static final byte[] MANIFEST = ("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
            + "\"example.com/bench\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\","
            + "\"value\":\"amd64\"}]}").getBytes(StandardCharsets.UTF_8);

    /** The file a "one file changed" row rewrites before each run; deleted when the tree's rows are done. */
    private static final String CHANGE_FILE = "jetpack-bench-change";
    private static final String CHANGED = "rewrite after a one-file change, warm block cache";

    private int repeat = 3;
    private int slowRepeat = 2;
    private Path work = Path.of("/var/tmp/jetpack-bench");
    private boolean skipBig;
    /** For a loaded machine: the debootstrap tree's write rows and its uncompressed extraction only. */
    private boolean writesOnly;
    private String classpath = System.getProperty("java.class.path");
    private Path results = Path.of("bench/results/latest.md");
    private final Table table = new Table();
    private Path scratch;

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeat" -> bench.repeat = Integer.parseInt(args[++i]);
                case "--slow-repeat" -> bench.slowRepeat = Integer.parseInt(args[++i]);
                case "--work" -> bench.work = Path.of(args[++i]);
                case "--skip-big" -> bench.skipBig = true;
                case "--writes-only" -> bench.writesOnly = true;
                case "--classpath" -> bench.classpath = args[++i];
                case "--results" -> bench.results = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        bench.run();
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        Files.createDirectories(work);
        scratch = work.resolve("scratch");
        Shell.run("rm -rf " + Shell.quote(scratch));
        Files.createDirectories(scratch);
        Inputs inputs = new Inputs(work);
        Path debian = inputs.debootstrap();
        Path small = writesOnly ? null : inputs.smallFiles();

        for (Path tree : writesOnly ? List.of(debian) : List.of(debian, small)) {
            String name = tree.equals(debian) ? "debootstrap minbase" : "20,000 small files";
            writeAndRead(tree, name);
        }
        if (!writesOnly) {
            containers(inputs, debian);
            if (!skipBig) {
                heap(inputs);
            }
            layeredVersusFlat(debian);
        }

        String header = "Measured " + started.truncatedTo(ChronoUnit.SECONDS) + " on " + host() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, with `bench/run.sh`; best of " + repeat
                + " (xz and bzip2 writes: best of " + slowRepeat + "), jetpack and GNU interleaved in one loop."
                + " Load average (1 min) " + loadAtStart + " at the start, " + loadAverage() + " at the end."
                + " Ratio above 1: jetpack is faster.\n\n";
        String markdown = table.markdown(header);
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, "# Benchmark: latest results\n\n" + markdown);
        Shell.run("rm -rf " + Shell.quote(scratch));
    }

    private void writeAndRead(Path tree, String input) throws IOException {
        String src = Shell.quote(tree);
        Path dir = Files.createDirectories(scratch.resolve(tree.getFileName()));
        Path oursNone = dir.resolve("ours-none.aci");
        Path gnuTar = dir.resolve("gnu.tar");
        System.out.println("== write, uncompressed: " + input);
        List<Measure.Result> none = Measure.interleaved(repeat, List.of(
                new Measure.Op("jetpack ACI none", () -> write(tree, oursNone, Compression.NONE)),
                new Measure.Op("tar -cf", () -> {
                    Shell.run("tar -cf " + Shell.quote(gnuTar) + " -C " + src + " .");
                    return Files.size(gnuTar);
                }),
                new Measure.Op("tar -c | tee FILE | sha512sum", () -> {
                    Shell.run("tar -cf - -C " + src + " . | tee " + Shell.quote(gnuTar) + " | sha512sum >/dev/null");
                    return Files.size(gnuTar);
                })));
        table.compare("write, uncompressed (incl. image ID)", input, none.get(0), none.get(1), "≥ 1.0");
        table.compare("write, uncompressed (incl. image ID)", input, none.get(0), none.get(2), "");

        System.out.println("== image ID: " + input);
        List<Measure.Result> id = Measure.interleaved(repeat, List.of(
                new Measure.Op("jetpack image ID (read + validate)", () -> {
                    AciReader.inspect(oursNone, ReaderOptions.defaults());
                    return 0;
                }),
                new Measure.Op("sha512sum", () -> {
                    Shell.run("sha512sum " + Shell.quote(oursNone) + " >/dev/null");
                    return 0;
                })));
        table.compare("image ID of the uncompressed ACI", input, id.get(0), id.get(1), "");

        Path oursGz = dir.resolve("ours-gzip.aci");
        Path gnuGz = dir.resolve("gnu.tar.gz");
        Path pigzGz = dir.resolve("pigz.tar.gz");
        System.out.println("== write, gzip -6: " + input);
        Path oursGzChanged = dir.resolve("ours-gzip-changed.aci");
        primeBlockCache(tree, oursGzChanged, Compression.GZIP);
        List<Measure.Result> gz = Measure.interleaved(repeat, List.of(
                new Measure.Op("jetpack ACI gzip", () -> write(tree, oursGz, Compression.GZIP)),
                gnu("tar -c | gzip -6", src, "gzip -6", gnuGz),
                gnu("tar -c | pigz -6", src, "pigz -6", pigzGz),
                changedWrite(tree, oursGzChanged, Compression.GZIP)));
        table.compare("write, gzip level 6", input, gz.get(0), gz.get(1), "");
        table.compare("write, gzip level 6", input, gz.get(0), gz.get(2), "≥ 1.0 of pigz");
        table.compare(CHANGED + ", gzip level 6", input, gz.get(3), gz.get(2), "");

        Path oursBz = dir.resolve("ours-bzip2.aci");
        Path gnuBz = dir.resolve("gnu.tar.bz2");
        System.out.println("== write, bzip2 -9: " + input);
        List<Measure.Result> bz = Measure.interleaved(slowRepeat, List.of(
                new Measure.Op("jetpack ACI bzip2", () -> write(tree, oursBz, Compression.BZIP2)),
                gnu("tar -c | bzip2 -9", src, "bzip2 -9", gnuBz)));
        table.compare("write, bzip2 level 9 (parallel streams)", input, bz.get(0), bz.get(1), "≥ 1.5 of one bzip2");

        Path oursXz = dir.resolve("ours-xz.aci");
        Path oursXzJava = dir.resolve("ours-xz-java.aci");
        Path gnuXz = dir.resolve("gnu.tar.xz");
        System.out.println("== write, xz -6: " + input);
        Path oursXzChanged = dir.resolve("ours-xz-changed.aci");
        primeBlockCache(tree, oursXzChanged, Compression.XZ);
        List<Measure.Op> xzOps = new ArrayList<>(List.of(
                new Measure.Op("jetpack ACI xz (system xz, default)", () -> write(tree, oursXz, Compression.XZ)),
                gnu("tar -c | xz -T0 -6", src, "xz -T0 -6", gnuXz),
                changedWrite(tree, oursXzChanged, Compression.XZ)));
        if (!writesOnly) {
            xzOps.add(new Measure.Op("jetpack xz-java stream (Compression.compress)",
                    () -> writeXzJava(tree, oursXzJava)));
        }
        List<Measure.Result> xz = Measure.interleaved(slowRepeat, xzOps);
        table.compare("write, xz level 6 (system xz, default)", input, xz.get(0), xz.get(1),
                "≥ 1.0, size ≤ 1.02");
        table.compare(CHANGED + ", xz level 6", input, xz.get(2), xz.get(1), "");
        if (!writesOnly) {
            table.compare("write, xz level 6 (xz-java stream, Compression.compress)", input, xz.get(3), xz.get(1),
                    "");
        }

        Path out = scratch.resolve("extracted");
        Runnable clean = () -> Shell.run("rm -rf " + Shell.quote(out));
        for (Object[] c : new Object[][] {{"none", oursNone, "tar -xf " + Shell.quote(gnuTar)},
                {"gzip", oursGz, "gzip -dc " + Shell.quote(gnuGz) + " | tar -x"},
                {"bzip2", oursBz, "bzip2 -dc " + Shell.quote(gnuBz) + " | tar -x"},
                {"xz", oursXz, "xz -dc " + Shell.quote(gnuXz) + " | tar -x"}}) {
            if (writesOnly && !c[0].equals("none")) {
                continue;
            }
            System.out.println("== extract, " + c[0] + ": " + input);
            boolean slow = c[0].equals("bzip2") || c[0].equals("xz");
            List<Measure.Result> ex = Measure.interleaved(slow ? slowRepeat : repeat, List.of(
                    new Measure.Op("jetpack extract " + c[0], () -> {
                        AciReader.extract((Path) c[1], out, ReaderOptions.defaults());
                        return 0;
                    }, clean),
                    new Measure.Op(((String) c[2]).replaceAll("'[^']*'", "FILE").replace("-dc FILE |", "-dc |"),
                            () -> {
                                Shell.run("mkdir -p " + Shell.quote(out) + " && cd " + Shell.quote(out) + " && "
                                        + c[2]);
                                return 0;
                            }, clean)));
            table.compare("extract, " + c[0], input, ex.get(0), ex.get(1), c[0].equals("none") ? "≥ 1.0" : "");
        }
        clean.run();
        Files.deleteIfExists(tree.resolve(CHANGE_FILE));
        Shell.run("rm -rf " + Shell.quote(dir));
    }

    private void containers(Inputs inputs, Path debian) throws IOException {
        List<Object[]> parents = new ArrayList<>();
        parents.add(new Object[] {"2 MB parent", inputs.smallParent()});
        parents.add(new Object[] {"debootstrap minbase parent", debian});
        if (!skipBig) {
            parents.add(new Object[] {"2 GiB generated parent", inputs.bigTree("big-2g", 2)});
        }
        Path containers = Files.createDirectories(scratch.resolve("containers"));
        Path copy = scratch.resolve("copy");
        for (Object[] parent : parents) {
            Path tree = (Path) parent[1];
            System.out.println("== build container: " + parent[0]);
            BuildContainer[] open = new BuildContainer[1];
            List<Measure.Result> r = Measure.interleaved(repeat, List.of(
                    new Measure.Op("jetpack BuildContainer.create (overlay)", () -> {
                        open[0] = BuildContainer.create(tree, containers, BuildContainer.Mode.OVERLAY);
                        return 0;
                    }, () -> {
                        if (open[0] != null) {
                            open[0].close();
                            open[0] = null;
                        }
                    }),
                    new Measure.Op("cp -a", () -> {
                        Shell.run("cp -a " + Shell.quote(tree) + " " + Shell.quote(copy));
                        return 0;
                    }, () -> Shell.run("rm -rf " + Shell.quote(copy)))));
            if (open[0] != null) {
                open[0].close();
            }
            Shell.run("rm -rf " + Shell.quote(copy));
            table.compare("build container creation", (String) parent[0], r.get(0), r.get(1), "< 20 ms");
        }
    }

    /**
     * A one-file change built on the debootstrap parent, saved layered (only the overlay's upper dir) and flat (the
     * whole tree), both with the default compression: the layered form should cost time and bytes in proportion to
     * the change, not to the parent.
     */
    private void layeredVersusFlat(Path debian) throws IOException {
        // The parent goes into a store the way users get one there (a base image, imported), so that the rows
        // time the one build path both faces take, Jetpack.buildImage: build container, command, save, import.
        Jetpack jetpack = new Jetpack(JetpackSettings.builder().storeLocation(scratch.resolve("store"))
                .compression(Compression.XZ).build(), EngineLog.SILENT, ProgressListener.NONE);
        Path parentAci = scratch.resolve("debian-parent.aci");
        Path parentManifest = scratch.resolve("debian-parent.manifest.json");
        Files.write(parentManifest, MANIFEST);
        jetpack.buildImage(ImageBuildSpec.base(new RootfsSource.Existing(debian)).manifestFile(parentManifest)
                .output(parentAci).compression(Compression.NONE).build());
        StoredImage parent = jetpack.store().importAci(parentAci, ImportOptions.defaults());
        Path manifest = manifestFile();
        List<Measure.Op> ops = new ArrayList<>();
        for (OutputForm form : List.of(OutputForm.LAYERED, OutputForm.FLAT)) {
            Path aci = scratch.resolve("change-" + form + ".aci");
            ops.add(new Measure.Op("jetpack build, " + form.toString().toLowerCase(Locale.ROOT), () -> {
                jetpack.buildImage(ImageBuildSpec.derivative(parent)
                        .command(List.of("/bin/sh", "-c", "echo changed > /etc/motd"))
                        .extraFiles(List.of(manifest))
                        .outputForm(form)
                        .output(aci)
                        .build());
                return Files.size(aci);
            }));
        }
        System.out.println("== small change on the debootstrap parent: layered and flat");
        List<Measure.Result> results = Measure.interleaved(slowRepeat, ops);
        table.compare("small change on a big parent: layered vs flat (build + save, xz)", "debootstrap minbase parent",
                results.get(0), results.get(1), "layered scales with the change");
    }

    private Path manifestFile() throws IOException {
        Path file = scratch.resolve("manifest-input/manifest.json");
        Files.createDirectories(file.getParent());
        Files.write(file, ("{\"name\":\"example.com/bench-change\"}").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** Writes and reads a 1 GiB image in a child JVM with -Xmx256m and reports the peak heap in use. */
    private void heap(Inputs inputs) throws IOException {
        Path tree = inputs.bigTree("big-2g", 2).resolve("part0");
        for (String compression : List.of("none", "gzip")) {
            Path aci = scratch.resolve("heap-" + compression + ".aci");
            Path out = scratch.resolve("heap-extracted");
            System.out.println("== heap, 1 GiB image, " + compression);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String base = Shell.quote(java) + " -Xmx256m -cp " + Shell.quote(classpath) + " "
                    + HeapProbe.class.getName();
            long start = System.nanoTime();
            String written = Shell.output(base + " write " + Shell.quote(tree) + " " + Shell.quote(aci) + " "
                    + compression);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            String read = Shell.output(base + " read " + Shell.quote(out) + " " + Shell.quote(aci));
            double readSeconds = (System.nanoTime() - start) / 1e9;
            table.single("peak heap, write 1 GiB image, " + compression + " (child JVM, -Xmx256m)", "1 GiB generated",
                    mib(written) + " in " + Table.time(writeSeconds) + ", " + Table.mb(Files.size(aci)), "< 256 MB");
            table.single("peak heap, extract 1 GiB image, " + compression + " (child JVM, -Xmx256m)",
                    "1 GiB generated", mib(read) + " in " + Table.time(readSeconds), "< 256 MB");
            Shell.run("rm -rf " + Shell.quote(out) + " " + Shell.quote(aci));
        }
    }

    private static String mib(String probeOutput) {
        for (String line : probeOutput.split("\n")) {
            if (line.startsWith("peak-heap-bytes ")) {
                long bytes = Long.parseLong(line.substring("peak-heap-bytes ".length()).trim());
                return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
            }
        }
        throw new IllegalStateException("the heap probe printed no result: " + probeOutput);
    }

    private static Measure.Op gnu(String name, String src, String compressor, Path file) {
        return new Measure.Op(name, () -> {
            Shell.run("tar -cf - -C " + src + " . | " + compressor + " > " + Shell.quote(file));
            return Files.size(file);
        });
    }

    /**
     * A rebuild after a one-file change with a warm block cache (issue #12 part 2): before each run the file
     * {@link #CHANGE_FILE} in the tree gets new content, then the ACI is written with the bench's block cache, so
     * only the blocks around that file are compressed. Timed against the same run's cold GNU write.
     */
    private Measure.Op changedWrite(Path tree, Path aci, Compression compression) {
        int[] round = new int[1];
        return new Measure.Op("jetpack ACI " + compression.configName() + ", one file changed, warm cache", () ->
                AciWriter.write(MANIFEST, tree, aci, WriterOptions.builder().compression(compression)
                        .blockCache(blockCache()).build()).fileSize(),
                () -> {
                    try {
                        Files.writeString(tree.resolve(CHANGE_FILE), "change " + ++round[0] + "\n");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    /** Fills the block cache with the tree as it is (untimed), as the build before a change would have. */
    private void primeBlockCache(Path tree, Path aci, Compression compression) throws IOException {
        Files.writeString(tree.resolve(CHANGE_FILE), "change 0\n");
        AciWriter.write(MANIFEST, tree, aci, WriterOptions.builder().compression(compression)
                .blockCache(blockCache()).build());
    }

    private BlockCache blockCache() {
        return new BlockCache(scratch.resolve("block-cache"), BlockCache.DEFAULT_MAX_BYTES);
    }

    private static long write(Path tree, Path aci, Compression compression) {
        return AciWriter.write(MANIFEST, tree, aci, WriterOptions.builder().compression(compression).build())
                .fileSize();
    }

    /** The xz-java fallback, forced: the uncompressed ACI stream goes through xz-java ({@link CompressionStreams#xzJavaOutput}). */
    private static long writeXzJava(Path tree, Path aci) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(aci), 1 << 16);
             OutputStream xz = CompressionStreams.xzJavaOutput(file, 6, Runtime.getRuntime().availableProcessors())) {
            AciWriter.write(MANIFEST, tree, xz, WriterOptions.builder().compression(Compression.NONE).build());
        }
        return Files.size(aci);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String host() {
        try {
            return Shell.output("uname -sr") + ", " + Shell.output("grep -m1 'model name' /proc/cpuinfo | cut -d:"
                    + " -f2").trim();
        } catch (RuntimeException e) {
            return "unknown host";
        }
    }
}
