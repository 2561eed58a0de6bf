package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChoicesTest {
    @Test
    void parsesCaseInsensitivelyWithDefaultForUnset() throws Exception {
        assertThat(Choices.parse(Compression.class, "GZip", Compression.XZ, "compression", null))
                .isEqualTo(Compression.GZIP);
        assertThat(Choices.parse(Compression.class, null, Compression.XZ, "compression", null))
                .isEqualTo(Compression.XZ);
    }

    @Test
    void unknownValueNamesParameterValueAndAcceptedValues() {
        assertThatThrownBy(() -> Choices.parse(Compression.class, "lzma", Compression.XZ, "compression",
                "jetpack.compression"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid value 'lzma' for parameter 'compression' (user property jetpack.compression):"
                        + " accepted values are xz, gzip, bzip2, none (default xz)");
    }
}
