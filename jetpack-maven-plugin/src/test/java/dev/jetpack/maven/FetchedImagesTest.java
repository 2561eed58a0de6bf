package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.fetch.ImageSource;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.store.StoredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fetch goal got is what the build goal builds on, while the source, store, settings and file hold. */
class FetchedImagesTest {
    @TempDir
    Path tmp;

    private final MavenProject project = new MavenProject();

    @Test
    void anImageFileIsAnsweredAgainWhileItIsUnchanged() throws Exception {
        Path aci = Files.write(tmp.resolve("parent.aci"), new byte[] {1, 2, 3});
        FetchedImages.Key key = key(new ImageSource.LocalFile(aci), "settings");
        StoredImage image = image();
        FetchedImages.of(project).remember(key, FetchedImages.stamp(key.source()), image);

        assertThat(FetchedImages.of(project).find(key)).as("another goal of the same build").containsSame(image);
        assertThat(FetchedImages.of(project).find(key(new ImageSource.LocalFile(tmp.resolve("./parent.aci")),
                "settings"))).as("an equal key, made afresh").containsSame(image);
        assertThat(FetchedImages.of(project).find(key(new ImageSource.LocalFile(tmp.resolve("other.aci")),
                "settings"))).as("another file").isEmpty();
        assertThat(FetchedImages.of(new MavenProject()).find(key)).as("another project").isEmpty();
        assertThat(FetchedImages.of(project).find(key(new ImageSource.LocalFile(aci), "other settings")))
                .as("other reader settings").isEmpty();
        assertThat(FetchedImages.of(project).find(new FetchedImages.Key(tmp.resolve("other-store"), key.source(),
                "settings"))).as("another store").isEmpty();

        Files.write(aci, new byte[] {4, 5, 6}); // same size: only the time tells
        Files.setLastModifiedTime(aci, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(FetchedImages.of(project).find(key)).as("the file was rewritten since").isEmpty();
        Files.delete(aci);
        assertThat(FetchedImages.of(project).find(key)).as("the file is gone").isEmpty();
    }

    @Test
    void aFileRewrittenWhileItWasFetchedIsNotTakenForTheOneRead() throws Exception {
        Path aci = Files.write(tmp.resolve("parent.aci"), new byte[] {1});
        FetchedImages.Key key = key(new ImageSource.LocalFile(aci), "settings");
        FetchedImages.FileStamp before = FetchedImages.stamp(key.source());
        Files.write(aci, new byte[] {1, 2}); // during the fetch
        FetchedImages.of(project).remember(key, before, image());
        assertThat(FetchedImages.of(project).find(key)).isEmpty();
    }

    @Test
    void namesAreAnsweredAgainAndOciLayoutsNever() {
        FetchedImages.Key named = key(ImageSource.parse("example.com/app:1.0", tmp), "settings");
        FetchedImages.Key layout = key(new ImageSource.OciLayoutSource(tmp, Optional.empty()), "settings");
        StoredImage image = image();
        FetchedImages.of(project).remember(named, FetchedImages.stamp(named.source()), image);
        FetchedImages.of(project).remember(layout, FetchedImages.stamp(layout.source()), image);

        assertThat(FetchedImages.of(project).find(named)).containsSame(image);
        assertThat(FetchedImages.of(project).find(layout)).as("spread over files nobody watches").isEmpty();
    }

    private FetchedImages.Key key(ImageSource source, String settings) {
        return new FetchedImages.Key(tmp.resolve("store"), source, settings);
    }

    private StoredImage image() {
        ImageId id = ImageId.parse("sha512-" + "ab".repeat(64));
        Path directory = tmp.resolve("store/images/" + id);
        return new StoredImage(id, ImageManifest.named("example.com/parent"), directory,
                directory.resolve("image.aci"), directory.resolve("rootfs"), 3, Instant.EPOCH, List.of());
    }
}
