package dev.jetpack.engine.build;

import dev.jetpack.engine.aci.ImageId;
import dev.jetpack.engine.manifest.Annotation;
import dev.jetpack.engine.manifest.Dependency;
import dev.jetpack.engine.manifest.ImageManifest;
import dev.jetpack.engine.manifest.InvalidManifestException;
import dev.jetpack.engine.manifest.ManifestValidator;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Completes the manifest a build wrote ({@code manifest.json}, the "child") with the defaults that come from
 * the parent image, as Jetpack's {@code build} did (lib/jetpack/build.go). A pure function: no I/O, no clock
 * (the caller passes the time).
 *
 * <p>The rules, applied in this order:
 * <ol>
 * <li><b>acKind / acVersion</b>: filled in with {@code ImageManifest} and {@value ImageManifest#SPEC_VERSION}
 *     when the child leaves them out; values the child gives are kept (and validated).</li>
 * <li><b>timestamp</b>: an annotation {@code timestamp} with {@link MergeOptions#timestamp()} in RFC 3339, UTC,
 *     seconds precision (e.g. {@code 2026-01-01T00:00:00Z}), added unless the child has a {@code timestamp}
 *     annotation, which is then kept as it is.</li>
 * <li><b>os / arch</b>: each of the two labels is copied from the parent when the child has no such label; a
 *     child label with an empty value means "not this label" and is removed (for example to build an
 *     architecture-independent image from a linux/amd64 parent); a child label with a value wins.</li>
 * <li><b>dependencies</b>, layered output: the parent is prepended as {@code {imageName: parent's name,
 *     imageID: parentId, labels: parent's labels}} before any dependencies the child declares; the child's
 *     pathWhitelist is kept (the build sets it when the layer deletes parent files).</li>
 * <li><b>dependencies</b>, flat output: the image holds the whole tree, so the result has no dependencies
 *     (the child's own are dropped too, as Jetpack's {@code export -flat} did) and no pathWhitelist.</li>
 * </ol>
 * Everything else, the {@code app} in particular, comes from the child alone; the parent's app is not
 * inherited. The result is validated: a child that breaks the spec in a way no default fixes (no name, a bad
 * label…) fails with an {@link InvalidManifestException} listing every problem.
 */
public final class ManifestMerger {
    private static final List<String> INHERITED_LABELS = List.of("os", "arch");

    private ManifestMerger() {
    }

    /**
     * The child's manifest completed with the parent's defaults (see the class documentation for the rules).
     *
     * @param child    the manifest the build produced; may lack acKind and acVersion
     * @param parent   the parent image's manifest
     * @param parentId the parent image's ID, recorded in the dependency of layered output
     * @param options  the timestamp and the output form
     * @throws InvalidManifestException when the merged manifest breaks the spec
     */
    public static ImageManifest merge(ImageManifest child, ImageManifest parent, ImageId parentId,
            MergeOptions options) {
        ImageManifest merged = withDefaults(child, options.timestamp());
        for (String label : INHERITED_LABELS) {
            Optional<String> own = merged.label(label);
            if (own.isEmpty()) {
                Optional<String> inherited = parent.label(label);
                if (inherited.isPresent()) {
                    merged = merged.withLabel(label, inherited.get());
                }
            } else if (own.get().isEmpty()) {
                merged = merged.withoutLabel(label);
            }
        }
        if (options.layered()) {
            merged = merged.withDependencyPrepended(
                    new Dependency(parent.name(), parentId.value(), parent.labels(), null));
        } else {
            merged = merged.withDependencies(List.of()).withPathWhitelist(List.of());
        }
        return ManifestValidator.requireValid(merged,
                "built from '" + child.name() + "' on parent '" + parent.name() + "'");
    }

    /**
     * A base image's manifest (one made from a rootfs, with no parent) completed with the defaults that need no
     * parent: acKind, acVersion and the {@code timestamp} annotation, by the same rules as {@link #merge}.
     *
     * @throws InvalidManifestException when the completed manifest breaks the spec
     */
    public static ImageManifest forBaseImage(ImageManifest manifest, Instant timestamp) {
        return ManifestValidator.requireValid(withDefaults(manifest, timestamp),
                "of base image '" + manifest.name() + "'");
    }

    /** The {@code timestamp} annotation's text: RFC 3339, UTC, whole seconds. */
    public static String formatTimestamp(Instant timestamp) {
        return DateTimeFormatter.ISO_INSTANT.format(timestamp.truncatedTo(ChronoUnit.SECONDS));
    }

    private static ImageManifest withDefaults(ImageManifest manifest, Instant timestamp) {
        ImageManifest result = manifest;
        if (result.acKind() == null) {
            result = result.withAcKind(ImageManifest.KIND);
        }
        if (result.acVersion() == null) {
            result = result.withAcVersion(ImageManifest.SPEC_VERSION);
        }
        if (result.annotation(Annotation.TIMESTAMP).isEmpty()) {
            result = result.withAnnotation(Annotation.TIMESTAMP, formatTimestamp(timestamp));
        }
        return result;
    }
}
