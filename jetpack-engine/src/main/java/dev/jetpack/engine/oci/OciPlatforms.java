package dev.jetpack.engine.oci;

import dev.jetpack.engine.fetch.discovery.HostPlatform;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The OCI spelling of platforms ({@code amd64}, {@code arm64}, {@code arm}+{@code v7}, {@code 386}) against the
 * appc one ({@code amd64}, {@code aarch64}, {@code armv7l}, {@code i386}), and the choice of one manifest from a
 * multi-platform index.
 */
public final class OciPlatforms {
    private OciPlatforms() {
    }

    /** The host's platform as an OCI index names it. */
    public static Descriptor.Platform host() {
        String arch = HostPlatform.arch();
        return switch (arch) {
            case "aarch64" -> new Descriptor.Platform("arm64", HostPlatform.os(), null);
            case "i386" -> new Descriptor.Platform("386", HostPlatform.os(), null);
            case "armv7l" -> new Descriptor.Platform("arm", HostPlatform.os(), "v7");
            case "armv6l" -> new Descriptor.Platform("arm", HostPlatform.os(), "v6");
            default -> new Descriptor.Platform(arch, HostPlatform.os(), null);
        };
    }

    /** The appc {@code arch} label of an OCI architecture and variant; empty when appc has none for it. */
    public static Optional<String> appcArch(String architecture, String variant) {
        return Optional.ofNullable(switch (architecture) {
            case "amd64", "ppc64", "ppc64le", "s390x" -> architecture;
            case "arm64" -> "aarch64";
            case "386" -> "i386";
            case "arm" -> "v6".equals(variant) ? "armv6l" : "armv7l";
            default -> null;
        });
    }

    /**
     * The entry of {@code index} for {@code platform} (os and architecture equal; the variant too when the
     * platform has one); an error lists the platforms there are.
     *
     * @param what names the index, e.g. "127.0.0.1:5000/app:1.0"
     */
    public static Descriptor select(OciIndex index, Descriptor.Platform platform, String what) {
        return index.manifests().stream()
                .filter(entry -> entry.platform() != null
                        && entry.platform().os().equals(platform.os())
                        && entry.platform().architecture().equals(platform.architecture())
                        && (platform.variant() == null || platform.variant().equals(entry.platform().variant())))
                .findFirst()
                .orElseThrow(() -> new OciFormatException(what + " has no image for " + describe(platform)
                        + " (it has " + (index.manifests().isEmpty() ? "none" : index.manifests().stream()
                        .map(entry -> entry.platform() == null ? "(no platform)" : describe(entry.platform()))
                        .collect(Collectors.joining(", "))) + "): use an image built for this machine"));
    }

    private static String describe(Descriptor.Platform platform) {
        return platform.os() + "/" + platform.architecture()
                + (platform.variant() == null ? "" : "/" + platform.variant());
    }
}
