package dev.jetpack.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetpack.engine.manifest.ImageManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestDefaultsTest {
    private static final ManifestDefaults DEFAULTS = new ManifestDefaults(Optional.of("example.com/default"),
            new LinkedHashMap<>(Map.of("version", "1.0")));

    @Test
    void fillsOnlyWhatTheManifestLacks() {
        ImageManifest bare = new ImageManifest(null, null, null, null, null, null, null, null);
        ImageManifest filled = DEFAULTS.applyTo(bare);
        assertThat(filled.name()).isEqualTo("example.com/default");
        assertThat(filled.label("version")).contains("1.0");

        ImageManifest own = ImageManifest.named("example.com/own").withLabel("version", "2.0");
        assertThat(DEFAULTS.applyTo(own)).isEqualTo(own);
    }

    @Test
    void noneChangesNothing() {
        ImageManifest bare = new ImageManifest(null, null, null, null, null, null, null, null);
        assertThat(ManifestDefaults.NONE.applyTo(bare)).isEqualTo(bare);
    }
}
