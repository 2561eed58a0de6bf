package dev.jetpack.engine.build;

import dev.jetpack.engine.EngineLog;
import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.ReaderOptions;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TreeExtractor;
import dev.jetpack.engine.io.ExtendedAttributes;
import dev.jetpack.engine.io.FileStatus;
import dev.jetpack.engine.io.FileModes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Lays out a built image's tree in the store while its ACI is written, entry by entry, so that the store keeps
 * this tree instead of unpacking the ACI it was just handed (decompressing and writing every file again).
 *
 * <p>The tree must be exactly what unpacking the ACI gives, so every entry goes through the extractor that
 * unpacking uses ({@link TreeExtractor}), from the entry as the archive records it, with one exception: a regular
 * file whose backing file (the parent's stored rootfs, a cached stage, the build's upper dir) already has every
 * piece of metadata the extractor would set (mode, owner, size, mtime in whole seconds, extended attributes) is
 * hard-linked instead of written. That is every file the build did not touch, so a rebuild that changed one file
 * writes one file. Linking never changes the shared inode, because nothing is set on a linked file; the store's
 * trees and the stage cache are never written to once complete.
 */
final class TreeMirror implements AciWriter.EntryListener {
    private static final String ROOTFS = "rootfs";

    private final Path target;
    private final Path walkedRoot;
    private final Function<String, Path> backing;
    private final TreeExtractor extractor;
    private final boolean restoreOwnership;
    private int linked;
    private int written;

    /**
     * @param target     the empty directory to fill (the store's staging rootfs)
     * @param walkedRoot the directory the ACI is written from, whose files' bytes are copied when not linked
     * @param backing    for a path below {@code walkedRoot}, the file holding its data on a real file system
     */
    TreeMirror(Path target, Path walkedRoot, Function<String, Path> backing, EngineLog log) {
        this.target = target;
        this.walkedRoot = walkedRoot;
        this.backing = backing;
        // As the store would unpack the engine's own output: owners restored, every device allowed.
        this.restoreOwnership = ReaderOptions.ownOutput().restoreOwnership();
        this.extractor = new TreeExtractor(target, restoreOwnership, log);
    }

    @Override
    public void written(TarEntry entry) throws IOException {
        String relative = relative(entry.name());
        switch (entry.type()) {
            case DIRECTORY -> extractor.directory(relative, entry, relative.isEmpty());
            case FILE -> file(relative, entry);
            case SYMLINK -> extractor.symlink(relative, entry);
            case HARDLINK -> extractor.hardLink(relative, relative(entry.linkName()));
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> extractor.special(relative, entry);
            default -> throw new IllegalStateException("The ACI writer wrote an entry of type " + entry.type()
                    + " (" + entry.name() + ") that the store's tree cannot hold");
        }
    }

    /** Applies the directories' metadata, as the extractor does at the end of an archive. */
    @Override
    public void allWritten() throws IOException {
        extractor.finish();
    }

    int linked() {
        return linked;
    }

    int written() {
        return written;
    }

    private void file(String relative, TarEntry entry) throws IOException {
        Path source = backing.apply(relative);
        if (restoreOwnership && carriesExactly(source, entry) && link(relative, source)) {
            linked++;
            return;
        }
        try (InputStream content = Files.newInputStream(walkedRoot.resolve(relative), LinkOption.NOFOLLOW_LINKS)) {
            extractor.file(relative, entry, content, entry.name());
        }
        written++;
    }

    private boolean link(String relative, Path source) throws IOException {
        try {
            Files.createLink(target.resolve(relative), source);
            return true;
        } catch (FileSystemException e) {
            return false; // another file system (EXDEV), or too many links: write the file instead
        }
    }

    /**
     * True when unpacking {@code entry} would give {@code source}'s inode as it is: a regular file with the
     * entry's permission bits, owner, size and mtime, and the same extended attributes by name (the values are
     * the inode's own: the ACI writer read them from this file through the overlay).
     */
    private static boolean carriesExactly(Path source, TarEntry entry) throws IOException {
        FileStatus status = FileStatus.of(source);
        return status.type() == FileModes.S_IFREG
                && status.permissions() == entry.mode()
                // unsigned on both sides (FileStatus and TreeWalk): uid 4294967294 is not -2
                && status.uid() == entry.uid()
                && status.gid() == entry.gid()
                && status.size() == entry.size()
                && status.mtime().equals(entry.mtime())
                && xattrNames(source).equals(entry.xattrs().keySet());
    }

    /** Every attribute name, overlayfs' own included (so that a file carrying them is written, not linked). */
    private static Set<String> xattrNames(Path file) throws IOException {
        return new HashSet<>(ExtendedAttributes.names(file));
    }

    private static String relative(String archiveName) {
        if (archiveName.equals(ROOTFS)) {
            return "";
        }
        if (!archiveName.startsWith(ROOTFS + "/")) {
            throw new IllegalStateException("ACI entry outside rootfs/: " + archiveName);
        }
        return archiveName.substring(ROOTFS.length() + 1);
    }
}
