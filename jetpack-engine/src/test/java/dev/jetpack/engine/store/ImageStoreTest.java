package dev.jetpack.engine.store;

import static dev.jetpack.engine.testing.TestImages.dependency;
import static dev.jetpack.engine.testing.TestImages.manifest;
import static dev.jetpack.engine.testing.TestTrees.directory;
import static dev.jetpack.engine.testing.TestTrees.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.ImageReference;
import dev.jetpack.engine.testing.RecordingLog;
import dev.jetpack.engine.testing.TestImages;
import dev.jetpack.engine.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path temp;

    RecordingLog log;
    ImageStore store;
    TestImages images;

    @BeforeEach
    void setUp() throws IOException {
        log = new RecordingLog();
        store = ImageStore.open(temp.resolve("store"), log);
        images = new TestImages(Files.createDirectories(temp.resolve("acis")));
    }

    @Test
    void importsAnAciAndFindsItByIdPrefixAndName() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "1.0", "os", "linux"), "hello");

        StoredImage stored = store.importAci(aci.file(), ImportOptions.defaults());

        assertThat(stored.id()).isEqualTo(aci.id());
        assertThat(stored.name()).isEqualTo("example.com/app");
        assertThat(stored.aciFile()).hasSameBinaryContentAs(aci.file());
        assertThat(stored.aciSize()).isEqualTo(Files.size(aci.file()));
        assertThat(stored.rootfs().resolve("file.txt")).hasContent("hello");
        assertThat(stored.directory()).isEqualTo(store.root().resolve("images").resolve(aci.id().value()));
        assertThat(stored.directory().resolve("manifest")).exists();

        assertThat(store.find(aci.id().value()).id()).isEqualTo(aci.id());
        assertThat(store.find(aci.id().value().substring(0, 20)).id()).isEqualTo(aci.id());
        assertThat(store.find(aci.id().hex().substring(0, 12)).id()).isEqualTo(aci.id());
        assertThat(store.find("example.com/app").id()).isEqualTo(aci.id());
        assertThat(store.find("example.com/app:1.0,os=linux").id()).isEqualTo(aci.id());
        assertThat(store.list()).extracting(StoredImage::id).containsExactly(aci.id());
        assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO Imported example.com/app:1.0"));
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void anImageLookedUpByIdReadsItsManifestOnFirstUseAndARemovalSaysSo() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/lazy", "version", "1.0"), "hello");
        store.importAci(aci.file(), ImportOptions.defaults());
        Path manifestFile = store.root().resolve("images").resolve(aci.id().value()).resolve("manifest");
        byte[] manifestBytes = Files.readAllBytes(manifestFile);

        Files.writeString(manifestFile, "{ damaged");
        StoredImage looked = store.get(aci.id()).orElseThrow();
        assertThat(looked.rootfs().resolve("file.txt")).hasContent("hello");
        assertThatThrownBy(looked::manifest).isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot read image " + aci.id());

        Files.write(manifestFile, manifestBytes);
        StoredImage held = store.get(aci.id()).orElseThrow();
        StoredImage removed = store.remove(aci.id());
        assertThat(removed.describe()).isEqualTo("example.com/lazy:1.0 (" + aci.id().shortForm() + ")");
        assertThat(removed).isEqualTo(held);
        assertThatThrownBy(held::manifest).isInstanceOf(StoreException.class)
                .hasMessageContaining("was removed from the store");
        assertThat(store.get(aci.id())).isEmpty();
    }

    @Test
    void findByNameChecksEveryLabelAndPicksTheNewestVersion() throws Exception {
        for (String version : List.of("1.9.2", "1.10.0", "1.2")) {
            store.importAci(images.simple(manifest("example.com/app", "version", version, "os", "linux", "arch", "amd64"), version)
                    .file(), ImportOptions.defaults());
        }
        store.importAci(images.simple(manifest("example.com/app", "version", "2.0", "os", "linux", "arch", "aarch64"), "arm")
                .file(), ImportOptions.defaults());

        assertThat(store.find("example.com/app").label("version")).contains("2.0");
        assertThat(store.find("example.com/app,arch=amd64").label("version")).contains("1.10.0");
        assertThat(store.find("example.com/app:latest,arch=amd64").label("version")).contains("1.10.0");
        assertThat(store.find(ImageReference.parse("example.com/app:1.2")).rootfs().resolve("file.txt"))
                .hasContent("1.2");
        assertThatThrownBy(() -> store.find("example.com/app:3.0"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("No image matching example.com/app:3.0")
                .hasMessageContaining("version=1.10.0");
        assertThatThrownBy(() -> store.find("example.com/other"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("No image of that name is stored");
    }

    @Test
    void sameVersionFallsBackToTheLatestImport() throws Exception {
        store.importAci(images.simple(manifest("example.com/app"), "first").file(), ImportOptions.defaults());
        Thread.sleep(5); // import times are recorded to the millisecond or better; make them differ
        StoredImage second = store.importAci(images.simple(manifest("example.com/app"), "second").file(),
                ImportOptions.defaults());
        assertThat(store.find("example.com/app").id()).isEqualTo(second.id());
    }

    @Test
    void anAmbiguousPrefixListsTheCandidates() throws Exception {
        List<StoredImage> stored = new ArrayList<>();
        // 16 images: two of them share their first hex digit for sure.
        for (int i = 0; i < 17; i++) {
            stored.add(store.importAci(images.simple(manifest("example.com/app", "version", "1." + i), "v" + i)
                    .file(), ImportOptions.defaults()));
        }
        String sharedDigit = stored.stream().map(image -> image.id().hex().substring(0, 1))
                .filter(digit -> stored.stream().filter(other -> other.id().hex().startsWith(digit)).count() > 1)
                .findFirst().orElseThrow();
        List<StoredImage> candidates = stored.stream().filter(image -> image.id().hex().startsWith(sharedDigit))
                .toList();

        assertThatThrownBy(() -> store.find("sha512-" + sharedDigit))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("ambiguous")
                .hasMessageContaining(candidates.get(0).id().value())
                .hasMessageContaining(candidates.get(1).id().value());
        assertThatThrownBy(() -> store.find("sha512-" + "0".repeat(30)))
                .isInstanceOf(ImageNotFoundException.class);
    }

    @Test
    void reimportingAStoredImageChangesNothingAndSaysSo() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app", "version", "1.0"), "hello");
        StoredImage first = store.importAci(aci.file(), ImportOptions.defaults());
        Map<String, Object> before = fileKeysAndTimes(first.directory());

        StoredImage again = store.importAci(new ByteArrayInputStream(aci.bytes()),
                ImportOptions.builder().source("the second copy").build());

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(fileKeysAndTimes(first.directory())).isEqualTo(before);
        assertThat(log.messages()).anyMatch(m -> m.startsWith("INFO ") && m.contains("already in the store")
                && m.contains("the second copy"));
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aBadAciLeavesNothingBehind() throws Exception {
        TestImages.Aci aci = images.simple(manifest("example.com/app"), "hello");
        byte[] truncated = Arrays.copyOf(aci.bytes(), aci.bytes().length / 2);

        assertThatThrownBy(() -> store.importAci(new ByteArrayInputStream(truncated), ImportOptions.defaults()))
                .isInstanceOf(JetpackException.class);
        assertThatThrownBy(() -> store.importAci(new ByteArrayInputStream("not an aci".getBytes()),
                ImportOptions.defaults())).isInstanceOf(JetpackException.class);
        // A valid archive whose manifest breaks the spec (uppercase name).
        TestImages.Aci badManifest = images.simple(manifest("Example.com/App"), "x");
        assertThatThrownBy(() -> store.importAci(badManifest.file(), ImportOptions.defaults()))
                .isInstanceOf(JetpackException.class)
                .hasMessageContaining("Example.com/App");

        assertThat(store.list()).isEmpty();
        assertThat(store.root().resolve("images")).isEmptyDirectory();
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aLayeredImageWithTwoDependenciesAndAWhitelistRendersExactly() throws Exception {
        TestImages.Aci base = images.write(manifest("example.com/base", "version", "1"), rootfs -> {
            file(rootfs, "etc/os-release", "base", 0644);
            file(rootfs, "etc/shadow", "secret", 0600);
            file(rootfs, "bin/sh", "sh", 0755);
            file(rootfs, "bin/rm", "rm", 0755);
            file(rootfs, "var/cache/big", "cache", 0644);
        });
        TestImages.Aci tools = images.write(manifest("example.com/tools", "version", "2"), rootfs -> {
            file(rootfs, "etc/os-release", "tools", 0640);
            file(rootfs, "usr/bin/tool", "tool", 0755);
            file(rootfs, "var/cache", "now a file", 0644);
        });
        TestImages.Aci app = images.write(manifest("example.com/app", "version", "3")
                .withDependencies(List.of(dependency("example.com/base", base.id()),
                        dependency("example.com/tools", null, "version", "2")))
                .withPathWhitelist(List.of("/etc/os-release", "/bin/sh", "/usr/bin/tool", "/app/run", "/var/cache")),
                rootfs -> {
                    file(rootfs, "app/run", "run", 0750);
                    file(rootfs, "app/debug", "debug", 0644);
                    directory(rootfs, "etc", 0750);
                });
        store.importAci(base.file(), ImportOptions.defaults());
        store.importAci(tools.file(), ImportOptions.defaults());

        StoredImage stored = store.importAci(app.file(), ImportOptions.defaults());

        assertThat(TreeSnapshot.listing(stored.rootfs())).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("etc", "d 750"),
                Map.entry("etc/os-release", "f 640 tools"),
                Map.entry("bin", "d 755"),
                Map.entry("bin/sh", "f 755 sh"),
                Map.entry("usr", "d 755"),
                Map.entry("usr/bin", "d 755"),
                Map.entry("usr/bin/tool", "f 755 tool"),
                Map.entry("app", "d 755"),
                Map.entry("app/run", "f 750 run"),
                Map.entry("var", "d 755"),
                Map.entry("var/cache", "f 644 now a file"))));
        assertThat(stored.dependencyIds()).containsExactly(base.id(), tools.id());
        // The dependencies' own stored trees are untouched.
        assertThat(store.get(base.id()).orElseThrow().rootfs().resolve("etc/shadow")).exists();
    }

    @Test
    void aDependencyWithTheWrongImageIdIsRejected() throws Exception {
        TestImages.Aci base = images.simple(manifest("example.com/base"), "base");
        TestImages.Aci other = images.simple(manifest("example.com/base"), "other");
        store.importAci(base.file(), ImportOptions.defaults());
        TestImages.Aci app = images.simple(manifest("example.com/app")
                .withDependencies(List.of(dependency("example.com/base", other.id()))), "app");
        // The resolver "finds" the wrong image (as a server could serve one).
        DependencyResolver wrong = (dep, dependent, s) -> s.get(base.id()).orElseThrow();

        assertThatThrownBy(() -> store.importAci(app.file(), ImportOptions.builder().dependencyResolver(wrong).build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(other.id().value())
                .hasMessageContaining(base.id().value())
                .hasMessageContaining("example.com/app");
        assertThat(store.contains(app.id())).isFalse();
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void aMissingDependencyIsObtainedThroughTheResolver() throws Exception {
        TestImages.Aci base = images.simple(manifest("example.com/base", "version", "1"), "base");
        TestImages.Aci app = images.simple(manifest("example.com/app")
                .withDependencies(List.of(dependency("example.com/base", base.id(), "version", "1"))), "app");
        List<String> asked = new ArrayList<>();
        DependencyResolver resolver = (dep, dependent, s) -> {
            asked.add(dep.imageName() + " for " + dependent);
            return s.importAci(base.file(), ImportOptions.defaults());
        };

        assertThatThrownBy(() -> store.importAci(app.file(), ImportOptions.defaults()))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("example.com/base");
        StoredImage stored = store.importAci(app.file(), ImportOptions.builder().dependencyResolver(resolver).build());

        assertThat(asked).containsExactly("example.com/base for example.com/app");
        assertThat(stored.dependencyIds()).containsExactly(base.id());
        assertThat(store.contains(base.id())).isTrue();
    }

    @Test
    void removeRefusesAnImageAnotherDependsOn() throws Exception {
        TestImages.Aci base = images.simple(manifest("example.com/base"), "base");
        TestImages.Aci app = images.simple(manifest("example.com/app")
                .withDependencies(List.of(dependency("example.com/base", null))), "app");
        store.importAci(base.file(), ImportOptions.defaults());
        store.importAci(app.file(), ImportOptions.defaults());

        assertThatThrownBy(() -> store.remove(base.id()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("example.com/app")
                .hasMessageContaining("depend on it");
        assertThat(store.contains(base.id())).isTrue();

        store.remove(app.id());
        store.remove(base.id());
        assertThat(store.list()).isEmpty();
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
        assertThatThrownBy(() -> store.remove(base.id())).isInstanceOf(ImageNotFoundException.class);
    }

    @Test
    void twoThreadsImportingTheSameImageStoreOneCopy() throws Exception {
        TestImages.Aci aci = images.write(manifest("example.com/app"), rootfs -> {
            for (int i = 0; i < 200; i++) {
                file(rootfs, "dir" + (i % 10) + "/file" + i, "content " + i, 0644);
            }
        });
        byte[] bytes = aci.bytes();
        ImageStore second = ImageStore.open(store.root(), log);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<StoredImage> first = () -> {
                start.await();
                return store.importAci(new ByteArrayInputStream(bytes), ImportOptions.defaults());
            };
            Callable<StoredImage> other = () -> {
                start.await();
                return second.importAci(new ByteArrayInputStream(bytes), ImportOptions.defaults());
            };
            Future<StoredImage> a = pool.submit(first);
            Future<StoredImage> b = pool.submit(other);
            assertThat(a.get().id()).isEqualTo(aci.id());
            assertThat(b.get().id()).isEqualTo(aci.id());
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(1);
        assertThat(log.messages()).filteredOn(m -> m.startsWith("INFO Imported")).hasSize(1);
        assertThat(log.messages()).filteredOn(m -> m.contains("already in the store")).hasSize(1);
        assertThat(store.get(aci.id()).orElseThrow().rootfs().resolve("dir3/file13")).hasContent("content 13");
        assertThat(store.root().resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void defaultLocationFollowsThePropertyThenTheHome() {
        String saved = System.getProperty(ImageStore.LOCATION_PROPERTY);
        try {
            System.setProperty(ImageStore.LOCATION_PROPERTY, temp.resolve("elsewhere").toString());
            assertThat(ImageStore.defaultLocation()).isEqualTo(temp.resolve("elsewhere"));
            System.clearProperty(ImageStore.LOCATION_PROPERTY);
            if (System.getenv(ImageStore.LOCATION_ENVIRONMENT) == null) {
                assertThat(ImageStore.defaultLocation())
                        .isEqualTo(Path.of(System.getProperty("user.home"), ".jetpack", "store"));
            } else {
                assertThat(ImageStore.defaultLocation())
                        .isEqualTo(Path.of(System.getenv(ImageStore.LOCATION_ENVIRONMENT)));
            }
        } finally {
            if (saved == null) {
                System.clearProperty(ImageStore.LOCATION_PROPERTY);
            } else {
                System.setProperty(ImageStore.LOCATION_PROPERTY, saved);
            }
        }
    }

    /** Inode, mtime and ctime of every path below {@code directory}: any rewrite changes one of them. */
    static Map<String, Object> fileKeysAndTimes(Path directory) throws IOException {
        Map<String, Object> result = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                result.put(directory.relativize(path).toString(), List.of(attributes.fileKey(),
                        attributes.lastModifiedTime(), Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return result;
    }
}
