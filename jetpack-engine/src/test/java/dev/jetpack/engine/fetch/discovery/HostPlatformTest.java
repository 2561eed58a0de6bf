package dev.jetpack.engine.fetch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostPlatformTest {
    @Test
    void spellsJavaArchitecturesTheAppcWay() {
        assertThat(HostPlatform.appcArch("amd64")).isEqualTo("amd64");
        assertThat(HostPlatform.appcArch("x86_64")).isEqualTo("amd64");
        assertThat(HostPlatform.appcArch("aarch64")).isEqualTo("aarch64");
        assertThat(HostPlatform.appcArch("arm64")).isEqualTo("aarch64");
        assertThat(HostPlatform.appcArch("x86")).isEqualTo("i386");
        assertThat(HostPlatform.appcArch("ppc64le")).isEqualTo("ppc64le");
    }

    @Test
    void spellsOperatingSystemsTheAppcWay() {
        assertThat(HostPlatform.appcOs("Linux")).isEqualTo("linux");
        assertThat(HostPlatform.appcOs("FreeBSD")).isEqualTo("freebsd");
        assertThat(HostPlatform.appcOs("Mac OS X")).isEqualTo("darwin");
    }
}
