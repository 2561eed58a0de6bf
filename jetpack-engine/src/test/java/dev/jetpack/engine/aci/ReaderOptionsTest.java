package dev.jetpack.engine.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The messages of a refused image name the setting a user changes, in the spelling of the face that set it. */
class ReaderOptionsTest {
    private static final ReaderOptions.SettingNames CLI = new ReaderOptions.SettingNames("--devices {}",
            "--max-image-size {}", "--max-expansion-ratio {}");

    @Test
    void aRefusedDeviceNamesTheSettingThatAllowsIt() {
        TarEntry disk = new TarEntry("rootfs/dev/sda", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 6, 0, Instant.EPOCH, "",
                8, 0, Map.of());
        ReaderOptions cli = ReaderOptions.untrusted().toBuilder().settingNames(CLI).build();

        assertThatThrownBy(() -> cli.requireDeviceAllowed(disk)).isInstanceOf(AciFormatException.class)
                .hasMessageContainingAll("rootfs/dev/sda", "BLOCK_DEVICE 8:0", "device policy standard",
                        "with --devices all");
        assertThatThrownBy(() -> ReaderOptions.untrusted().requireDeviceAllowed(disk))
                .hasMessageContaining("ReaderOptions.Builder.devices(all)");
        cli.toBuilder().devices(DevicePolicy.ALL).build().requireDeviceAllowed(disk);
    }

    @Test
    void aDeclaredSizeOverTheLimitNamesTheSizeSetting() {
        TarEntry big = new TarEntry("rootfs/big", TarEntry.Type.FILE, 0644, 0, 0, 2048, Instant.EPOCH, "", 0, 0,
                Map.of());
        ReaderOptions small = ReaderOptions.builder().maxUncompressedBytes(1024).settingNames(CLI).build();

        assertThatThrownBy(() -> small.requireDeclaredSizeWithinLimit(big))
                .hasMessageContainingAll("rootfs/big", "2048 bytes", "raise the limit with --max-image-size SIZE",
                        "(now 1024 bytes)");
        assertThat(small.toBuilder().build().settingNames()).isEqualTo(CLI);
        assertThat(ReaderOptions.ownOutput().maxExpansionRatio()).isEqualTo(Long.MAX_VALUE);
        assertThat(ReaderOptions.ownOutput().devices()).isEqualTo(DevicePolicy.ALL);
    }

    @Test
    void devicePoliciesAreParsedFromTheUsersWords() {
        assertThat(DevicePolicy.parse(" All ", "--devices")).isEqualTo(DevicePolicy.ALL);
        assertThat(DevicePolicy.parse("standard", "--devices")).isEqualTo(DevicePolicy.STANDARD);
        assertThat(DevicePolicy.parse("NONE", "--devices")).isEqualTo(DevicePolicy.NONE);
        assertThatThrownBy(() -> DevicePolicy.parse("most", "--devices")).isInstanceOf(JetpackException.class)
                .hasMessageContainingAll("--devices", "'most'", "all", "standard", "none");
    }
}
