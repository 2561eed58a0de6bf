package dev.jetpack.engine.base;

import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.ArchivePaths;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rootfs tarball read as GNU tar extracts it, as the tree it leaves behind, each path once: the input of a
 * base image, which unlike an ACI is not bound by appc's rules for archives.
 *
 * <ul>
 *   <li>Names: leading {@code /} stripped, {@code ./}, {@code //} and trailing slashes dropped
 *       ({@link ArchivePaths#normalizeRootfsMember}); {@code ..} refused.</li>
 *   <li>Duplicates ({@code tar -r}, overlapping members, {@code ./f} beside {@code f}): the later entry wins. A
 *       directory keeps the place of its first spelling, with the metadata of its last, so that it still comes
 *       before its contents; that includes the top directory {@code ./}, which becomes {@code rootfs} itself.</li>
 *   <li>Hard links resolve to what their target was when the link came: a file replaced after it was linked
 *       lives on under the link's name, as it does on disk after GNU tar.</li>
 *   <li>Refused, naming the entry and the rule, because GNU tar fails on them too and the store would refuse
 *       them: an entry below a symlink or file, a hard link to a directory or to nothing earlier.</li>
 * </ul>
 *
 * <p>This needs the whole listing before the first entry can be written, so the tarball is read twice: headers
 * first, then everything. It is a file, not a stream, for that reason.
 */
final class RootfsTarball {
    /** Receives the tree: names relative to the rootfs ("" for the top directory), hard links named likewise. */
    @FunctionalInterface
    interface Sink {
        void entry(String path, TarEntry entry, InputStream content) throws IOException;
    }

    private final Path file;
    /** Per archive entry, in order. */
    private final List<Member> members = new ArrayList<>();
    /** Path → index of its last entry. */
    private final Map<String, Integer> last = new HashMap<>();
    /** Index of an entry that creates an inode (not a hard link) → the path it is written under, if any. */
    private final Map<Integer, String> inodeNames = new HashMap<>();
    /** The final directory entries, whose metadata is written at the place of {@link Member#directorySince}. */
    private final Map<String, TarEntry> finalDirectories = new HashMap<>();

    /**
     * One entry of the archive.
     *
     * @param inode          for a hard link the index of the entry that created its inode, else its own index
     * @param directorySince for a directory, the index from which the path has been a directory without break
     */
    private record Member(String path, String spelling, TarEntry.Type type, int inode, int directorySince) {
    }

    private RootfsTarball(Path file) {
        this.file = file;
    }

    /** Reads {@code tarball} (plain, gzip, bzip2 or xz) and hands its tree to {@code sink}, top directory first. */
    static void read(Path tarball, Sink sink) throws IOException {
        RootfsTarball reader = new RootfsTarball(tarball);
        reader.list();
        reader.checkTree();
        reader.nameInodes();
        reader.emit(sink);
    }

    private TarReader open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        return new TarReader(Compression.detect(buffered).decompress(buffered));
    }

    /** Pass one: every header, with what each path is when each entry comes. */
    private void list() throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            TarReader tar = open(raw);
            TarEntry entry;
            while ((entry = tar.next()) != null) {
                int index = members.size();
                String path = ArchivePaths.normalizeRootfsMember(entry.name(), entry.name());
                Integer previous = last.get(path);
                int inode = index;
                if (entry.type() == TarEntry.Type.HARDLINK) {
                    String target = ArchivePaths.normalizeRootfsMember(entry.linkName(), entry.name());
                    Integer current = last.get(target);
                    if (current == null) {
                        throw AciFormatException.forEntry(entry.name(), "hard link to '" + entry.linkName() + "',"
                                + " which is not an earlier entry of the tarball; GNU tar cannot extract it either");
                    }
                    if (typeOf(current) == TarEntry.Type.DIRECTORY) {
                        throw AciFormatException.forEntry(entry.name(), "hard link to the directory '"
                                + entry.linkName() + "': directories cannot be hard linked");
                    }
                    inode = members.get(current).inode();
                }
                int directorySince = -1;
                if (entry.type() == TarEntry.Type.DIRECTORY) {
                    directorySince = previous != null && members.get(previous).type() == TarEntry.Type.DIRECTORY
                            ? members.get(previous).directorySince() : index;
                }
                if (path.isEmpty() && entry.type() != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(entry.name(), "the top entry must be a directory");
                }
                members.add(new Member(path, entry.name(), entry.type(), inode, directorySince));
                last.put(path, index);
                if (entry.type() == TarEntry.Type.DIRECTORY) {
                    finalDirectories.put(path, entry); // only directories: their metadata is written early
                } else {
                    finalDirectories.remove(path);
                }
            }
        }
    }

    /** What the entry at {@code index} puts on disk: a hard link is what its inode's first entry is. */
    private TarEntry.Type typeOf(int index) {
        return members.get(members.get(index).inode()).type();
    }

    /** Every parent of a path of the final tree must be a directory of it, or the path was written through a link. */
    private void checkTree() {
        for (Map.Entry<String, Integer> path : last.entrySet()) {
            String name = path.getKey();
            for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                Integer parent = last.get(name.substring(0, slash));
                if (parent != null && typeOf(parent) != TarEntry.Type.DIRECTORY) {
                    throw AciFormatException.forEntry(members.get(path.getValue()).spelling(), "its parent '"
                            + name.substring(0, slash) + "' is a " + typeOf(parent) + " in this tarball (entry '"
                            + members.get(parent).spelling() + "'); entries are never written through links or"
                            + " files, so that a tarball cannot reach outside its image, and GNU tar fails on it too."
                            + " Repack the tarball without the entries below it");
                }
            }
        }
    }

    /**
     * The path each inode is written under: its own entry's if that is final, else the first hard link that
     * survives (the file then lives on under that name), else none.
     */
    private void nameInodes() {
        for (int index = 0; index < members.size(); index++) {
            Member member = members.get(index);
            if (last.get(member.path()) != index) {
                continue;
            }
            if (member.type() != TarEntry.Type.HARDLINK) {
                inodeNames.put(index, member.path());
            }
        }
        for (int index = 0; index < members.size(); index++) {
            Member member = members.get(index);
            if (member.type() == TarEntry.Type.HARDLINK && last.get(member.path()) == index) {
                inodeNames.putIfAbsent(member.inode(), member.path());
            }
        }
    }

    /** Pass two: the entries of the final tree, in archive order, with their content. */
    private void emit(Sink sink) throws IOException {
        TarEntry top = finalDirectories.get("");
        if (top != null) {
            sink.entry("", top, null);
        }
        try (InputStream raw = Files.newInputStream(file)) {
            TarReader tar = open(raw);
            TarEntry entry;
            int index = 0;
            while ((entry = tar.next()) != null) {
                if (index >= members.size() || !members.get(index).spelling().equals(entry.name())) {
                    throw AciFormatException.forEntry(entry.name(), "the tarball changed while it was read: make"
                            + " sure nothing writes to it during the image build");
                }
                emit(index, entry, tar, sink);
                index++;
            }
            if (index != members.size()) {
                throw new AciFormatException("the tarball changed while it was read (it has fewer entries now):"
                        + " make sure nothing writes to it during the image build");
            }
        }
    }

    private void emit(int index, TarEntry entry, TarReader tar, Sink sink) throws IOException {
        Member member = members.get(index);
        String path = member.path();
        if (path.isEmpty()) {
            return; // the top directory went first
        }
        boolean isFinal = last.get(path) == index;
        switch (member.type()) {
            case DIRECTORY:
                // written once, where the path became the directory it stays, with its final metadata
                TarEntry directory = finalDirectories.get(path);
                if (directory != null && members.get(last.get(path)).directorySince() == index) {
                    sink.entry(path, directory, null);
                }
                break;
            case HARDLINK:
                String inodeName = inodeNames.get(member.inode());
                if (isFinal && !path.equals(inodeName)) {
                    sink.entry(path, entry.withName(entry.name(), inodeName), null);
                }
                break;
            default:
                String name = inodeNames.get(index);
                if (name != null) {
                    sink.entry(name, entry, tar.content());
                }
        }
    }
}
