package dev.jetpack.cli;

import dev.jetpack.engine.store.ImageStore;
import dev.jetpack.engine.store.StoredImage;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jetpack images}: the stored images as a table, or only their IDs. */
@Command(name = "images", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the stored images, by name and newest version first.",
            "Columns: ID, NAME (name:version), LABELS (other labels, - if none), SIZE (bytes of the stored ACI),"
                + " IMPORTED (UTC). Columns are separated by two or more spaces; values never contain spaces."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ImagesCommand extends JetpackSubcommand {
    @Option(names = {"-q", "--quiet"}, description = "Print only the image IDs, one per line.")
    boolean quiet;

    @Option(names = {"-H", "--no-header"}, description = "Leave out the header line.")
    boolean noHeader;

    @Option(names = {"-l", "--long"}, description = "Print full image IDs instead of the short form.")
    boolean longIds;

    /** By name, then newest version first, then ID: the order does not depend on the file system. */
    static final Comparator<StoredImage> ORDER = Comparator.comparing(StoredImage::name)
            .thenComparing(ImageStore.newestFirst()).thenComparing(StoredImage::id);

    @Override
    public Integer call() {
        List<StoredImage> images = new ArrayList<>(jetpack().list());
        images.sort(ORDER);
        if (quiet) {
            images.forEach(image -> terminal().result(id(image)));
            return ExitCode.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        if (!noHeader) {
            rows.add(List.of("ID", "NAME", "LABELS", "SIZE", "IMPORTED"));
        }
        for (StoredImage image : images) {
            rows.add(List.of(id(image), nameAndVersion(image), otherLabels(image), Long.toString(image.aciSize()),
                    image.importedAt().truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        Table.print(rows, terminal());
        return ExitCode.OK;
    }

    private String id(StoredImage image) {
        return longIds ? image.id().value() : image.id().shortForm();
    }

    static String nameAndVersion(StoredImage image) {
        return image.name() + image.label("version").map(version -> ":" + version).orElse("");
    }

    static String otherLabels(StoredImage image) {
        String labels = image.manifest().labels().stream().filter(label -> !label.name().equals("version"))
                .map(label -> label.name() + "=" + label.value()).collect(Collectors.joining(","));
        return labels.isEmpty() ? "-" : labels;
    }
}
