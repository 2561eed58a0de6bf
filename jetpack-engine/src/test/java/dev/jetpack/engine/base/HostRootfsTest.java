package dev.jetpack.engine.base;

import dev.jetpack.engine.io.HostCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rootfs is checked by running its shell under a plain chroot (no mounts needed for these commands). */
class HostRootfsTest {
    @TempDir
    Path target;

    @Test
    void defaultCommandsGiveAWorkingShellWithRootUserAndNoMountPoints() throws Exception {
        HostRootfs.create(target, HostRootfs.DEFAULT_COMMANDS);

        HostCommand.Result result = HostCommand.run(List.of("chroot", target.toString(), "/bin/sh", "-c",
                "cd /tmp && echo hi > f && cat f | sed s/hi/ho/ && ls / | sort | tr '\\n' ' ' && id -un"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo("ho\nbin etc lib lib64 root tmp root\n");
        assertThat(HostCommand.run(List.of("stat", "-c", "%a", target.resolve("tmp").toString())).output().strip())
                .isEqualTo("1777");
        assertThat(target.resolve("proc")).doesNotExist();
        assertThat(target.resolve("dev")).doesNotExist();
        assertThat(target.resolve("sys")).doesNotExist();
    }

    @Test
    void aCommandTheHostLacksIsNamedInTheError() {
        assertThatThrownBy(() -> HostRootfs.create(target, List.of("sh", "no-such-tool")))
                .isInstanceOf(HostRootfsException.class).hasMessageContaining("no-such-tool");
    }

    @Test
    void busyboxRootfsHasTheAppletsAsSymlinks() throws Exception {
        if (!HostRootfs.busyboxAvailable()) {
            assertThatThrownBy(() -> HostRootfs.busybox(target)).isInstanceOf(HostRootfsException.class)
                    .hasMessageContaining("busybox-static");
            return;
        }
        HostRootfs.busybox(target);
        assertThat(Files.readSymbolicLink(target.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        HostCommand.Result result = HostCommand.run(List.of("chroot", target.toString(), "/bin/sh", "-c",
                "echo ok | awk '{print $1 \"!\"}'"));
        assertThat(result.output()).isEqualTo("ok!\n");
    }
}
