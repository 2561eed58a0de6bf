package dev.jetpack.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "example.com/app", "a-b.c_d~e/f", "coreos.com/etcd", "x1/y2"})
    void acIdentifiers(String text) {
        assertThat(AcSyntax.isAcIdentifier(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "a--b", "a/", "/a", ".a", "a b", "a:b", "a__b", "ä"})
    void notAcIdentifiers(String text) {
        assertThat(AcSyntax.isAcIdentifier(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "ftp-data", "a1-b2-c3"})
    void acNames(String text) {
        assertThat(AcSyntax.isAcName(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a--b", "a.b", "a_b", "a/b", "Http"})
    void notAcNames(String text) {
        assertThat(AcSyntax.isAcName(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.8.11", "1.0.0", "0.0.0", "1.2.3-alpha.1", "1.2.3+build.7", "1.2.3-0.a-b+x.y"})
    void semVers(String text) {
        assertThat(AcSyntax.isSemVer(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "v1.2.3", " 1.2.3"})
    void notSemVers(String text) {
        assertThat(AcSyntax.isSemVer(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T00:00:00Z", "2014-10-27T19:32:27.67021798Z", "2026-06-30T23:59:59-07:00"})
    void rfc3339(String text) {
        assertThat(AcSyntax.isRfc3339(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01", "2026-01-01T00:00Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z",
            "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+0100"})
    void notRfc3339(String text) {
        assertThat(AcSyntax.isRfc3339(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "https://example.com/docs?a=b#c", "HTTP://EXAMPLE.COM:80/"})
    void httpUrls(String text) {
        assertThat(AcSyntax.isHttpUrl(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "ftp://example.com", "https://", "https:///path", "mailto:a@b",
            "http://exa mple.com"})
    void notHttpUrls(String text) {
        assertThat(AcSyntax.isHttpUrl(text)).isFalse();
    }
}
