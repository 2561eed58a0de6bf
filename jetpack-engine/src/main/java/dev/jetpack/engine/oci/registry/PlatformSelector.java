package dev.jetpack.engine.oci.registry;

import dev.jetpack.engine.oci.Descriptor;
import dev.jetpack.engine.oci.OciFormatException;
import dev.jetpack.engine.oci.OciIndex;
import dev.jetpack.engine.oci.OciMediaTypes;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Picks the image for one platform from an image index, as docker and skopeo do: same os and architecture, and
 * the same variant when the wanted platform names one (an entry without a variant also fits then). Entries that
 * are not image manifests (attestations, nested indexes) are skipped.
 */
public final class PlatformSelector {
    private PlatformSelector() {
    }

    /** The platform of this JVM's host, spelled the OCI way ({@code linux/amd64}, {@code linux/arm64}...). */
    public static Descriptor.Platform host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Descriptor.Platform("amd64", os, null);
            case "aarch64", "arm64" -> new Descriptor.Platform("arm64", os, null);
            case "x86", "i386", "i486", "i586", "i686" -> new Descriptor.Platform("386", os, null);
            case "arm" -> new Descriptor.Platform("arm", os, "v7");
            default -> new Descriptor.Platform(arch, os, null);
        };
    }

    /**
     * The entry of {@code index} for {@code platform}.
     *
     * @param what names the index in the error, e.g. "127.0.0.1:5000/app:1.0"
     * @throws OciFormatException when no entry fits; the message lists the platforms there are
     */
    public static Descriptor select(OciIndex index, Descriptor.Platform platform, String what) {
        for (Descriptor entry : index.manifests()) {
            if (OciMediaTypes.MANIFESTS.contains(entry.mediaType()) && fits(entry.platform(), platform)) {
                return entry;
            }
        }
        List<String> offered = index.manifests().stream()
                .filter(entry -> entry.platform() != null)
                .map(entry -> describe(entry.platform()))
                .distinct()
                .toList();
        throw new OciFormatException(what + " has no image for " + describe(platform) + " (it has: "
                + (offered.isEmpty() ? "no platform-tagged images" : String.join(", ", offered)) + "). Pick an"
                + " image built for this platform, or name one of its manifests by digest");
    }

    private static boolean fits(Descriptor.Platform offered, Descriptor.Platform wanted) {
        if (offered == null || !offered.os().equals(wanted.os()) || !offered.architecture().equals(wanted.architecture())) {
            return false;
        }
        return wanted.variant() == null || offered.variant() == null || Objects.equals(wanted.variant(),
                offered.variant());
    }

    public static String describe(Descriptor.Platform platform) {
        return platform.os() + "/" + platform.architecture() + (platform.variant() == null ? "" : "/"
                + platform.variant());
    }
}
