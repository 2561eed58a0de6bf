package dev.jetpack.cli;

import dev.jetpack.engine.base.RootfsSource;
import dev.jetpack.engine.build.ImageBuild;
import dev.jetpack.engine.build.ImageBuildSpec;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetpack makeaci ROOTFS MANIFEST OUTPUT.aci}: a base image, the makeaci.sh counterpart. */
@Command(name = "makeaci", mixinStandardHelpOptions = true,
        description = {"Make a base ACI from a root file system and a manifest, without fakeroot.",
            "ROOTFS is a tarball (plain, gzip, bzip2 or xz; owners, modes and devices are taken from it) or a"
                + " directory. MANIFEST must be a valid image manifest; it is stored byte for byte. The image ID"
                + " is printed. The image is not imported: use 'jetpack import OUTPUT.aci' for that."},
        footerHeading = "%n", footer = JetpackCommand.FOOTER)
final class MakeAciCommand extends JetpackSubcommand {
    @Option(names = {"--timestamp", "-timestamp"}, paramLabel = "TIME", converter = Timestamps.Converter.class,
            description = "Give every entry this time, for a reproducible image: RFC 3339 (2024-01-01T00:00:00Z)"
                    + " or epoch seconds. Default: $" + Timestamps.SOURCE_DATE_EPOCH + " if set, else the"
                    + " tarball's or files' own times.")
    Instant timestamp;

    @Parameters(index = "0", paramLabel = "ROOTFS", description = "Rootfs tarball or directory.")
    Path rootfs;

    @Parameters(index = "1", paramLabel = "MANIFEST", description = "Image manifest JSON file.")
    Path manifest;

    @Parameters(index = "2", paramLabel = "OUTPUT.aci", description = "ACI file to write (atomically).")
    Path output;

    @Override
    public Integer call() {
        ImageBuild result = jetpack().buildImage(ImageBuildSpec.base(new RootfsSource.Existing(rootfs))
                .manifestFile(manifest)
                .output(output)
                .fixedTimestamp(Timestamps.orSourceDateEpoch(timestamp, terminal()))
                .build());
        terminal().result(result.id().value());
        return ExitCode.OK;
    }
}
