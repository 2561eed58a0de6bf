package dev.jetpack.engine.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jetpack.engine.aci.AciFormatException;
import dev.jetpack.engine.aci.ArchivePaths;
import dev.jetpack.engine.aci.TarEntry;
import dev.jetpack.engine.aci.TarReader;
import dev.jetpack.engine.io.CountingInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.utils.BoundedSeekableByteChannelInputStream;

/**
 * Reads an image out of a {@code docker save} archive ({@code docker-archive:FILE[:NAME:TAG]}): a tar holding
 * {@code manifest.json} ({@code [{"Config", "RepoTags", "Layers"}]}), the config and the layer tars, either as
 * {@code ID/layer.tar} (older docker, skopeo) or as {@code blobs/sha256/HEX} (docker 25+). The archive is read in
 * place: its members are found by offset, nothing is copied out. Layers have no digest of their own here; each is
 * checked by its diff ID from the config.
 */
public final class DockerArchiveImages {
    private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    private static final int MAX_LINK_HOPS = 16;

    private DockerArchiveImages() {
    }

    /** One image of {@code manifest.json}. */
    record Entry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                 @JsonProperty("Layers") List<String> layers) {
        Entry {
            repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
            layers = layers == null ? List.of() : List.copyOf(layers);
        }
    }

    /** Where a member's bytes lie in the archive. */
    private record Member(long offset, long size) {
    }

    /** The image named {@code reference} ({@code NAME:TAG} of its RepoTags), or the only one. */
    public static OciImage read(Path file, Optional<String> reference) throws IOException {
        String source = "docker-archive:" + file + reference.map(r -> ":" + r).orElse("");
        Map<String, Member> members = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        index(file, source, members, links);
        Entry[] entries = OciJson.read(readMember(file, member("manifest.json", members, links, source)),
                Entry[].class, "manifest.json of " + source);
        Entry entry = choose(List.of(entries), reference, source);
        if (entry.config() == null) {
            throw new OciFormatException("manifest.json of " + source + " names no Config: the archive is not one"
                    + " that docker load reads");
        }
        byte[] configJson = readMember(file, member(entry.config(), members, links, source));
        OciConfig config = OciJson.read(configJson, OciConfig.class, "config " + entry.config() + " of " + source);
        List<OciImage.Layer> layers = new ArrayList<>();
        for (int i = 0; i < entry.layers().size(); i++) {
            Member layer = member(entry.layers().get(i), members, links, source);
            layers.add(new OciImage.Layer(null, "layer " + (i + 1) + " (" + entry.layers().get(i) + ") of " + source,
                    () -> open(file, layer)));
        }
        String repoTag = reference.orElse(entry.repoTags().isEmpty() ? null : entry.repoTags().get(0));
        String repository = repoTag == null ? baseName(file) : OciLayoutImages.withoutTag(repoTag);
        Optional<String> tag = repoTag == null || repository.length() == repoTag.length() ? Optional.empty()
                : Optional.of(repoTag.substring(repository.length() + 1));
        return new OciImage(source, repository, tag, Optional.empty(), Digest.sha256(configJson), config, layers);
    }

    private static Entry choose(List<Entry> entries, Optional<String> reference, String source) {
        List<String> tags = entries.stream().flatMap(e -> e.repoTags().stream()).toList();
        if (reference.isPresent()) {
            return entries.stream().filter(e -> e.repoTags().contains(reference.get())).findFirst()
                    .orElseThrow(() -> new OciFormatException(source + ": the archive has no image tagged '"
                            + reference.get() + "' (it has " + (tags.isEmpty() ? "no tags" : String.join(", ", tags))
                            + ")"));
        }
        if (entries.size() != 1) {
            throw new OciFormatException(source + " holds " + entries.size() + " images: name one with"
                    + " docker-archive:FILE:NAME:TAG (tags: " + (tags.isEmpty() ? "none" : String.join(", ", tags))
                    + ")");
        }
        return entries.get(0);
    }

    /** Finds every file's offset; directories are skipped, symbolic links (docker's shared layers) remembered. */
    private static void index(Path file, String source, Map<String, Member> members, Map<String, String> links)
            throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            CountingInputStream counted = new CountingInputStream(new BufferedInputStream(raw, 64 * 1024));
            TarReader tar = new TarReader(counted);
            TarEntry entry;
            while ((entry = tar.next()) != null) {
                String name = ArchivePaths.normalize(entry.name(), entry.name());
                switch (entry.type()) {
                    case FILE -> members.put(name, new Member(counted.count(), entry.size()));
                    case SYMLINK -> links.put(name, entry.linkName());
                    case DIRECTORY -> {
                    }
                    default -> throw AciFormatException.forEntry(entry.name(), "a docker archive holds only files,"
                            + " directories and symbolic links, not a " + entry.type());
                }
            }
        } catch (NoSuchFileException e) {
            throw new OciFormatException("The docker archive " + file + " does not exist: give the file that"
                    + " docker save or skopeo copy wrote");
        } catch (AciFormatException e) {
            if (Files.size(file) >= 2 && isGzip(file)) {
                throw new OciFormatException(source + " is compressed: decompress it first (gunzip), as docker"
                        + " load would", e);
            }
            throw new OciFormatException(source + " is not a valid docker archive: " + e.getMessage(), e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 0x1f && head[1] == (byte) 0x8b;
        }
    }

    /** A member by name, following symbolic links inside the archive. */
    private static Member member(String name, Map<String, Member> members, Map<String, String> links,
            String source) {
        String current = ArchivePaths.normalize(name, name);
        for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
            Member member = members.get(current);
            if (member != null) {
                return member;
            }
            String target = links.get(current);
            if (target == null) {
                throw new OciFormatException(source + " lacks '" + name + "', which its manifest.json names: the"
                        + " archive is incomplete");
            }
            int slash = current.lastIndexOf('/');
            current = ArchivePaths.normalize(lexical((slash < 0 ? "" : current.substring(0, slash + 1)) + target,
                    name), name);
        }
        throw new OciFormatException(source + ": '" + name + "' is a chain of more than " + MAX_LINK_HOPS
                + " symbolic links: refused");
    }

    /** Resolves {@code ..} lexically; a name that would leave the archive is refused by the caller's normalize. */
    private static String lexical(String path, String name) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw AciFormatException.forEntry(name, "a symbolic link that leaves the archive");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    private static byte[] readMember(Path file, Member member) throws IOException {
        if (member.size() > MAX_JSON_BYTES) {
            throw new OciFormatException("a JSON document of " + member.size() + " bytes in " + file
                    + " is larger than the limit of " + MAX_JSON_BYTES + ": refused");
        }
        try (InputStream in = open(file, member)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(Path file, Member member) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new FilterInputStream(new BoundedSeekableByteChannelInputStream(member.offset(), member.size(),
                channel)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    channel.close();
                }
            }
        };
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".tar") ? name.substring(0, name.length() - 4) : name;
    }
}
