package dev.jetpack.engine.testing;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.base.BaseImageMaker;
import dev.jetpack.engine.store.ImageExporter;
import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.ImportOptions;
import dev.jetpack.engine.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rootfs tarballs made by the real tar writers (GNU tar in each format, bsdtar, busybox tar, Python's tarfile)
 * and GNU tar's extraction as the reference, for tests that compare what jetpack makes of them. Each writer
 * archives a directory's contents as {@code .} and {@code ./NAME}, as {@code tar -C DIR -cf X .} does.
 */
public final class TarTools {
    /** gzip -1: the round trip is about the tree, not the compression. */
    private static final WriterOptions FAST = WriterOptions.builder().compression(Compression.GZIP).level(1).build();

    private TarTools() {
    }

    /** A tar writer and what its format can hold. */
    public enum Writer {
        GNU_GNU(true, true, true), GNU_OLDGNU(true, true, true), GNU_PAX(true, true, true),
        GNU_USTAR(false, false, false), GNU_V7(false, false, false),
        BSDTAR(true, true, true), BUSYBOX(true, false, false),
        PYTHON_GNU(true, true, true), PYTHON_PAX(true, true, true), PYTHON_USTAR(false, false, false);

        /** Names and link targets longer than 100 bytes (ustar splits up to 255 at a slash, v7 not at all). */
        public final boolean longNames;
        /** Times before 1970 and ids beyond 2097151. */
        public final boolean bigNumbers;
        /** Times after 2242 (beyond 11 octal digits). */
        public final boolean farFuture;

        Writer(boolean longNames, boolean bigNumbers, boolean farFuture) {
            this.longNames = longNames;
            this.bigNumbers = bigNumbers;
            this.farFuture = farFuture;
        }

        /** Archives the contents of {@code dir} into the uncompressed {@code tarball}. */
        public void archive(Path dir, Path tarball) throws IOException {
            String d = dir.toString();
            String t = tarball.toString();
            switch (this) {
                case GNU_GNU -> gnuTar(d, t, "gnu");
                case GNU_OLDGNU -> gnuTar(d, t, "oldgnu");
                case GNU_PAX -> gnuTar(d, t, "posix");
                case GNU_USTAR -> gnuTar(d, t, "ustar");
                case GNU_V7 -> gnuTar(d, t, "v7");
                case BSDTAR -> TestTrees.run("bsdtar", "--numeric-owner", "--xattrs", "-cf", t, "-C", d, ".");
                case BUSYBOX -> TestTrees.run("busybox", "tar", "-cf", t, "-C", d, ".");
                case PYTHON_GNU -> python(d, t, "GNU_FORMAT");
                case PYTHON_PAX -> python(d, t, "PAX_FORMAT");
                case PYTHON_USTAR -> python(d, t, "USTAR_FORMAT");
                default -> throw new AssertionError(this);
            }
        }

        private static void gnuTar(String dir, String tarball, String format) throws IOException {
            TestTrees.run("tar", "--format=" + format, "--numeric-owner", "--sort=name", "-cf", tarball, "-C", dir,
                    ".");
        }

        private static void python(String dir, String tarball, String format) throws IOException {
            TestTrees.run("python3", "-c", "import os, sys, tarfile\n"
                    + "with tarfile.open(sys.argv[1], 'w', format=tarfile." + format + ") as t:\n"
                    + "    os.chdir(sys.argv[2])\n"
                    + "    t.add('.')\n", tarball, dir);
        }
    }

    /**
     * What GNU tar extracts from the rootfs tarball {@code tarball} into the new directory {@code dir}, as root
     * keeps it: owners, modes, every xattr namespace and ACLs (its {@code SCHILY.acl.*} records).
     */
    public static Path gnuExtract(Path tarball, Path dir) throws IOException {
        return gnuExtract(tarball, dir, true);
    }

    /**
     * @param acls with {@code --acls}, GNU tar restores ACLs from {@code SCHILY.acl.*} records and ignores them
     *             as xattrs; an ACI carries them as xattrs, so it is extracted without
     */
    private static Path gnuExtract(Path tarball, Path dir, boolean acls) throws IOException {
        Files.createDirectories(dir);
        // --delay-directory-restore: a directory's time is the archive's even when its entries are not together
        // (bsdtar's order), not the time a late entry was extracted into it
        List<String> command = new ArrayList<>(List.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*",
                "--delay-directory-restore", "-xpf", tarball.toString(), "-C", dir.toString()));
        if (acls) {
            command.add(1, "--acls");
        }
        TestTrees.run(command.toArray(String[]::new));
        return dir;
    }

    /**
     * The round trip a base image makes: makeaci of {@code tarball}, import into a store in {@code work}, export
     * -flat. Returns the trees a user sees: the store's rootfs and the export's rootfs as GNU tar extracts it.
     */
    public static RoundTrip roundTrip(Path tarball, Path work) throws IOException {
        Path aci = work.resolve("made.aci");
        BaseImageMaker.fromTarball(tarball, TestTrees.MANIFEST, aci, FAST);
        ImageStore store = ImageStore.open(work.resolve("store"), EngineLog.SILENT);
        StoredImage stored = store.importAci(aci, ImportOptions.defaults());
        Path flat = work.resolve("flat.aci");
        new ImageExporter(FAST, EngineLog.SILENT).export(stored, true, flat);
        Path exported = gnuExtract(flat, work.resolve("exported"), false);
        return new RoundTrip(aci, stored.rootfs(), exported.resolve("rootfs"));
    }

    /** The ACI makeaci wrote, the tree in the store, and the tree of the flat export. */
    public record RoundTrip(Path aci, Path stored, Path exported) {
        /** Both trees, snapshot in whole seconds (what an ACI keeps). */
        public Map<String, String> storedSnapshot() {
            return TreeSnapshot.ofWholeSeconds(stored);
        }

        public Map<String, String> exportedSnapshot() {
            return TreeSnapshot.ofWholeSeconds(exported);
        }
    }
}
