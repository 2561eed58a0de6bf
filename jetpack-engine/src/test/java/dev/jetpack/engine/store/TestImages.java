package dev.jetpack.engine.store;

import dev.jetpack.engine.aci.AciWriter;
import dev.jetpack.engine.aci.Compression;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.aci.WriterOptions;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.Label;
import dev.jetpack.engine.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds small real ACIs with {@link AciWriter} for store and fetch tests. */
public final class TestImages {
    private final Path workDir;

    public TestImages(Path workDir) {
        this.workDir = workDir;
    }

    /** Fills a rootfs directory. */
    @FunctionalInterface
    public interface Tree {
        void fill(Path rootfs) throws IOException;
    }

    /** A written ACI file and its ID. */
    public record Aci(Path file, ImageId id, ImageManifest manifest) {
        public byte[] bytes() throws IOException {
            return Files.readAllBytes(file);
        }
    }

    public static ImageManifest manifest(String name, String... labels) {
        List<Label> list = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            list.add(new Label(labels[i], labels[i + 1]));
        }
        return ImageManifest.named(name).withLabels(list);
    }

    public static Dependency dependency(String name, ImageId id, String... labels) {
        List<Label> list = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            list.add(new Label(labels[i], labels[i + 1]));
        }
        return new Dependency(name, id == null ? null : id.value(), list, null);
    }

    public Aci write(ImageManifest manifest, Tree tree) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("aci-" + UUID.randomUUID()));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        tree.fill(rootfs);
        Path file = dir.resolve("image.aci");
        AciWriter.Result result = AciWriter.write(ManifestCodec.write(manifest, true), rootfs, file,
                WriterOptions.builder().compression(Compression.GZIP).level(1).build());
        return new Aci(file, result.id(), manifest);
    }

    /** An image with one file {@code /name.txt} holding {@code content}. */
    public Aci simple(ImageManifest manifest, String content) throws IOException {
        return write(manifest, rootfs -> Files.writeString(rootfs.resolve("file.txt"), content));
    }
}
