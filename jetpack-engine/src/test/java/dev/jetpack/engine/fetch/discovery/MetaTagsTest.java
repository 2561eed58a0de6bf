package dev.jetpack.engine.fetch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetaTagsTest {
    @Test
    void readsMetaTagsWrittenInAnyStyle() {
        String html = """
                <!DOCTYPE html><html><HEAD>
                <meta charset="utf-8">
                <META NAME="ac-discovery" CONTENT="example.com https://a.example.com/{name}.{ext}">
                <meta content='example.com https://b.example.com/{name}-{version}.{ext}' name='ac-discovery'/>
                <meta name=ac-discovery-pubkeys content="example.com https://example.com/keys.asc" >
                <meta name="ac-discovery" content="example.com https://c.example.com/{name}.{ext}?a=1&amp;b=2">
                <!-- <meta name="ac-discovery" content="example.com https://commented.out/{name}.{ext}"> -->
                </head><body>Hello</body></html>
                """;

        List<MetaTags.Meta> tags = MetaTags.parse(html);

        assertThat(tags).containsExactly(
                new MetaTags.Meta("ac-discovery", "example.com https://a.example.com/{name}.{ext}"),
                new MetaTags.Meta("ac-discovery", "example.com https://b.example.com/{name}-{version}.{ext}"),
                new MetaTags.Meta("ac-discovery-pubkeys", "example.com https://example.com/keys.asc"),
                new MetaTags.Meta("ac-discovery", "example.com https://c.example.com/{name}.{ext}?a=1&b=2"));
    }

    @Test
    void decodesNumericCharacterReferences() {
        assertThat(MetaTags.decodeEntities("a&#47;b&#x2F;c &lt;x&gt; &bogus;")).isEqualTo("a/b/c <x> &bogus;");
    }

    @Test
    void ignoresTagsWithoutNameOrContent() {
        assertThat(MetaTags.parse("<meta name=\"x\"><meta content=\"y\"><metadata name=a content=b>")).isEmpty();
    }
}
