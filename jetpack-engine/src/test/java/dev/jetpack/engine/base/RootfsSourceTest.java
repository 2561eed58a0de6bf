package dev.jetpack.engine.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootfsSourceTest {
    private static final Path BASE = Path.of("/project");

    @Test
    void formsAreToldApartByTheirPrefix() {
        assertThat(RootfsSource.parse("host:", BASE)).isEqualTo(new RootfsSource.HostBinaries(HostRootfs.DEFAULT_COMMANDS));
        assertThat(RootfsSource.parse(" host: sh, cat ", BASE)).isEqualTo(new RootfsSource.HostBinaries(List.of("sh", "cat")));
        assertThat(RootfsSource.parse("busybox:", BASE)).isEqualTo(new RootfsSource.Busybox());
        assertThat(RootfsSource.parse("rootfs.tar.gz", BASE)).isEqualTo(new RootfsSource.Existing(Path.of("/project/rootfs.tar.gz")));
        assertThat(RootfsSource.parse("/abs/dir", BASE)).isEqualTo(new RootfsSource.Existing(Path.of("/abs/dir")));
    }

    @Test
    void badInputSaysWhatIsAccepted() {
        assertThatThrownBy(() -> RootfsSource.parse(" ", BASE)).isInstanceOf(JetpackException.class)
                .hasMessageContaining("host:");
        assertThatThrownBy(() -> RootfsSource.parse("host:sh,/bin/ls", BASE)).hasMessageContaining("'/bin/ls'");
        assertThatThrownBy(() -> RootfsSource.parse("host:sh,,ls", BASE)).hasMessageContaining("Invalid command ''");
    }
}
