package dev.jetpack.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OsArchTest {
    @ParameterizedTest(name = "{0}/{1} -> {2}/{3}")
    @CsvSource({
            "Linux, amd64, linux, amd64",
            "Linux, x86_64, linux, amd64",
            "Linux, x86, linux, i386",
            "Linux, i686, linux, i386",
            "Linux, aarch64, linux, aarch64",
            "Linux, arm64, linux, aarch64",
            "Linux, arm, linux, armv7l",
            "Linux, ppc64le, linux, ppc64le",
            "Linux, s390x, linux, s390x",
            "FreeBSD, amd64, freebsd, amd64",
            "FreeBSD, arm, freebsd, arm",
            "Mac OS X, x86_64, darwin, x86_64",
            "Mac OS X, amd64, darwin, x86_64",
            "Mac OS X, x86, darwin, i386",
    })
    void mapsJavaNamesToAppcSpelling(String osName, String osArch, String os, String arch) {
        OsArch mapped = OsArch.fromJava(osName, osArch);

        assertThat(mapped).isEqualTo(new OsArch(os, arch));
        assertThat(mapped.isSupported()).isTrue();
    }

    @Test
    void combinationsOutsideTheTableAreMappedButNotSupported() {
        assertThat(OsArch.fromJava("Windows 11", "amd64")).isEqualTo(new OsArch("windows-11", "amd64"));
        assertThat(OsArch.fromJava("Windows 11", "amd64").isSupported()).isFalse();
        assertThat(OsArch.fromJava("Mac OS X", "aarch64").isSupported()).as("darwin/aarch64 is not in appc's table")
                .isFalse();
        assertThat(OsArch.fromJava("Linux", "riscv64")).isEqualTo(new OsArch("linux", "riscv64"));
        assertThat(OsArch.fromJava("Linux", "riscv64").isSupported()).isFalse();
    }

    @Test
    void tableIsTheSpecs() {
        assertThat(OsArch.SUPPORTED).containsOnlyKeys("linux", "freebsd", "darwin");
        assertThat(OsArch.SUPPORTED.get("linux")).containsExactly("amd64", "i386", "aarch64", "aarch64_be",
                "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x");
        assertThat(OsArch.SUPPORTED.get("freebsd")).containsExactly("amd64", "i386", "arm");
        assertThat(OsArch.SUPPORTED.get("darwin")).containsExactly("x86_64", "i386");
        assertThat(OsArch.isSupported("linux", null)).isTrue();
        assertThat(OsArch.isSupported("linux", "arm")).isFalse();
    }

    @Test
    void hostOfThisMachineIsSupportedAndMatchesJava() {
        OsArch host = OsArch.host();

        assertThat(host).isEqualTo(OsArch.fromJava(System.getProperty("os.name"), System.getProperty("os.arch")));
        assertThat(host.os()).isEqualTo("linux"); // CI and dev machines of this project are Linux
        assertThat(host.isSupported()).isTrue();
        assertThat(host.toString()).isEqualTo("linux/" + host.arch());
    }
}
