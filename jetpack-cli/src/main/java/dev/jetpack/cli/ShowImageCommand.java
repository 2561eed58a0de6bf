package dev.jetpack.cli;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.App;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.store.StoredImage;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jetpack show-image IMAGE}: what the store knows about one image, one field per line. */
@Command(name = "show-image", mixinStandardHelpOptions = true,
        description = {"Show a stored image: ID, name, labels, annotations, dependencies, app.",
            "Each line is FIELD, two or more spaces, VALUE; a field with several values continues on indented"
                + " lines."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ShowImageCommand extends JetpackSubcommand {
    @Parameters(paramLabel = "IMAGE", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    String image;

    @Override
    public Integer call() {
        StoredImage found = jetpack().find(image);
        Table.print(describe(found), terminal());
        return ExitCode.OK;
    }

    static List<List<String>> describe(StoredImage image) {
        ImageManifest manifest = image.manifest();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", image.id().value()));
        rows.add(List.of("Name", manifest.name()));
        many(rows, "Labels", manifest.labels().stream().map(l -> l.name() + "=" + l.value()).toList());
        many(rows, "Annotations", manifest.annotations().stream().map(a -> a.name() + "=" + a.value()).toList());
        rows.add(List.of("Size", Long.toString(image.aciSize())));
        rows.add(List.of("Imported", image.importedAt().truncatedTo(ChronoUnit.SECONDS).toString()));
        List<String> dependencies = new ArrayList<>();
        for (Dependency dependency : manifest.dependencies()) {
            dependencies.add(describe(dependency));
        }
        many(rows, "Dependencies", dependencies);
        if (!manifest.pathWhitelist().isEmpty()) {
            rows.add(List.of("PathWhitelist", manifest.pathWhitelist().size() + " paths"));
        }
        App app = manifest.app();
        if (app != null) {
            rows.add(List.of("Exec", String.join(" ", app.exec())));
            rows.add(List.of("User", nullToDash(app.user()) + ":" + nullToDash(app.group())));
            if (app.workingDirectory() != null) {
                rows.add(List.of("WorkingDirectory", app.workingDirectory()));
            }
            many(rows, "Environment", app.environment().stream().map(e -> e.name() + "=" + e.value()).toList());
            many(rows, "MountPoints", app.mountPoints().stream()
                    .map(m -> m.name() + ":" + m.path() + (m.readOnly() ? " (ro)" : "")).toList());
            many(rows, "Ports", app.ports().stream()
                    .map(p -> p.name() + ":" + p.protocol() + "/" + p.port()).toList());
        }
        return rows;
    }

    private static String describe(Dependency dependency) {
        String labels = dependency.labels().stream().map(l -> l.name() + "=" + l.value())
                .collect(Collectors.joining(","));
        String id = dependency.imageID() == null ? "-" : ImageId.parse(dependency.imageID()).shortForm();
        return id + " " + dependency.imageName() + (labels.isEmpty() ? "" : "," + labels);
    }

    private static void many(List<List<String>> rows, String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            rows.add(List.of(i == 0 ? field : "", values.get(i)));
        }
    }

    private static String nullToDash(String value) {
        return value == null ? "-" : value;
    }
}
