package dev.jetpack.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming reader and writer give the trees and bytes that ObjectMapper gives. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DOCUMENT = "{\"s\":\"text \\u00e9\\n\",\"i\":7,\"l\":12345678901,"
            + "\"b\":123456789012345678901234567890,\"d\":-1.5e-3,\"t\":true,\"f\":false,\"n\":null,"
            + "\"a\":[1,[2,{}],{\"x\":[]}],\"dup\":1,\"dup\":2}";

    @Test
    void readsTheTreeObjectMapperReads() throws Exception {
        JsonNode ours = JsonTrees.read(DOCUMENT.getBytes(StandardCharsets.UTF_8));
        assertThat(ours).isEqualTo(MAPPER.readTree(DOCUMENT));
        assertThat(ours.get("i").isInt()).isTrue();
        assertThat(ours.get("l").isLong()).isTrue();
        assertThat(ours.get("b").isBigInteger()).isTrue();
        assertThat(ours.get("d").isDouble()).isTrue();
        assertThat(ours.get("dup").intValue()).as("a repeated name: the last one").isEqualTo(2);
        assertThat(JsonTrees.read(DOCUMENT)).isEqualTo(ours);
    }

    @Test
    void writesTheBytesOfObjectMappersPrettyPrinter() throws Exception {
        JsonNode tree = MAPPER.readTree(DOCUMENT);
        assertThat(new String(JsonTrees.writePretty(tree), StandardCharsets.UTF_8))
                .isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        ObjectNode built = JsonTrees.object();
        built.put("importedAt", "2026-12-02T05:00:00Z").putArray("dependencies").add("sha512-00");
        built.put("bytes", 42L);
        assertThat(JsonTrees.writePretty(built)).isEqualTo(MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(built));
    }

    @Test
    void emptyInputIsMissingAndContentAfterTheValueIsAnError() throws Exception {
        assertThat(JsonTrees.read("  \n").isMissingNode()).isTrue();
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1} {\"b\":2}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("content after the JSON value");
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1,}")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("line: 1");
    }
}
