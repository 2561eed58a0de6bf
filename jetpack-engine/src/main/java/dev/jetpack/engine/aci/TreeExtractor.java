package dev.jetpack.engine.aci;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.io.ExtendedAttributeException;
import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileNodes;
import dev.jetpack.engine.io.Symlinks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates validated rootfs entries below a destination directory. It relies on its caller ({@link AciReader} for
 * an ACI, {@code oci.LayerApplier} for an OCI layer) having checked that every parent of an entry is a real
 * directory of the tree, never a link; on top of that, every operation refuses to follow a link at the final
 * component (create-new semantics, NOFOLLOW_LINKS), so no entry can be redirected outside the destination.
 */
public final class TreeExtractor {
    private final Path root;
    private final boolean restoreOwnership;
    private final RefusedAttributes refusedAttributes;
    /** Directory metadata is applied at the end: creating entries inside would change the mtime again. */
    private final List<Object[]> directories = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];

    public TreeExtractor(Path root, boolean restoreOwnership, EngineLog log) {
        this.root = root;
        this.restoreOwnership = restoreOwnership;
        this.refusedAttributes = new RefusedAttributes(log);
    }

    private Path resolve(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    public void implicitDirectory(String relative) throws IOException {
        Files.createDirectory(resolve(relative));
    }

    /**
     * @param exists true when the directory is there already (rootfs itself, or a directory over a directory of
     *               a lower OCI layer): its attributes are replaced by the entry's, extended ones included
     */
    public void directory(String relative, TarEntry entry, boolean exists) throws IOException {
        Path path = resolve(relative);
        if (!exists) {
            Files.createDirectory(path);
        } else {
            removeXattrsNotIn(path, entry);
        }
        directories.add(new Object[] {path, entry});
    }

    public void file(String relative, TarEntry entry, InputStream content, String archiveName) throws IOException {
        Path path = resolve(relative);
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long left = entry.size();
            while (left > 0) {
                int n;
                try {
                    n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                } catch (IOException e) {
                    throw new ArchiveReadException(e);
                }
                if (n < 0) {
                    throw AciFormatException.forEntry(archiveName, "the archive ends inside this entry's data: it is"
                            + " truncated. Download or copy the archive again.");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        metadata(path, entry);
    }

    public void symlink(String relative, TarEntry entry) throws IOException {
        Path path = resolve(relative);
        Symlinks.create(path, entry.linkName()); // the target exactly as stored, never normalized
        metadata(path, entry);
    }

    public void hardLink(String relative, String targetRelative) throws IOException {
        Files.createLink(resolve(relative), resolve(targetRelative));
    }

    public void special(String relative, TarEntry entry) throws IOException {
        Path path = resolve(relative);
        if (FileNodes.available()) {
            FileNodes.create(path, switch (entry.type()) {
                case FIFO -> FileNodes.Kind.FIFO;
                case CHAR_DEVICE -> FileNodes.Kind.CHARACTER_DEVICE;
                case BLOCK_DEVICE -> FileNodes.Kind.BLOCK_DEVICE;
                default -> throw new IllegalArgumentException(entry.type() + " entry '" + entry.name()
                        + "' is not a device or fifo");
            }, entry.devMajor(), entry.devMinor());
        } else {
            List<String> command = new ArrayList<>();
            if (entry.type() == TarEntry.Type.FIFO) {
                command.addAll(List.of("mkfifo", "--", path.toString()));
            } else {
                command.addAll(List.of("mknod", "--", path.toString(),
                        entry.type() == TarEntry.Type.CHAR_DEVICE ? "c" : "b",
                        Integer.toString(entry.devMajor()), Integer.toString(entry.devMinor())));
            }
            run(command);
        }
        metadata(path, entry);
    }

    /** Applies the deferred directory metadata, once every entry exists. */
    public void finish() throws IOException {
        for (Object[] directory : directories) {
            metadata((Path) directory[0], (TarEntry) directory[1]);
        }
        refusedAttributes.summarize();
    }

    /**
     * Owner first (chown clears setuid bits and file capabilities), then mode, xattrs (an ACL sets the group bits
     * to its mask, which the archived mode holds already), and the time last (the others change it).
     */
    private void metadata(Path path, TarEntry entry) throws IOException {
        if (restoreOwnership) {
            if (FileNodes.available()) {
                FileNodes.setOwner(path, (int) entry.uid(), (int) entry.gid()); // one call where the JDK makes two
            } else {
                Files.setAttribute(path, "unix:uid", (int) entry.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", (int) entry.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (entry.type() != TarEntry.Type.SYMLINK) {
            // Path-based chmod: the JDK's NOFOLLOW variant opens the file, which blocks on a fifo and may have
            // side effects on a device. The entry was just created by us, so it is not a link.
            Files.setAttribute(path, "unix:mode", entry.mode() & 07777);
        }
        writeXattrs(path, entry);
        setMtime(path, entry);
    }

    private static void setMtime(Path path, TarEntry entry) throws IOException {
        if (FileNodes.available()) {
            // utimensat on the path: never opens the file, and takes any time the archive can hold
            FileNodes.setModifiedTime(path, entry.mtime());
        } else if (entry.type() == TarEntry.Type.FIFO || entry.type() == TarEntry.Type.CHAR_DEVICE
                || entry.type() == TarEntry.Type.BLOCK_DEVICE || !fitsNanoseconds(entry.mtime())) {
            // The JDK sets times through an open file descriptor; opening a fifo blocks and opening a device may
            // act on hardware. touch -c -h uses utimensat on the path and never opens it.
            String seconds = java.math.BigDecimal.valueOf(entry.mtime().getEpochSecond())
                    .add(java.math.BigDecimal.valueOf(entry.mtime().getNano(), 9)).toPlainString();
            run(List.of("touch", "-c", "-h", "-m", "-d", "@" + seconds, "--", path.toString()));
        } else {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(entry.mtime()), null, null);
        }
    }

    /**
     * The JDK hands times to the kernel in nanoseconds in a long, which clamps them to 1677..2262; touch passes
     * seconds and nanoseconds apart, as the kernel takes them.
     */
    private static boolean fitsNanoseconds(java.time.Instant time) {
        return time.getEpochSecond() > Long.MIN_VALUE / 1_000_000_000L + 1
                && time.getEpochSecond() < Long.MAX_VALUE / 1_000_000_000L - 1;
    }

    private void writeXattrs(Path path, TarEntry entry) throws IOException {
        for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
            if (TarEntry.isOverlayAttribute(xattr.getKey())) {
                continue; // overlayfs markers would turn files into whiteouts in a later overlay mount
            }
            try {
                ExtendedAttributes.set(path, xattr.getKey(), xattr.getValue());
            } catch (ExtendedAttributeException e) {
                if (!e.refusedByHost()) {
                    throw e; // a full or failing disk: stop rather than lose attributes silently
                }
                refusedAttributes.refused(entry.name(), e);
            }
        }
    }

    /**
     * Drops the attributes a lower layer gave an existing directory that the new entry does not have, except
     * {@code security.selinux}: a host with SELinux labels every directory itself.
     */
    private static void removeXattrsNotIn(Path directory, TarEntry entry) throws IOException {
        for (String name : ExtendedAttributes.names(directory)) {
            if (!entry.xattrs().containsKey(name) && !name.equals("security.selinux")) {
                ExtendedAttributes.remove(directory, name);
            }
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new JetpackException("'" + String.join(" ", command) + "' failed with exit code " + exit + ": "
                        + output + ". Creating device nodes needs root (or CAP_MKNOD); extract as root or refuse"
                        + " devices.");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new JetpackException("Interrupted while running " + command.get(0), e);
        }
    }

    /** A failure reading the archive (not writing the tree), wrapped so the reader can report it as a bad archive. */
    public static final class ArchiveReadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ArchiveReadException(IOException cause) {
            super(cause);
        }

        public IOException io() {
            return (IOException) getCause();
        }
    }
}
