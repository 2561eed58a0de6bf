package dev.jetpack.cli;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.oci.ExportedOciImage;
import dev.jetpack.engine.oci.LayerCompression;
import dev.jetpack.engine.oci.OciExportFormat;
import dev.jetpack.engine.oci.OciExportOptions;
import dev.jetpack.engine.oci.OciReference;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jetpack export [-flat] IMAGE [FILE|-]}: a stored image as an ACI file; with {@code --format oci|docker},
 * as an OCI image layout or a {@code docker load}/{@code podman load} archive.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a stored image as an ACI to FILE, or to stdout when FILE is - or missing.",
            "Without -flat the ACI is written exactly as it was stored (dependencies stay dependencies); with"
                + " -flat the rendered tree is written as one self-contained ACI without dependencies and"
                + " pathWhitelist, compressed with --compression.",
            "With --format oci, DEST is an OCI image layout directory (created, or added to); with --format docker,"
                + " DEST is one tar file that docker load and podman load accept. A flat image becomes one layer, a"
                + " layered one a layer per image of its dependency chain; the same image gives the same digests"
                + " on every export.",
            "When writing to a FILE, the ID of the written image is printed (the manifest digest for oci and"
                + " docker)."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class ExportCommand extends JetpackSubcommand {
    /** What {@code --format} offers; ACI is the default, as before OCI existed. */
    enum Format {
        ACI, OCI, DOCKER;

        static Format parse(String value) {
            for (Format candidate : values()) {
                if (candidate.name().equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            throw new JetpackException("Export format '" + value + "' is not known: use aci, oci or docker.");
        }
    }

    @Option(names = "--format", paramLabel = "aci|oci|docker", defaultValue = "aci", converter = FormatConverter.class,
            description = "What to write: an ACI (default), an OCI image layout, or a docker/podman load archive.")
    Format format;

    @Option(names = {"-flat", "--flat"}, description = "Export the flattened image without dependencies (ACI only).")
    boolean flat;

    @Option(names = "--tag", paramLabel = "NAME:TAG", converter = ReferenceConverter.class,
            description = "Name of the exported OCI image; default: the appc name and its version label"
                    + " (latest without one).")
    OciReference tag;

    @Option(names = "--layer-compression", paramLabel = "gzip|none", converter = LayerCompressionConverter.class,
            defaultValue = "gzip", description = "Compression of OCI layers (default gzip).")
    LayerCompression layerCompression;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Full image ID, unambiguous ID prefix, or"
            + " NAME[:VERSION][,LABEL=VALUE...].")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "Output file (- for stdout), or the"
            + " layout directory for --format oci.")
    String file;

    @Override
    public Integer call() {
        if (format != Format.ACI) {
            return exportOci();
        }
        if (tag != null) {
            throw new JetpackException("--tag names OCI images: use it with --format oci or --format docker.");
        }
        if (file == null || file.equals("-")) {
            ImageId id = jetpack().export(image, flat, terminal().out());
            if (terminal().out().checkError()) {
                // PrintStream swallows write errors (e.g. a closed pipe): the image did not arrive whole.
                throw new JetpackException("Writing image " + id + " to standard output failed (closed pipe or"
                        + " full disk): the receiver did not get the whole ACI. Export to a FILE instead.");
            }
            terminal().debug("Exported image " + id + " to stdout");
        } else {
            ImageId id = jetpack().export(image, flat, Path.of(file));
            terminal().result(id.value());
        }
        return ExitCode.OK;
    }

    private Integer exportOci() {
        String what = format == Format.OCI ? "an OCI layout directory" : "an archive file";
        if (file == null || file.equals("-")) {
            throw new JetpackException("--format " + format.name().toLowerCase(java.util.Locale.ROOT) + " writes "
                    + what + ": give it as DEST, e.g. jetpack export --format " + (format == Format.OCI
                    ? "oci IMAGE image-layout" : "docker IMAGE image.tar"));
        }
        if (flat) {
            throw new JetpackException("-flat applies to ACI export; an OCI export of a layered image has a layer per"
                    + " image of its chain, and of a flat image one layer.");
        }
        OciExportFormat target = format == Format.OCI ? OciExportFormat.OCI_LAYOUT : OciExportFormat.DOCKER_ARCHIVE;
        ExportedOciImage exported = jetpack().exportOci(image, OciExportOptions.builder(target, Path.of(file))
                .compression(layerCompression).reference(tag).build());
        terminal().result(exported.manifestDescriptor().digest().toString());
        return ExitCode.OK;
    }

    static final class FormatConverter extends JetpackCommand.EngineValueConverter<Format> {
        FormatConverter() {
            super(Format::parse);
        }
    }

    static final class ReferenceConverter extends JetpackCommand.EngineValueConverter<OciReference> {
        ReferenceConverter() {
            super(OciReference::parse);
        }
    }

    static final class LayerCompressionConverter extends JetpackCommand.EngineValueConverter<LayerCompression> {
        LayerCompressionConverter() {
            super(LayerCompression::parse);
        }
    }
}
