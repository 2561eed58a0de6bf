package dev.jetpack.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageManifestTest {
    private final ImageManifest base = ImageManifest.named("example.com/app")
            .withLabels(List.of(new Label("version", "1"), new Label("os", "linux")));

    @Test
    void absentListsAreEmptyNotNull() {
        ImageManifest m = new ImageManifest(null, null, null, null, null, null, null, null);
        App app = new App(null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(m.labels()).isEmpty();
        assertThat(m.annotations()).isEmpty();
        assertThat(m.dependencies()).isEmpty();
        assertThat(m.pathWhitelist()).isEmpty();
        assertThat(app.exec()).isEmpty();
        assertThat(app.ports()).isEmpty();
        assertThat(app.userLabels()).isEmpty();
        assertThat(new Dependency("x", null, null, null).labels()).isEmpty();
        assertThat(new EventHandler("pre-start", null).exec()).isEmpty();
    }

    @Test
    void listsAreCopiedAndUnmodifiable() {
        List<Label> labels = new ArrayList<>(List.of(new Label("a", "1")));
        ImageManifest m = base.withLabels(labels);
        labels.add(new Label("b", "2"));

        assertThat(m.labels()).containsExactly(new Label("a", "1"));
        assertThatThrownBy(() -> m.labels().add(new Label("c", "3"))).isInstanceOf(UnsupportedOperationException.class);
        Map<String, String> userLabels = new HashMap<>(Map.of("b", "1", "a", "2"));
        App app = new App(null, "0", "0", null, null, null, null, null, null, null, null, userLabels);
        userLabels.clear();
        assertThat(app.userLabels()).containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
    }

    @Test
    void labelAndAnnotationLookups() {
        ImageManifest m = base.withAnnotation("authors", "me");

        assertThat(m.label("os")).contains("linux");
        assertThat(m.label("arch")).isEmpty();
        assertThat(m.annotation("authors")).contains("me");
        assertThat(m.annotation("created")).isEmpty();
    }

    @Test
    void withLabelReplacesInPlaceOrAppends() {
        assertThat(base.withLabel("version", "2").labels())
                .containsExactly(new Label("version", "2"), new Label("os", "linux"));
        assertThat(base.withLabel("arch", "amd64").labels())
                .containsExactly(new Label("version", "1"), new Label("os", "linux"), new Label("arch", "amd64"));
        assertThat(base.withoutLabel("version").labels()).containsExactly(new Label("os", "linux"));
        assertThat(base.withoutLabel("absent")).isEqualTo(base);
        assertThat(base.label("version")).as("the original is unchanged").contains("1");
    }

    @Test
    void withAnnotationReplacesInPlaceOrAppends() {
        ImageManifest m = base.withAnnotation("a", "1").withAnnotation("b", "2").withAnnotation("a", "3");

        assertThat(m.annotations()).containsExactly(new Annotation("a", "3"), new Annotation("b", "2"));
        assertThat(m.withoutAnnotation("a").annotations()).containsExactly(new Annotation("b", "2"));
    }

    @Test
    void withDependencyPrependedPutsTheNewOneFirst() {
        Dependency own = new Dependency("example.com/own", null, null, null);
        Dependency parent = new Dependency("example.com/parent", null, null, null);

        assertThat(base.withDependencies(List.of(own)).withDependencyPrepended(parent).dependencies())
                .containsExactly(parent, own);
    }

    @Test
    void otherWithMethodsChangeOneField() {
        App app = App.of(List.of("/bin/sh"), "0", "0");
        ImageManifest m = base.withName("example.com/other").withAcKind("K").withAcVersion("1.0.0").withApp(app)
                .withPathWhitelist(List.of("/a"));

        assertThat(m).isEqualTo(new ImageManifest("K", "1.0.0", "example.com/other", base.labels(), app, List.of(),
                List.of(), List.of("/a")));
    }

    @Test
    void appLookupsAndWithMethods() {
        App app = App.of(List.of("/bin/sh"), "0", "0")
                .withEnvironment(List.of(new EnvironmentVariable("A", "1")))
                .withWorkingDirectory("/w")
                .withExec(List.of("/bin/true"));

        assertThat(app.environmentVariable("A")).contains("1");
        assertThat(app.environmentVariable("B")).isEmpty();
        assertThat(app.workingDirectory()).isEqualTo("/w");
        assertThat(app.exec()).containsExactly("/bin/true");
        assertThat(app.eventHandler("pre-start")).isEmpty();
        assertThat(new Port("p", "tcp", 1, null, false).effectiveCount()).isEqualTo(1);
        assertThat(new Port("p", "tcp", 1, 5, false).effectiveCount()).isEqualTo(5);
    }
}
