package dev.jetpack.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Inputs for the CLI tests: rootfs tarballs and manifests, made in the test. */
final class TestImages {
    private TestImages() {
    }

    /** A gzipped rootfs tarball in the usual {@code ./x} form: a directory, a file owned by 0:0, a symlink. */
    static Path rootfsTarball(Path file, String content) throws IOException {
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(tar, "./");
            directory(tar, "./etc/");
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry hello = new TarArchiveEntry("./etc/hello");
            hello.setMode(0100644);
            hello.setSize(bytes.length);
            tar.putArchiveEntry(hello);
            tar.write(bytes);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("./etc/greeting", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("hello");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return file;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A valid manifest file for {@code name} with version, os and arch labels. */
    static Path manifest(Path file, String name, String version) throws IOException {
        Files.writeString(file, "{\"acKind\": \"ImageManifest\", \"acVersion\": \"0.8.11\", \"name\": \"" + name
                + "\", \"labels\": [{\"name\": \"version\", \"value\": \"" + version + "\"},"
                + " {\"name\": \"os\", \"value\": \"linux\"}, {\"name\": \"arch\", \"value\": \"amd64\"}]}");
        return file;
    }
}
