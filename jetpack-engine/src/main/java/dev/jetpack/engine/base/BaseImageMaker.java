package dev.jetpack.engine.base;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.AciTarWriter;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ArchivePaths;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.Ownership;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarReader;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.io.AtomicFiles;
import dev.jetpack.engine.io.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>The tarball may be plain, gzip, bzip2 or xz (recognised by magic bytes) and its names may be {@code ./x}
 * or {@code x}, with or without a {@code ./} top entry. Its order is kept, so the same tarball always gives the
 * same image; with {@link WriterOptions#fixedTimestamp()} every mtime becomes that instant, and with
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
        try (InputStream in = Files.newInputStream(tarball)) {
            AtomicFiles.write(outputFile, out -> result[0] = transcode(in, manifestJson, out, options));
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

    /** Writes a base image from a rootfs tarball stream to {@code out}, which is flushed and left open. */
    public static AciWriter.Result fromTarball(InputStream tarball, byte[] manifestJson, OutputStream out,
            WriterOptions options) {
        try {
            return transcode(tarball, manifestJson, out, options);
        } catch (IOException e) {
            throw new JetpackException("Could not make a base image from a rootfs tarball: " + e, e);
        }
    }

    /**
     * Makes {@code outputFile} from a directory holding the root file system; owners come from the file system
     * unless the options force {@link Ownership#ROOT}.
     */
    public static AciWriter.Result fromDirectory(Path rootfsDir, byte[] manifestJson, Path outputFile,
            WriterOptions options) {
        return AciWriter.write(manifestJson, rootfsDir, outputFile, options);
    }

    private static AciWriter.Result transcode(InputStream raw, byte[] manifestJson, OutputStream out,
            WriterOptions options) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        Compression compression = Compression.detect(buffered);
        TarReader tar = new TarReader(compression.decompress(buffered));
        Instant fixed = options.fixedTimestamp();
        String task = "Making base image";
        try (AciTarWriter aci = AciTarWriter.open(out, options)) {
            aci.writeManifest(manifestJson, fixed != null ? fixed : Instant.now().truncatedTo(ChronoUnit.SECONDS));
            Set<String> written = new HashSet<>();
            Set<String> excludedDirs = new HashSet<>();
            boolean rootWritten = false;
            TarEntry entry;
            while ((entry = tar.next()) != null) {
                String path = ArchivePaths.normalize(entry.name(), entry.name());
                if (path.isEmpty()) {
                    if (entry.type() != TarEntry.Type.DIRECTORY) {
                        throw AciFormatException.forEntry(entry.name(), "the top entry must be a directory");
                    }
                    if (!rootWritten) {
                        aci.write(adjust(entry.withName("rootfs", ""), options), null);
                        rootWritten = true;
                    }
                    continue; // a late top entry cannot be placed before what was already written
                }
                if (!rootWritten) {
                    Instant now = fixed != null ? fixed : Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    aci.write(new TarEntry("rootfs", TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, now, "", 0, 0,
                            Map.of()), null);
                    rootWritten = true;
                }
                if (isExcluded(path, entry, options, excludedDirs)) {
                    continue;
                }
                if (!written.add(path)) {
                    throw AciFormatException.forEntry(entry.name(), "'" + path + "' appears more than once in the"
                            + " tarball; an ACI may list each path once. Repack the tarball without duplicates.");
                }
                String linkName = entry.linkName();
                if (entry.type() == TarEntry.Type.HARDLINK) {
                    String target = ArchivePaths.normalize(linkName, entry.name());
                    if (target.isEmpty() || !written.contains(target)) {
                        throw AciFormatException.forEntry(entry.name(), "hard link to '" + linkName + "', which is"
                                + " not an earlier entry of the tarball");
                    }
                    linkName = "rootfs/" + target;
                }
                aci.write(adjust(entry.withName("rootfs/" + path, linkName), options), tar.content());
            }
            AciWriter.Result result = aci.finish();
            options.progress().progress(task, result.tarSize(), result.tarSize());
            return result;
        } finally {
            options.progress().finished(task);
        }
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
