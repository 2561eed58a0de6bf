package dev.jetpack.engine.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCodecTest {
    private static ImageManifest read(String json) {
        return ManifestCodec.read(json.getBytes(UTF_8), "test.json");
    }

    private static String write(ImageManifest manifest, boolean pretty) {
        return new String(ManifestCodec.write(manifest, pretty), UTF_8);
    }

    static byte[] specExample() throws IOException {
        try (InputStream in = ManifestCodecTest.class.getResourceAsStream("spec-example.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheSpecsOwnExampleWithEveryField() throws IOException {
        ImageManifest m = ManifestCodec.read(specExample(), "spec-example.json");

        assertThat(m.acKind()).isEqualTo("ImageManifest");
        assertThat(m.acVersion()).isEqualTo("0.8.11");
        assertThat(m.name()).isEqualTo("example.com/reduce-worker");
        assertThat(m.labels()).containsExactly(new Label("version", "1.0.0"), new Label("arch", "amd64"),
                new Label("os", "linux"));
        assertThat(m.label("os")).contains("linux");
        App app = m.app();
        assertThat(app.exec()).containsExactly("/usr/bin/reduce-worker", "--quiet");
        assertThat(app.user()).isEqualTo("100");
        assertThat(app.group()).isEqualTo("300");
        assertThat(app.supplementaryGIDs()).as("spelled supplementaryGids in the example").containsExactly(400L, 500L);
        assertThat(app.eventHandlers()).containsExactly(
                new EventHandler("pre-start", List.of("/usr/bin/data-downloader")),
                new EventHandler("post-stop", List.of("/usr/bin/deregister-worker", "--verbose")));
        assertThat(app.workingDirectory()).isEqualTo("/opt/work");
        assertThat(app.environmentVariable("REDUCE_WORKER_DEBUG")).contains("true");
        assertThat(app.isolators()).extracting(Isolator::name)
                .containsExactly("resource/cpu", "resource/memory", "os/linux/capabilities-retain-set");
        assertThat(app.isolators().get(1).value().get("limit").textValue()).isEqualTo("2G");
        assertThat(app.isolators().get(2).value().get("set").get(0).textValue()).isEqualTo("CAP_NET_BIND_SERVICE");
        assertThat(app.mountPoints()).containsExactly(new MountPoint("work", "/var/lib/work", false));
        assertThat(app.ports()).containsExactly(new Port("health", "tcp", 4000, null, true),
                new Port("ftp-data", "tcp", 20000, 1000, false));
        assertThat(m.dependencies()).containsExactly(new Dependency("example.com/reduce-worker-base", "sha512-...",
                List.of(new Label("os", "linux"), new Label("env", "canary")), 22017258L));
        assertThat(m.pathWhitelist()).hasSize(5).startsWith("/etc/ca/example.com/crt").endsWith("/etc/systemd/system/");
        assertThat(m.annotations()).hasSize(5);
        assertThat(m.annotation("created")).contains("2014-10-27T19:32:27.67021798Z");
        assertThat(m.annotation("appc.io/executor/supports-systemd-notify")).contains("false");
    }

    @Test
    void theSpecExampleBreaksOnlyTheImageIdRuleBecauseItAbbreviatesTheId() throws IOException {
        ImageManifest m = ManifestCodec.read(specExample(), "spec-example.json");

        assertThat(ManifestValidator.validate(m)).extracting(ManifestProblem::field)
                .containsExactly("dependencies[0].imageID");
    }

    @Test
    void roundTripReadWriteReadKeepsEverything() throws IOException {
        ImageManifest first = ManifestCodec.read(specExample());

        for (boolean pretty : new boolean[] {true, false}) {
            ImageManifest second = ManifestCodec.read(ManifestCodec.write(first, pretty));
            assertThat(second).isEqualTo(first);
            assertThat(ManifestCodec.write(second, pretty)).isEqualTo(ManifestCodec.write(first, pretty));
        }
    }

    @Test
    void sameManifestGivesIdenticalBytesWhateverTheInputsKeyOrderCaseAndSpacing() throws IOException {
        String shuffled = """
                {"PATHWHITELIST": ["/a"], "name": "example.com/x",
                 "app": {"group": "0", "user": "0", "Exec": ["/bin/sh"],
                         "isolators": [{"value": {"limit": "1G", "request": "512M"}, "name": "resource/memory"}]},
                 "labels": [{"value": "1", "name": "version"}], "acversion": "0.8.11", "ACKIND": "ImageManifest"}""";
        String ordered = """
                {
                  "acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/x",
                  "labels": [{"name": "version", "value": "1"}],
                  "app": {"exec": ["/bin/sh"], "user": "0", "group": "0",
                          "isolators": [{"name": "resource/memory", "value": {"request": "512M", "limit": "1G"}}]},
                  "pathWhitelist": ["/a"]
                }
                """;

        assertThat(read(shuffled)).isEqualTo(read(ordered));
        assertThat(ManifestCodec.write(read(shuffled), true)).isEqualTo(ManifestCodec.write(read(ordered), true));
        assertThat(ManifestCodec.write(read(shuffled), false)).isEqualTo(ManifestCodec.write(read(ordered), false));
    }

    @Test
    void prettyOutputIsCanonicalSpecOrderTwoSpaceIndentAndFinalNewline() {
        ImageManifest m = read("""
                {"pathWhitelist": ["/bin/sh"], "annotations": [{"name": "authors", "value": "me"}],
                 "dependencies": [{"size": 5, "labels": [{"name": "os", "value": "linux"}], "imageName": "b"}],
                 "app": {"ports": [{"socketActivated": false, "count": 2, "port": 80, "protocol": "tcp", "name": "http"}],
                         "mountPoints": [{"readOnly": true, "path": "/d", "name": "d"}],
                         "isolators": [{"value": {"b": 1, "a": [true, null]}, "name": "x/y"}],
                         "environment": [{"value": "1", "name": "A"}], "workingDirectory": "/w",
                         "eventHandlers": [{"exec": ["/x"], "name": "pre-start"}], "supplementaryGIDs": [7],
                         "group": "0", "user": "0", "exec": ["/bin/sh", "-c", "x"],
                         "userLabels": {"z": "1", "a": "2"}, "userAnnotations": {"k": "v"}},
                 "labels": [{"value": "linux", "name": "os"}], "name": "example.com/a", "acVersion": "0.8.11",
                 "acKind": "ImageManifest"}""");

        assertThat(write(m, true)).isEqualTo("""
                {
                  "acKind": "ImageManifest",
                  "acVersion": "0.8.11",
                  "name": "example.com/a",
                  "labels": [
                    {
                      "name": "os",
                      "value": "linux"
                    }
                  ],
                  "app": {
                    "exec": [
                      "/bin/sh",
                      "-c",
                      "x"
                    ],
                    "user": "0",
                    "group": "0",
                    "supplementaryGIDs": [
                      7
                    ],
                    "eventHandlers": [
                      {
                        "name": "pre-start",
                        "exec": [
                          "/x"
                        ]
                      }
                    ],
                    "workingDirectory": "/w",
                    "environment": [
                      {
                        "name": "A",
                        "value": "1"
                      }
                    ],
                    "isolators": [
                      {
                        "name": "x/y",
                        "value": {
                          "a": [
                            true,
                            null
                          ],
                          "b": 1
                        }
                      }
                    ],
                    "mountPoints": [
                      {
                        "name": "d",
                        "path": "/d",
                        "readOnly": true
                      }
                    ],
                    "ports": [
                      {
                        "name": "http",
                        "protocol": "tcp",
                        "port": 80,
                        "count": 2
                      }
                    ],
                    "userAnnotations": {
                      "k": "v"
                    },
                    "userLabels": {
                      "a": "2",
                      "z": "1"
                    }
                  },
                  "annotations": [
                    {
                      "name": "authors",
                      "value": "me"
                    }
                  ],
                  "dependencies": [
                    {
                      "imageName": "b",
                      "labels": [
                        {
                          "name": "os",
                          "value": "linux"
                        }
                      ],
                      "size": 5
                    }
                  ],
                  "pathWhitelist": [
                    "/bin/sh"
                  ]
                }
                """);
    }

    @Test
    void compactOutputHasNoWhitespaceAndNoNewline() {
        ImageManifest m = ImageManifest.named("example.com/a").withLabel("os", "linux");

        assertThat(write(m, false)).isEqualTo("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
                + "\"name\":\"example.com/a\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"}]}");
    }

    @Test
    void writesNoNullsNoEmptySectionsAndNoFalseDefaults() {
        ImageManifest m = new ImageManifest(null, null, "example.com/partial", List.of(),
                new App(List.of(), "0", "0", List.of(), List.of(), null, List.of(), List.of(),
                        List.of(new MountPoint("m", "/m", false)), List.of(new Port("p", "tcp", 1, null, false)),
                        Map.of(), Map.of()),
                List.of(), List.of(), List.of());

        assertThat(write(m, false)).isEqualTo("{\"name\":\"example.com/partial\",\"app\":{\"user\":\"0\","
                + "\"group\":\"0\",\"mountPoints\":[{\"name\":\"m\",\"path\":\"/m\"}],"
                + "\"ports\":[{\"name\":\"p\",\"protocol\":\"tcp\",\"port\":1}]}}");
    }

    @Test
    void keysMatchCaseInsensitivelyAsInTheReferenceParser() {
        ImageManifest m = read("""
                {"ACKind": "ImageManifest", "ACVERSION": "0.8.11", "Name": "example.com/a",
                 "Labels": [{"NAME": "os", "Value": "linux"}],
                 "App": {"EXEC": ["/bin/sh"], "User": "0", "GROUP": "0", "supplementarygids": [1],
                         "WorkingDirectory": "/", "ENVIRONMENT": [{"Name": "A", "VALUE": "b"}],
                         "MountPoints": [{"Name": "m", "PATH": "/m", "READONLY": true}],
                         "Ports": [{"NAME": "p", "Protocol": "udp", "PORT": 53, "COUNT": 2, "SocketActivated": true}],
                         "EventHandlers": [{"NAME": "post-stop", "EXEC": ["/x"]}],
                         "Isolators": [{"NAME": "resource/cpu", "VALUE": {"limit": "1"}}]},
                 "Annotations": [{"Name": "authors", "Value": "x"}],
                 "Dependencies": [{"IMAGENAME": "example.com/b", "ImageId": null, "Size": 3,
                                   "LABELS": [{"name": "os", "value": "linux"}]}],
                 "PathWhiteList": ["/m"]}""");

        assertThat(m.acKind()).isEqualTo("ImageManifest");
        assertThat(m.acVersion()).isEqualTo("0.8.11");
        assertThat(m.name()).isEqualTo("example.com/a");
        assertThat(m.labels()).containsExactly(new Label("os", "linux"));
        assertThat(m.app().exec()).containsExactly("/bin/sh");
        assertThat(m.app().supplementaryGIDs()).containsExactly(1L);
        assertThat(m.app().workingDirectory()).isEqualTo("/");
        assertThat(m.app().environment()).containsExactly(new EnvironmentVariable("A", "b"));
        assertThat(m.app().mountPoints()).containsExactly(new MountPoint("m", "/m", true));
        assertThat(m.app().ports()).containsExactly(new Port("p", "udp", 53, 2, true));
        assertThat(m.app().eventHandlers()).containsExactly(new EventHandler("post-stop", List.of("/x")));
        assertThat(m.app().isolators().get(0).value().get("limit").textValue()).isEqualTo("1");
        assertThat(m.annotations()).containsExactly(new Annotation("authors", "x"));
        assertThat(m.dependencies()).containsExactly(
                new Dependency("example.com/b", null, List.of(new Label("os", "linux")), 3L));
        assertThat(m.pathWhitelist()).containsExactly("/m");
        assertThat(ManifestValidator.validate(m)).isEmpty();
    }

    @Test
    void unknownFieldsAnywhereAreIgnored() {
        ImageManifest m = read("""
                {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/a", "future": {"x": [1]},
                 "labels": [{"name": "os", "value": "linux", "comment": "why"}],
                 "app": {"exec": ["/bin/sh"], "user": "0", "group": "0", "criLabels": {"a": "b"}, "extra": 1},
                 "dependencies": [{"imageName": "example.com/b", "hash": "x"}]}""");

        assertThat(m).isEqualTo(ImageManifest.named("example.com/a").withLabel("os", "linux")
                .withApp(App.of(List.of("/bin/sh"), "0", "0"))
                .withDependencies(List.of(new Dependency("example.com/b", null, null, null))));
    }

    @Test
    void aLaterDuplicateKeyWinsAsInGo() {
        ImageManifest m = read("{\"name\": \"example.com/first\", \"NAME\": \"example.com/second\"}");

        assertThat(m.name()).isEqualTo("example.com/second");
    }

    @Test
    void nullCountsAsAbsentAndMissingValuesReadAsEmpty() {
        ImageManifest m = read("""
                {"acKind": null, "name": "example.com/a", "labels": [{"name": "os", "value": null}, {"name": "arch"}],
                 "app": null, "annotations": null, "pathWhitelist": null}""");

        assertThat(m.acKind()).isNull();
        assertThat(m.app()).isNull();
        assertThat(m.labels()).containsExactly(new Label("os", ""), new Label("arch", ""));
        assertThat(m.annotations()).isEmpty();
        assertThat(m.pathWhitelist()).isEmpty();
    }

    @Test
    void anEmptyWorkingDirectoryReadsAsAbsentLikeTheReferenceParsersOmitEmpty() {
        ImageManifest m = read("{\"app\": {\"user\": \"0\", \"group\": \"0\", \"workingDirectory\": \"\"}}");

        assertThat(m.app().workingDirectory()).isNull();
    }

    @Test
    void aPartialManifestWithoutKindAndVersionReads() {
        ImageManifest m = read("{\"name\": \"example.com/child\"}");

        assertThat(m).isEqualTo(new ImageManifest(null, null, "example.com/child", null, null, null, null, null));
        assertThat(ManifestValidator.validate(m)).extracting(ManifestProblem::field)
                .containsExactly("acKind", "acVersion");
    }

    @Test
    void syntaxErrorNamesTheSourceLineColumnAndFix() {
        String broken = "{\n  \"name\": \"example.com/a\"\n  \"acKind\": \"ImageManifest\"\n}";

        assertThatThrownBy(() -> ManifestCodec.read(broken.getBytes(UTF_8), "/work/build/manifest.json"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("/work/build/manifest.json")
                .hasMessageContaining("not valid JSON at line 3, column 3")
                .hasMessageContaining("Fix the JSON syntax");
    }

    @Test
    void trailingGarbageAfterTheObjectIsASyntaxError() {
        assertThatThrownBy(() -> read("{\"name\": \"example.com/a\"} x"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("test.json").hasMessageContaining("not valid JSON at line 1");
    }

    @Test
    void emptyInputIsRefusedWithAnExample() {
        assertThatThrownBy(() -> read("  \n"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("test.json: it is empty")
                .hasMessageContaining("\"acKind\": \"ImageManifest\"");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsFieldPath() {
        assertThatThrownBy(() -> read("{\"app\": {\"ports\": [{\"name\": \"http\", \"port\": \"80\"}]}}"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("test.json")
                .hasMessageContaining("app.ports[0].port must be a whole number")
                .hasMessageContaining("but is a string \"80\"");
        assertThatThrownBy(() -> read("{\"labels\": {\"os\": \"linux\"}}"))
                .hasMessageContaining("labels must be a JSON array");
        assertThatThrownBy(() -> read("[1]")).hasMessageContaining("the top level must be a JSON object");
        assertThatThrownBy(() -> read("{\"app\": {\"exec\": [\"/bin/sh\", 1]}}"))
                .hasMessageContaining("app.exec[1] must be a string");
        assertThatThrownBy(() -> read("{\"app\": {\"mountPoints\": [{\"readOnly\": \"yes\"}]}}"))
                .hasMessageContaining("app.mountPoints[0].readOnly must be true or false");
        assertThatThrownBy(() -> read("{\"app\": {\"ports\": [{\"port\": 80.5}]}}"))
                .hasMessageContaining("app.ports[0].port must be a whole number");
        assertThatThrownBy(() -> read("{\"dependencies\": [{\"size\": 1e400}]}"))
                .hasMessageContaining("dependencies[0].size must be a whole number");
    }

    @Test
    void readsFromAFileNamingItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.write(file, ManifestCodec.write(ImageManifest.named("example.com/a"), true));

        assertThat(ManifestCodec.read(file)).isEqualTo(ImageManifest.named("example.com/a"));

        Files.writeString(file, "{");
        assertThatThrownBy(() -> ManifestCodec.read(file)).hasMessageContaining(file.toString());
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ManifestCodec.read(missing))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining(missing + " does not exist");
    }

    @Test
    void readsFromAStream() throws IOException {
        assertThat(ManifestCodec.read(new ByteArrayInputStream(specExample())))
                .isEqualTo(ManifestCodec.read(specExample()));
        assertThatThrownBy(() -> ManifestCodec.read(new ByteArrayInputStream("{,".getBytes(UTF_8)), "stdin"))
                .hasMessageContaining("stdin");
    }

    @Test
    void writtenJsonIsWhatAGenericParserSees() throws IOException {
        byte[] bytes = ManifestCodec.write(ManifestCodec.read(specExample()), true);

        var tree = new ObjectMapper().readTree(bytes);
        assertThat(tree.get("app").get("supplementaryGIDs").toString()).isEqualTo("[400,500]");
        assertThat(tree.get("app").get("mountPoints").get(0).has("readOnly")).isFalse();
        assertThat(tree.get("app").get("ports").get(0).get("socketActivated").booleanValue()).isTrue();
        assertThat(tree.get("dependencies").get(0).get("size").longValue()).isEqualTo(22017258L);
    }

    @Test
    void isolatorValuesStayPrivateCopies() {
        ImageManifest m = read("{\"app\": {\"isolators\": [{\"name\": \"a\", \"value\": {\"k\": \"v\"}}]}}");

        ((com.fasterxml.jackson.databind.node.ObjectNode) m.app().isolators().get(0).value()).put("k", "changed");

        assertThat(m.app().isolators().get(0).value().get("k").textValue()).isEqualTo("v");
    }
}
