package dev.jetpack.engine.build;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.Annotation;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.InvalidManifestException;
import dev.jetpack.engine.manifest.Label;
import dev.jetpack.engine.manifest.ManifestCodec;
import dev.jetpack.engine.manifest.ManifestProblem;
import dev.jetpack.engine.manifest.ManifestValidator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestMergerTest {
    private static final Instant TIME = Instant.parse("2026-01-01T00:00:00.987654Z");
    private static final ImageId PARENT_ID = ImageId.parse("sha512-" + "ab".repeat(64));
    private static final ImageManifest PARENT = ImageManifest.named("example.com/base")
            .withLabels(List.of(new Label("version", "12"), new Label("os", "linux"), new Label("arch", "amd64")))
            .withApp(App.of(List.of("/bin/sh"), "0", "0"))
            .withAnnotation("timestamp", "2020-01-01T00:00:00Z");

    /** A manifest.json as a build writes it: no acKind, no acVersion. */
    private static ImageManifest child(String json) {
        return ManifestCodec.read(json.getBytes(UTF_8), "manifest.json");
    }

    private static ImageManifest layered(ImageManifest child) {
        return ManifestMerger.merge(child, PARENT, PARENT_ID, MergeOptions.layered(TIME));
    }

    private static ImageManifest flat(ImageManifest child) {
        return ManifestMerger.merge(child, PARENT, PARENT_ID, MergeOptions.flat(TIME));
    }

    @Test
    void fillsInAcKindAndAcVersionWhenAbsent() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\"}"));

        assertThat(merged.acKind()).isEqualTo("ImageManifest");
        assertThat(merged.acVersion()).isEqualTo("0.8.11");
    }

    @Test
    void keepsTheChildsOwnAcVersion() {
        ImageManifest merged = flat(child("{\"acKind\": \"ImageManifest\", \"acVersion\": \"0.8.9\","
                + " \"name\": \"example.com/app\"}"));

        assertThat(merged.acVersion()).isEqualTo("0.8.9");
    }

    @Test
    void addsATimestampAnnotationInUtcToTheSecond() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\"}"));

        assertThat(merged.annotations()).containsExactly(new Annotation("timestamp", "2026-01-01T00:00:00Z"));
    }

    @Test
    void keepsTheChildsOwnTimestampAndDoesNotInheritTheParents() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\","
                + " \"annotations\": [{\"name\": \"timestamp\", \"value\": \"1999-12-31T23:59:59Z\"}]}"));

        assertThat(merged.annotation("timestamp")).contains("1999-12-31T23:59:59Z");
        assertThat(merged.annotations()).hasSize(1);
    }

    @Test
    void copiesOsAndArchFromTheParentWhenTheChildHasNone() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\","
                + " \"labels\": [{\"name\": \"version\", \"value\": \"1.0\"}]}"));

        assertThat(merged.labels()).containsExactly(new Label("version", "1.0"), new Label("os", "linux"),
                new Label("arch", "amd64"));
    }

    @Test
    void otherParentLabelsAreNotInherited() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\"}"));

        assertThat(merged.label("version")).isEmpty();
    }

    @Test
    void theChildsOwnOsAndArchWin() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\","
                + " \"labels\": [{\"name\": \"arch\", \"value\": \"i386\"}]}"));

        assertThat(merged.labels()).containsExactly(new Label("arch", "i386"), new Label("os", "linux"));
    }

    @Test
    void anExplicitEmptyValueRemovesTheLabel() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\","
                + " \"labels\": [{\"name\": \"arch\", \"value\": \"\"}, {\"name\": \"version\", \"value\": \"2\"}]}"));

        assertThat(merged.labels()).containsExactly(new Label("version", "2"), new Label("os", "linux"));
    }

    @Test
    void aNullValueCountsAsEmptyAndRemovesBothLabels() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/noarch\", \"labels\": ["
                + "{\"name\": \"os\", \"value\": null}, {\"name\": \"arch\", \"value\": \"\"}]}"));

        assertThat(merged.labels()).isEmpty();
    }

    @Test
    void aParentWithoutOsOrArchAddsNone() {
        ImageManifest parent = ImageManifest.named("example.com/scripts");

        ImageManifest merged = ManifestMerger.merge(child("{\"name\": \"example.com/app\"}"), parent, PARENT_ID,
                MergeOptions.flat(TIME));

        assertThat(merged.labels()).isEmpty();
    }

    @Test
    void layeredOutputPrependsTheParentToTheDependencies() {
        ImageManifest merged = layered(child("{\"name\": \"example.com/app\","
                + " \"dependencies\": [{\"imageName\": \"example.com/certs\"}], \"pathWhitelist\": [\"/bin/sh\"]}"));

        assertThat(merged.dependencies()).containsExactly(
                new Dependency("example.com/base", PARENT_ID.value(), PARENT.labels(), null),
                new Dependency("example.com/certs", null, List.of(), null));
        assertThat(merged.pathWhitelist()).containsExactly("/bin/sh");
    }

    @Test
    void flatOutputHasNoDependenciesAndNoPathWhitelist() {
        ImageManifest merged = flat(child("{\"name\": \"example.com/app\","
                + " \"dependencies\": [{\"imageName\": \"example.com/certs\"}], \"pathWhitelist\": [\"/bin/sh\"]}"));

        assertThat(merged.dependencies()).isEmpty();
        assertThat(merged.pathWhitelist()).isEmpty();
    }

    @Test
    void theChildsAppIsKeptAndTheParentsIsNotInherited() {
        ImageManifest withApp = flat(child("{\"name\": \"example.com/app\", \"app\": {\"exec\": [\"/srv/run\"],"
                + " \"user\": \"daemon\", \"group\": \"daemon\"}}"));
        ImageManifest withoutApp = flat(child("{\"name\": \"example.com/app\"}"));

        assertThat(withApp.app()).isEqualTo(App.of(List.of("/srv/run"), "daemon", "daemon"));
        assertThat(withoutApp.app()).isNull();
    }

    @Test
    void theMergedManifestValidatesAndWritesCanonically() {
        ImageManifest merged = layered(child("{\"name\": \"example.com/app\", \"labels\": [{\"name\": \"version\","
                + " \"value\": \"1.0\"}]}"));

        assertThat(ManifestValidator.validate(merged)).isEmpty();
        assertThat(new String(ManifestCodec.write(merged, false), UTF_8)).isEqualTo("{\"acKind\":\"ImageManifest\","
                + "\"acVersion\":\"0.8.11\",\"name\":\"example.com/app\",\"labels\":[{\"name\":\"version\","
                + "\"value\":\"1.0\"},{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],"
                + "\"annotations\":[{\"name\":\"timestamp\",\"value\":\"2026-01-01T00:00:00Z\"}],"
                + "\"dependencies\":[{\"imageName\":\"example.com/base\",\"imageID\":\"" + PARENT_ID + "\","
                + "\"labels\":[{\"name\":\"version\",\"value\":\"12\"},{\"name\":\"os\",\"value\":\"linux\"},"
                + "{\"name\":\"arch\",\"value\":\"amd64\"}]}]}");
    }

    @Test
    void mergingIsDeterministicForAFixedTimestamp() {
        String json = "{\"name\": \"example.com/app\", \"app\": {\"user\": \"0\", \"group\": \"0\"}}";

        assertThat(ManifestCodec.write(layered(child(json)), true))
                .isEqualTo(ManifestCodec.write(layered(child(json)), true));
    }

    @Test
    void aResultThatBreaksTheSpecFailsWithEveryProblem() {
        ImageManifest bad = child("{\"labels\": [{\"name\": \"os\", \"value\": \"windows\"}],"
                + " \"app\": {\"user\": \"0\"}}");

        assertThatThrownBy(() -> layered(bad))
                .isInstanceOfSatisfying(InvalidManifestException.class, e -> assertThat(e.problems())
                        .extracting(ManifestProblem::field).containsExactly("name", "labels[0].value", "app.group"))
                .hasMessageContaining("on parent 'example.com/base'");
    }

    @Test
    void anInheritedArchThatDoesNotFitTheChildsOsFails() {
        ImageManifest darwinChild = child("{\"name\": \"example.com/app\","
                + " \"labels\": [{\"name\": \"os\", \"value\": \"darwin\"}]}");

        assertThatThrownBy(() -> flat(darwinChild)).isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("labels[1].value = \"amd64\"").hasMessageContaining("for os darwin");
    }

    @Test
    void forBaseImageAppliesTheDefaultsWithoutAParent() {
        ImageManifest base = ManifestMerger.forBaseImage(child("{\"name\": \"example.com/debian\","
                + " \"labels\": [{\"name\": \"os\", \"value\": \"linux\"}]}"), TIME);

        assertThat(base).isEqualTo(ImageManifest.named("example.com/debian").withLabel("os", "linux")
                .withAnnotation("timestamp", "2026-01-01T00:00:00Z"));
    }

    @Test
    void forBaseImageKeepsAnExistingTimestampAndValidates() {
        ImageManifest kept = ManifestMerger.forBaseImage(ImageManifest.named("example.com/a")
                .withAnnotation("timestamp", "2000-01-01T00:00:00Z"), TIME);

        assertThat(kept.annotation("timestamp")).contains("2000-01-01T00:00:00Z");
        assertThatThrownBy(() -> ManifestMerger.forBaseImage(child("{\"name\": \"Bad\"}"), TIME))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("of base image 'Bad'");
    }

    @Test
    void timestampFormatDropsFractionsAndUsesUtc() {
        assertThat(ManifestMerger.formatTimestamp(Instant.parse("2026-07-04T12:34:56.999Z")))
                .isEqualTo("2026-07-04T12:34:56Z");
        assertThat(ManifestMerger.formatTimestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void optionsNeedATimestamp() {
        assertThatThrownBy(() -> new MergeOptions(null, true)).isInstanceOf(NullPointerException.class);
        assertThat(MergeOptions.layered(TIME).layered()).isTrue();
        assertThat(MergeOptions.flat(TIME).layered()).isFalse();
    }
}
