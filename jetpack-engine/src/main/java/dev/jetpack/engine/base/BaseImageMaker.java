package dev.jetpack.engine.base;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.AciTarWriter;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Makes base images: an ACI from a root file system given as a tarball or a directory, plus a manifest. This is
 * what Jetpack's makeaci.sh did under fakeroot, without fakeroot: a tarball is transcoded entry by entry into
 * {@code rootfs/} (never extracted), so owners, modes and device nodes come straight from the tarball and a
 * non-root user can make a root-owned image.
 *
 * <p>The tarball may be plain, gzip, bzip2 or xz (recognised by magic bytes) and is read as GNU tar extracts it
 * ({@link RootfsTarball}: names with or without {@code ./} or {@code /}, later duplicates win, sparse files in
 * full). Its order is kept, so the same tarball always gives the same image; with {@link WriterOptions#fixedTimestamp()} every mtime becomes that instant, and with
 * {@link Ownership#ROOT} every owner becomes 0:0. The image ID is computed while writing.
 */
public final class BaseImageMaker {
    private BaseImageMaker() {
    }

    /**
     * Makes {@code output} (written atomically) from any rootfs source: a tarball or a directory as it is, the
     * host forms materialized first into a temporary directory beside the output, which is removed afterwards.
     */
    public static AciWriter.Result make(RootfsSource source, byte[] manifestJson, Path output,
            WriterOptions options, EngineLog log) {
        AciWriter.Result result;
        if (source instanceof RootfsSource.Existing existing) {
            result = fromExisting(existing.path(), manifestJson, output, options);
        } else {
            Path directory = output.toAbsolutePath().resolveSibling(".jetpack-rootfs-" + UUID.randomUUID());
            try {
                log.info("Making the rootfs " + source.describe() + " from the host in " + directory);
                source.materialize(directory);
                result = fromDirectory(directory, manifestJson, output, options);
            } finally {
                try {
                    FileTrees.deleteRecursively(directory);
                } catch (IOException e) {
                    log.warn("Could not remove the temporary rootfs " + directory + ": " + e.getMessage());
                }
            }
        }
        log.info("Made base image " + result.id() + " in " + output + " (" + result.fileSize() + " bytes)");
        return result;
    }

    private static AciWriter.Result fromExisting(Path rootfs, byte[] manifestJson, Path output,
            WriterOptions options) {
        if (Files.isDirectory(rootfs)) {
            return fromDirectory(rootfs, manifestJson, output, options);
        }
        if (Files.isRegularFile(rootfs)) {
            return fromTarball(rootfs, manifestJson, output, options);
        }
        throw new JetpackException("The rootfs " + rootfs + " is neither a tarball nor a directory"
                + (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS) ? "" : " (it does not exist)")
                + ". Give a rootfs tarball (tar, tar.gz, tar.bz2, tar.xz) or a directory.");
    }

    /** Makes {@code outputFile} (written atomically) from a rootfs tarball. */
    public static AciWriter.Result fromTarball(Path tarball, byte[] manifestJson, Path outputFile,
            WriterOptions options) {
        AciWriter.Result[] result = new AciWriter.Result[1];
        try {
            if (!Files.isRegularFile(tarball)) {
                throw new NoSuchFileException(tarball.toString());
            }
            AtomicFiles.write(outputFile, out -> result[0] = transcode(tarball, manifestJson, out, options));
        } catch (NoSuchFileException e) {
            throw new JetpackException("The rootfs tarball " + tarball + " does not exist.", e);
        } catch (AciFormatException e) {
            throw e.in("rootfs tarball " + tarball);
        } catch (IOException e) {
            throw new JetpackException("Could not make a base image from " + tarball + " into " + outputFile + ": "
                    + e, e);
        }
        return result[0];
    }

    /**
     * Makes {@code outputFile} from a directory holding the root file system; owners come from the file system
     * unless the options force {@link Ownership#ROOT}.
     */
    public static AciWriter.Result fromDirectory(Path rootfsDir, byte[] manifestJson, Path outputFile,
            WriterOptions options) {
        return AciWriter.write(manifestJson, rootfsDir, outputFile, options);
    }

    private static AciWriter.Result transcode(Path tarball, byte[] manifestJson, OutputStream out,
            WriterOptions options) throws IOException {
        Instant fixed = options.fixedTimestamp();
        String task = "Making base image";
        try (AciTarWriter aci = AciTarWriter.open(out, options)) {
            aci.writeManifest(manifestJson, fixed != null ? fixed : Instant.now().truncatedTo(ChronoUnit.SECONDS));
            Set<String> written = new HashSet<>();
            Set<String> excludedDirs = new HashSet<>();
            boolean[] rootWritten = {false};
            RootfsTarball.read(tarball, (path, entry, content) -> {
                if (path.isEmpty()) {
                    aci.write(adjust(entry.withName("rootfs", ""), options), null);
                    rootWritten[0] = true;
                    return;
                }
                if (!rootWritten[0]) {
                    aci.write(defaultRootfs(fixed), null);
                    rootWritten[0] = true;
                }
                if (isExcluded(path, entry, options, excludedDirs)) {
                    return;
                }
                written.add(path);
                String linkName = entry.linkName();
                if (entry.type() == TarEntry.Type.HARDLINK) {
                    if (!written.contains(linkName)) {
                        throw AciFormatException.forEntry(entry.name(), "hard link to '" + linkName + "', which the"
                                + " image leaves out (excluded); exclude the link too, or keep its target");
                    }
                    linkName = "rootfs/" + linkName;
                }
                aci.write(adjust(entry.withName("rootfs/" + path, linkName), options), content);
            });
            if (!rootWritten[0]) {
                aci.write(defaultRootfs(fixed), null);
            }
            AciWriter.Result result = aci.finish();
            options.progress().progress(task, result.tarSize(), result.tarSize());
            return result;
        } finally {
            options.progress().finished(task);
        }
    }

    /** The {@code rootfs} entry of a tarball without a top directory entry. */
    private static TarEntry defaultRootfs(Instant fixed) {
        Instant now = fixed != null ? fixed : Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new TarEntry("rootfs", TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, now, "", 0, 0, Map.of());
    }

    private static boolean isExcluded(String path, TarEntry entry, WriterOptions options, Set<String> excluded) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (excluded.contains(path.substring(0, slash))) {
                return true;
            }
        }
        if (options.exclude().test(Path.of(path))) {
            if (entry.type() == TarEntry.Type.DIRECTORY) {
                excluded.add(path);
            }
            return true;
        }
        return false;
    }

    private static TarEntry adjust(TarEntry entry, WriterOptions options) {
        TarEntry result = entry;
        if (options.ownership() == Ownership.ROOT) {
            result = result.withOwner(0, 0);
        }
        if (options.fixedTimestamp() != null) {
            result = result.withMtime(options.fixedTimestamp());
        }
        return result;
    }
}
