package dev.jetpack.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestValidatorTest {
    static final String ID = "sha512-" + "0123456789abcdef".repeat(8);

    /** A manifest that uses every section and passes every rule; each case below changes one thing. */
    static ImageManifest valid() {
        return new ImageManifest("ImageManifest", "0.8.11", "example.com/app",
                List.of(new Label("version", "1.0"), new Label("os", "linux"), new Label("arch", "amd64")),
                new AppBuilder().build(),
                List.of(new Annotation("created", "2026-01-01T00:00:00Z"),
                        new Annotation("homepage", "https://example.com"),
                        new Annotation("documentation", "http://example.com/docs")),
                List.of(new Dependency("example.com/base", ID, List.of(new Label("os", "linux")), 100L)),
                List.of("/bin/sh", "/etc/"));
    }

    /** Mutable in tests only: valid defaults, one field changed per case. */
    static final class AppBuilder {
        List<String> exec = List.of("/bin/sh", "-c", "true");
        String user = "0";
        String group = "0";
        List<Long> gids = List.of(10L);
        List<EventHandler> handlers = List.of(new EventHandler("pre-start", List.of("/bin/true")),
                new EventHandler("post-stop", List.of("/bin/true")));
        String workingDirectory = "/opt";
        List<EnvironmentVariable> environment = List.of(new EnvironmentVariable("PATH", "/bin"),
                new EnvironmentVariable("JAVA_OPTS", "-Xmx1g"));
        List<Isolator> isolators = List.of(new Isolator("resource/memory", json("{\"limit\": \"1G\"}")));
        List<MountPoint> mounts = List.of(new MountPoint("data", "/data", false));
        List<Port> ports = List.of(new Port("http", "tcp", 8080, null, false), new Port("ftp-data", "tcp", 20000, 1000, false));

        App build() {
            return new App(exec, user, group, gids, handlers, workingDirectory, environment, isolators, mounts,
                    ports, null, null);
        }
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static UnaryOperator<ImageManifest> app(java.util.function.Consumer<AppBuilder> change) {
        return m -> {
            AppBuilder builder = new AppBuilder();
            change.accept(builder);
            return m.withApp(builder.build());
        };
    }

    static UnaryOperator<ImageManifest> labels(Label... labels) {
        return m -> m.withLabels(List.of(labels));
    }

    static UnaryOperator<ImageManifest> annotation(String name, String value) {
        return m -> m.withAnnotation(name, value);
    }

    static UnaryOperator<ImageManifest> dependency(Dependency dependency) {
        return m -> m.withDependencies(List.of(dependency));
    }

    static <T> List<T> plus(List<T> list, T extra) {
        List<T> copy = new ArrayList<>(list);
        copy.add(extra);
        return copy;
    }

    @Test
    void theBaseFixtureIsValid() {
        assertThat(ManifestValidator.validate(valid())).isEmpty();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("acVersion with pre-release and build", (UnaryOperator<ImageManifest>) m -> m.withAcVersion("1.0.0-rc.1+build.5")),
                arguments("acVersion 0.0.1", (UnaryOperator<ImageManifest>) m -> m.withAcVersion("0.0.1")),
                arguments("one-character name", (UnaryOperator<ImageManifest>) m -> m.withName("a")),
                arguments("name with every separator", (UnaryOperator<ImageManifest>) m -> m.withName("a-b.c_d~e/f9")),
                arguments("no labels", labels()),
                arguments("os without arch", labels(new Label("os", "linux"))),
                arguments("freebsd/arm", labels(new Label("os", "freebsd"), new Label("arch", "arm"))),
                arguments("darwin/x86_64", labels(new Label("os", "darwin"), new Label("arch", "x86_64"))),
                arguments("linux/aarch64", labels(new Label("os", "linux"), new Label("arch", "aarch64"))),
                arguments("linux/s390x", labels(new Label("os", "linux"), new Label("arch", "s390x"))),
                arguments("empty label value", labels(new Label("version", ""))),
                arguments("no app", (UnaryOperator<ImageManifest>) m -> m.withApp(null)),
                arguments("app without exec (spec 0.8.11: optional)", app(a -> a.exec = List.of())),
                arguments("exec not absolute (spec 0.8.11: PATH lookup)", app(a -> a.exec = List.of("sh"))),
                arguments("user and group as paths", app(a -> { a.user = "/bin/ping"; a.group = "/bin/ping"; })),
                arguments("no event handlers", app(a -> a.handlers = List.of())),
                arguments("workingDirectory /", app(a -> a.workingDirectory = "/")),
                arguments("no workingDirectory", app(a -> a.workingDirectory = null)),
                arguments("environment names with . and -", app(a -> a.environment = List.of(
                        new EnvironmentVariable("_x.y-z", ""), new EnvironmentVariable("A1", "v")))),
                arguments("supplementary GIDs 0 and 2^32-1", app(a -> a.gids = List.of(0L, 4294967295L))),
                arguments("port 65535 alone", app(a -> a.ports = List.of(new Port("p", "tcp", 65535, null, false)))),
                arguments("port range ending at 65535", app(a -> a.ports = List.of(new Port("p", "tcp", 65000, 536, false)))),
                arguments("port 1 with count 65535", app(a -> a.ports = List.of(new Port("p", "udp", 1, 65535, true)))),
                arguments("any protocol", app(a -> a.ports = List.of(new Port("p", "sctp", 9, null, false)))),
                arguments("relative mount path (spec does not require absolute)",
                        app(a -> a.mounts = List.of(new MountPoint("a-1", "data", true)))),
                arguments("created with fraction and offset", annotation("created", "2014-10-27T19:32:27.67021798+02:00")),
                arguments("homepage with port and path", annotation("homepage", "HTTPS://example.com:8443/x?y=1")),
                arguments("custom annotation", annotation("example.com/anything", "free text")),
                arguments("dependency without imageID, labels and size",
                        dependency(new Dependency("example.com/base", null, null, null))),
                arguments("dependency of size 0", dependency(new Dependency("b", ID, List.of(), 0L))),
                arguments("no pathWhitelist", (UnaryOperator<ImageManifest>) m -> m.withPathWhitelist(List.of())),
                arguments("pathWhitelist /", (UnaryOperator<ImageManifest>) m -> m.withPathWhitelist(List.of("/"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String description, UnaryOperator<ImageManifest> change) {
        assertThat(ManifestValidator.validate(change.apply(valid()))).isEmpty();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcKind(null), "acKind", null, "\"ImageManifest\""),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcKind("PodManifest"), "acKind", "PodManifest", "must be \"ImageManifest\""),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcVersion(null), "acVersion", null, "0.8.11"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcVersion("0.8"), "acVersion", "0.8", "SemVer"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcVersion("v0.8.11"), "acVersion", "v0.8.11", "SemVer"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcVersion("01.2.3"), "acVersion", "01.2.3", "SemVer"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAcVersion("0.0.0"), "acVersion", "0.0.0", "must not be 0.0.0"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName(null), "name", null, "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName(""), "name", "", "needs a name"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName("Example.com/app"), "name", "Example.com/app", "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName("example.com//app"), "name", "example.com//app", "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName("-app"), "name", "-app", "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName("app/"), "name", "app/", "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withName("my app"), "name", "my app", "AC Identifier"),
                arguments(labels(new Label("version", "1"), new Label("version", "2")), "labels[1].name", "version", "labels[0]"),
                arguments(labels(new Label("name", "x")), "labels[0].name", "name", "must not be called \"name\""),
                arguments(labels(new Label("Version", "1")), "labels[0].name", "Version", "AC Identifier"),
                arguments(labels(new Label(null, "1")), "labels[0].name", null, "every label needs a name"),
                arguments(labels(new Label("os", "windows")), "labels[0].value", "windows", "[darwin, freebsd, linux]"),
                arguments(labels(new Label("os", "")), "labels[0].value", "", "os label must be one of"),
                arguments(labels(new Label("os", "linux"), new Label("arch", "x86_64")), "labels[1].value", "x86_64", "for os linux"),
                arguments(labels(new Label("os", "darwin"), new Label("arch", "amd64")), "labels[1].value", "amd64", "[x86_64, i386]"),
                arguments(labels(new Label("os", "freebsd"), new Label("arch", "aarch64")), "labels[1].value", "aarch64", "for os freebsd"),
                arguments(labels(new Label("arch", "amd64")), "labels[0].value", "amd64", "only meaningful together with an os label"),
                arguments(app(a -> a.user = null), "app.user", null, "must not be empty; give the"),
                arguments(app(a -> a.user = ""), "app.user", "", "must not be empty; give the"),
                arguments(app(a -> a.group = null), "app.group", null, "must not be empty; give the"),
                arguments(app(a -> a.gids = List.of(-1L)), "app.supplementaryGIDs[0]", "-1", "between 0 and 4294967295"),
                arguments(app(a -> a.gids = List.of(5L, 4294967296L)), "app.supplementaryGIDs[1]", "4294967296", "between 0"),
                arguments(app(a -> a.handlers = List.of(new EventHandler("on-start", List.of("/x")))),
                        "app.eventHandlers[0].name", "on-start", "\"pre-start\" or \"post-stop\""),
                arguments(app(a -> a.handlers = List.of(new EventHandler(null, List.of("/x")))),
                        "app.eventHandlers[0].name", null, "\"pre-start\" or \"post-stop\""),
                arguments(app(a -> a.handlers = List.of(new EventHandler("pre-start", List.of("/x")),
                        new EventHandler("pre-start", List.of("/y")))), "app.eventHandlers[1].name", "pre-start", "unique"),
                arguments(app(a -> a.workingDirectory = "opt/work"), "app.workingDirectory", "opt/work", "absolute path"),
                arguments(app(a -> a.environment = plus(a.environment, new EnvironmentVariable("1ABC", "x"))),
                        "app.environment[2].name", "1ABC", "does not start with a digit"),
                arguments(app(a -> a.environment = List.of(new EnvironmentVariable("A B", "x"))),
                        "app.environment[0].name", "A B", "letters, digits"),
                arguments(app(a -> a.environment = List.of(new EnvironmentVariable("A=B", "x"))),
                        "app.environment[0].name", "A=B", "letters, digits"),
                arguments(app(a -> a.environment = List.of(new EnvironmentVariable(null, "x"))),
                        "app.environment[0].name", null, "needs a name"),
                arguments(app(a -> a.environment = plus(a.environment, new EnvironmentVariable("PATH", "/usr/bin"))),
                        "app.environment[2].name", "PATH", "already used at app.environment[0]"),
                arguments(app(a -> a.isolators = List.of(new Isolator("Resource/CPU", json("{}")))),
                        "app.isolators[0].name", "Resource/CPU", "AC Identifier"),
                arguments(app(a -> a.isolators = List.of(new Isolator("resource/cpu", null))),
                        "app.isolators[0].value", null, "needs a value"),
                arguments(app(a -> a.mounts = List.of(new MountPoint("my_data", "/d", false))),
                        "app.mountPoints[0].name", "my_data", "AC Name"),
                arguments(app(a -> a.mounts = List.of(new MountPoint("a.b", "/d", false))),
                        "app.mountPoints[0].name", "a.b", "AC Name"),
                arguments(app(a -> a.mounts = List.of(new MountPoint(null, "/d", false))),
                        "app.mountPoints[0].name", null, "AC Name"),
                arguments(app(a -> a.mounts = List.of(new MountPoint("d", null, false))),
                        "app.mountPoints[0].path", null, "must not be empty; give the"),
                arguments(app(a -> a.mounts = List.of(new MountPoint("d", "/a", false), new MountPoint("d", "/b", true))),
                        "app.mountPoints[1].name", "d", "unique"),
                arguments(app(a -> a.ports = List.of(new Port("HTTP", "tcp", 80, null, false))),
                        "app.ports[0].name", "HTTP", "AC Name"),
                arguments(app(a -> a.ports = List.of(new Port("web/http", "tcp", 80, null, false))),
                        "app.ports[0].name", "web/http", "AC Name"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", 80, null, false), new Port("h", "udp", 81, null, false))),
                        "app.ports[1].name", "h", "unique"),
                arguments(app(a -> a.ports = List.of(new Port("h", null, 80, null, false))),
                        "app.ports[0].protocol", null, "tcp or udp"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", null, null, false))),
                        "app.ports[0].port", null, "1 to 65535"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", 0, null, false))),
                        "app.ports[0].port", "0", "between 1 and 65535"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", 65536, null, false))),
                        "app.ports[0].port", "65536", "between 1 and 65535"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", 80, 0, false))),
                        "app.ports[0].count", "0", "at least 1"),
                arguments(app(a -> a.ports = List.of(new Port("h", "tcp", 65000, 537, false))),
                        "app.ports[0].count", "537", "port + count must not exceed 65536"),
                arguments(annotation("homepage", "example.com"), "annotations[1].value", "example.com", "http or https URL"),
                arguments(annotation("documentation", "ftp://example.com/docs"), "annotations[2].value", "ftp://example.com/docs", "http or https URL"),
                arguments(annotation("documentation", "https://"), "annotations[2].value", "https://", "http or https URL"),
                arguments(annotation("created", "2014-10-27 19:32:27Z"), "annotations[0].value", "2014-10-27 19:32:27Z", "RFC 3339"),
                arguments(annotation("created", "2014-10-27T19:32Z"), "annotations[0].value", "2014-10-27T19:32Z", "RFC 3339"),
                arguments(annotation("created", "2014-13-27T19:32:00Z"), "annotations[0].value", "2014-13-27T19:32:00Z", "RFC 3339"),
                arguments(annotation("created", "2014-10-27T19:32:00"), "annotations[0].value", "2014-10-27T19:32:00", "RFC 3339"),
                arguments(annotation("Bad_Name", "x"), "annotations[3].name", "Bad_Name", "AC Identifier"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withAnnotations(List.of(new Annotation("authors", "a"),
                        new Annotation("authors", "b"))), "annotations[1].name", "authors", "unique"),
                arguments(dependency(new Dependency(null, null, null, null)), "dependencies[0].imageName", null, "needs the image's name"),
                arguments(dependency(new Dependency("Base", null, null, null)), "dependencies[0].imageName", "Base", "AC Identifier"),
                arguments(dependency(new Dependency("b", "sha512-...", null, null)), "dependencies[0].imageID", "sha512-...", "128"),
                arguments(dependency(new Dependency("b", "sha256-" + "ab".repeat(32), null, null)), "dependencies[0].imageID", "sha256-" + "ab".repeat(32), "sha512-"),
                arguments(dependency(new Dependency("b", ID.toUpperCase().replace("SHA", "sha"), null, null)), "dependencies[0].imageID",
                        ID.toUpperCase().replace("SHA", "sha"), "lower-case hex"),
                arguments(dependency(new Dependency("b", null, List.of(new Label("name", "x")), null)),
                        "dependencies[0].labels[0].name", "name", "must not be called \"name\""),
                arguments(dependency(new Dependency("b", null, List.of(new Label("os", "plan9")), null)),
                        "dependencies[0].labels[0].value", "plan9", "os label"),
                arguments(dependency(new Dependency("b", null, null, -1L)), "dependencies[0].size", "-1", "cannot be negative"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withPathWhitelist(List.of("/a", "etc/passwd")),
                        "pathWhitelist[1]", "etc/passwd", "absolute path"),
                arguments((UnaryOperator<ImageManifest>) m -> m.withPathWhitelist(List.of("")),
                        "pathWhitelist[0]", "", "absolute path"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("rejected")
    void rejectsNamingFieldValueAndRule(UnaryOperator<ImageManifest> change, String field, String value,
            String ruleFragment) {
        List<ManifestProblem> problems = ManifestValidator.validate(change.apply(valid()));

        assertThat(problems).hasSize(1);
        ManifestProblem problem = problems.get(0);
        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.value()).isEqualTo(value);
        assertThat(problem.rule()).contains(ruleFragment);
    }

    @Test
    void reportsAllProblemsAtOnce() {
        ImageManifest bad = new ImageManifest("Image", "0.0.0", "Bad Name",
                List.of(new Label("name", "x"), new Label("arch", "amd64")),
                App.of(List.of(), null, "0").withWorkingDirectory("rel"),
                List.of(new Annotation("created", "yesterday")),
                List.of(new Dependency(null, "x", null, null)),
                List.of("rel"));

        assertThat(ManifestValidator.validate(bad)).extracting(ManifestProblem::field).containsExactly(
                "acKind", "acVersion", "name", "labels[0].name", "labels[1].value", "app.user",
                "app.workingDirectory", "annotations[0].value", "dependencies[0].imageName",
                "dependencies[0].imageID", "pathWhitelist[0]");
    }

    @Test
    void requireValidThrowsWithEveryProblemAndTheSourceInTheMessage() {
        ImageManifest bad = valid().withName("Bad").withApp(
                new AppBuilder().build().withEnvironment(List.of(new EnvironmentVariable("OK", ""),
                        new EnvironmentVariable("OK", ""), new EnvironmentVariable("9X", ""))));

        assertThatThrownBy(() -> ManifestValidator.requireValid(bad, "build/manifest.json"))
                .isInstanceOfSatisfying(InvalidManifestException.class,
                        e -> assertThat(e.problems()).hasSize(3))
                .hasMessageStartingWith("Invalid image manifest build/manifest.json: 3 problems")
                .hasMessageContaining("\n  - name = \"Bad\": must be an AC Identifier")
                .hasMessageContaining("\n  - app.environment[1].name = \"OK\": this environment variable name is"
                        + " already used at app.environment[0]")
                .hasMessageContaining("\n  - app.environment[2].name = \"9X\": an environment variable name");
    }

    @Test
    void requireValidReturnsAValidManifest() {
        assertThat(ManifestValidator.requireValid(valid(), "x")).isEqualTo(valid());
    }

    @Test
    void aMissingFieldReadsAsMissingInTheMessage() {
        assertThat(new ManifestProblem("app.user", null, "is required").toString())
                .isEqualTo("app.user is missing: is required");
    }
}
