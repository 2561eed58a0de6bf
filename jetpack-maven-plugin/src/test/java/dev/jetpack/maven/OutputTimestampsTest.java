package dev.jetpack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputTimestampsTest {
    @Test
    void isoWithOffsetIsTheInstantTruncatedToSeconds() throws Exception {
        assertThat(OutputTimestamps.parse("2026-01-01T00:00:00Z")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(OutputTimestamps.parse("2026-01-01T01:00:00+01:00"))
                .contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(OutputTimestamps.parse("2026-01-01T00:00:00.750Z"))
                .contains(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void digitsAreEpochSeconds() throws Exception {
        assertThat(OutputTimestamps.parse("1767225600")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(OutputTimestamps.parse(" 10 ")).contains(Instant.ofEpochSecond(10));
    }

    @Test
    void unsetEmptyOrOneCharacterMeansOff() throws Exception {
        assertThat(OutputTimestamps.parse(null)).isEmpty();
        assertThat(OutputTimestamps.parse("")).isEmpty();
        assertThat(OutputTimestamps.parse("-")).isEmpty();
        assertThat(OutputTimestamps.parse("x")).isEmpty();
        assertThat(OutputTimestamps.parse("0")).isEmpty();
    }

    @Test
    void anythingElseIsAnErrorNamingThePropertyAndTheForms() {
        assertThatThrownBy(() -> OutputTimestamps.parse("yesterday"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("project.build.outputTimestamp 'yesterday'")
                .hasMessageContaining("ISO-8601").hasMessageContaining("epoch");
        assertThatThrownBy(() -> OutputTimestamps.parse("2026-01-01T00:00:00"))
                .as("no offset: ambiguous").isInstanceOf(ConfigurationException.class);
    }
}
