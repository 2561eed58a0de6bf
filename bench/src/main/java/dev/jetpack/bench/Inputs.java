package dev.jetpack.bench;

import dev.jetpack.engine.testing.TextLikeData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The benchmark inputs, made once and cached under the work directory: a Debian minbase tree from debootstrap
 * (against the machine's configured Debian mirror), 20,000 small files, and a large generated tree.
 */
final class Inputs {
    /**
     * The benchmark's mix of text-like data since its first run (a larger vocabulary and fewer random stretches
     * than the tests' mix), kept so that cached inputs and published figures stay comparable.
     */
    private static final TextLikeData MIX = new TextLikeData(5000, 300, 2048, 800);

    private final Path work;

    Inputs(Path work) {
        this.work = work;
    }

    /** {@code debootstrap --variant=minbase bookworm}, about 200 MB. */
    Path debootstrap() throws IOException {
        Path tree = work.resolve("debootstrap-bookworm");
        if (Files.isDirectory(tree.resolve("usr"))) {
            return tree;
        }
        String mirror = debianMirror();
        System.out.println("Running debootstrap --variant=minbase bookworm from " + mirror + " ...");
        Path partial = work.resolve("debootstrap-bookworm.partial");
        Shell.run("rm -rf " + Shell.quote(partial) + " && debootstrap --variant=minbase bookworm "
                + Shell.quote(partial) + " " + Shell.quote(mirror));
        Files.move(partial, tree);
        return tree;
    }

    /** The first Debian archive URI that /etc/apt lists for bookworm (deb822 .sources or one-line .list). */
    static String debianMirror() throws IOException {
        StringBuilder all = new StringBuilder();
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            all.append(Files.readString(list)).append('\n');
        }
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{sources,list}")) {
                for (Path file : files) {
                    all.append(Files.readString(file)).append("\n\n");
                }
            }
        }
        String uris = null;
        for (String stanza : all.toString().split("\n\\s*\n")) {
            for (String line : stanza.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("deb ") && trimmed.contains(" bookworm ") && !trimmed.contains("security")) {
                    String[] fields = trimmed.replaceAll("\\[[^]]*]", "").trim().split("\\s+");
                    return fields[1];
                }
                if (trimmed.startsWith("URIs:")) {
                    uris = trimmed.substring(5).trim().split("\\s+")[0];
                }
                if (trimmed.startsWith("Suites:") && trimmed.matches("Suites:.*\\bbookworm\\b(\\s.*)?$")
                        && uris != null && !uris.contains("security")) {
                    return uris;
                }
            }
            uris = null;
        }
        throw new IllegalStateException("no Debian bookworm mirror in /etc/apt/sources.list(.d)");
    }

    /** 20,000 files of 1–8 KiB in 200 directories. */
    Path smallFiles() throws IOException {
        Path tree = work.resolve("small-files");
        if (Files.isRegularFile(tree.resolve(".complete"))) {
            return tree;
        }
        System.out.println("Generating 20,000 small files ...");
        Shell.run("rm -rf " + Shell.quote(tree));
        byte[] pool = MIX.bytes(8 * 1024 * 1024, 1);
        Random random = new Random(2);
        for (int d = 0; d < 200; d++) {
            Path dir = Files.createDirectories(tree.resolve("d" + d));
            for (int f = 0; f < 100; f++) {
                int size = 1024 + random.nextInt(7 * 1024 + 1);
                int offset = random.nextInt(pool.length - size);
                try (OutputStream out = Files.newOutputStream(dir.resolve("f" + f + ".txt"))) {
                    out.write(pool, offset, size);
                }
            }
        }
        Files.writeString(tree.resolve(".complete"), "");
        return tree;
    }

    /** A tree of {@code gib} GiB in 16 MiB files, compressible like text (about 3:1 with gzip). */
    Path bigTree(String name, int gib) throws IOException {
        Path tree = work.resolve(name);
        if (Files.isRegularFile(tree.resolve(".complete"))) {
            return tree;
        }
        System.out.println("Generating " + gib + " GiB tree " + tree + " ...");
        Shell.run("rm -rf " + Shell.quote(tree));
        byte[] pool = MIX.bytes(64 * 1024 * 1024, 3);
        Random random = new Random(4);
        int fileSize = 16 * 1024 * 1024;
        int files = gib * 64;
        for (int i = 0; i < files; i++) {
            Path dir = Files.createDirectories(tree.resolve("part" + (i / 64)));
            try (OutputStream out = Files.newOutputStream(dir.resolve("blob" + i + ".dat"))) {
                int written = 0;
                while (written < fileSize) {
                    int n = Math.min(1024 * 1024, fileSize - written);
                    out.write(pool, random.nextInt(pool.length - n), n);
                    written += n;
                }
            }
        }
        Files.writeString(tree.resolve(".complete"), "");
        return tree;
    }

    /** A small tree of about 2 MB (a parent image like busybox). */
    Path smallParent() throws IOException {
        Path tree = work.resolve("small-parent");
        if (Files.isRegularFile(tree.resolve(".complete"))) {
            return tree;
        }
        Shell.run("rm -rf " + Shell.quote(tree));
        byte[] pool = MIX.bytes(2 * 1024 * 1024, 5);
        for (int i = 0; i < 64; i++) {
            Path dir = Files.createDirectories(tree.resolve("bin" + (i % 4)));
            Files.write(dir.resolve("tool" + i), java.util.Arrays.copyOfRange(pool, i * 32 * 1024, (i + 1) * 32
                    * 1024));
        }
        Files.writeString(tree.resolve(".complete"), "");
        return tree;
    }
}
