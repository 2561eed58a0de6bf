package dev.jetpack.engine.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An appc 0.8.11 image manifest, immutable.
 *
 * <p>Reading ({@link ManifestCodec}) and validation ({@link ManifestValidator}) are separate steps on purpose: a
 * build's partial manifest (no {@code acKind}, no {@code acVersion}) must be readable so that the build can fill
 * in the defaults before it is validated. So any field may be {@code null} here when the JSON omitted it; lists
 * are never null (empty instead). The {@code with…} methods return modified copies.
 *
 * @param acKind        {@value #KIND} in a valid manifest
 * @param acVersion     the spec version the manifest follows, SemVer
 * @param name          the image name, an AC Identifier
 * @param labels        the image's labels (version, os, arch, …), in the order given
 * @param app           how to run the image, or {@code null} for an image without an app
 * @param annotations   free-form metadata, in the order given
 * @param dependencies  images rendered before this one, in order
 * @param pathWhitelist when not empty, the complete set of paths the rendered rootfs keeps
 */
public record ImageManifest(
        String acKind,
        String acVersion,
        String name,
        List<Label> labels,
        App app,
        List<Annotation> annotations,
        List<Dependency> dependencies,
        List<String> pathWhitelist) {

    /** The only valid {@code acKind} of an image manifest. */
    public static final String KIND = "ImageManifest";
    /** The version of the appc spec this implementation follows and writes into new manifests. */
    public static final String SPEC_VERSION = "0.8.11";

    public ImageManifest {
        labels = App.copy(labels);
        annotations = App.copy(annotations);
        dependencies = App.copy(dependencies);
        pathWhitelist = App.copy(pathWhitelist);
    }

    /** A minimal manifest for {@code name}: kind and spec version set, nothing else. */
    public static ImageManifest named(String name) {
        return new ImageManifest(KIND, SPEC_VERSION, name, null, null, null, null, null);
    }

    /** The value of the first label called {@code labelName}, if there is one. */
    public Optional<String> label(String labelName) {
        return Label.find(labels, labelName);
    }

    /** The value of the first annotation called {@code annotationName}, if there is one. */
    public Optional<String> annotation(String annotationName) {
        return Annotation.find(annotations, annotationName);
    }

    public ImageManifest withAcKind(String newAcKind) {
        return new ImageManifest(newAcKind, acVersion, name, labels, app, annotations, dependencies, pathWhitelist);
    }

    public ImageManifest withAcVersion(String newAcVersion) {
        return new ImageManifest(acKind, newAcVersion, name, labels, app, annotations, dependencies, pathWhitelist);
    }

    public ImageManifest withName(String newName) {
        return new ImageManifest(acKind, acVersion, newName, labels, app, annotations, dependencies, pathWhitelist);
    }

    public ImageManifest withLabels(List<Label> newLabels) {
        return new ImageManifest(acKind, acVersion, name, newLabels, app, annotations, dependencies, pathWhitelist);
    }

    /** Sets label {@code labelName}: replaces its value where it is, or appends it when absent. */
    public ImageManifest withLabel(String labelName, String value) {
        List<Label> copy = new ArrayList<>(labels);
        int at = indexOf(labels, l -> labelName.equals(l.name()));
        if (at >= 0) {
            copy.set(at, new Label(labelName, value));
        } else {
            copy.add(new Label(labelName, value));
        }
        return withLabels(copy);
    }

    /** Removes every label called {@code labelName}. */
    public ImageManifest withoutLabel(String labelName) {
        return withLabels(labels.stream().filter(l -> !labelName.equals(l.name())).toList());
    }

    public ImageManifest withApp(App newApp) {
        return new ImageManifest(acKind, acVersion, name, labels, newApp, annotations, dependencies, pathWhitelist);
    }

    public ImageManifest withAnnotations(List<Annotation> newAnnotations) {
        return new ImageManifest(acKind, acVersion, name, labels, app, newAnnotations, dependencies, pathWhitelist);
    }

    /** Sets annotation {@code annotationName}: replaces its value where it is, or appends it when absent. */
    public ImageManifest withAnnotation(String annotationName, String value) {
        List<Annotation> copy = new ArrayList<>(annotations);
        int at = indexOf(annotations, a -> annotationName.equals(a.name()));
        if (at >= 0) {
            copy.set(at, new Annotation(annotationName, value));
        } else {
            copy.add(new Annotation(annotationName, value));
        }
        return withAnnotations(copy);
    }

    /** Removes every annotation called {@code annotationName}. */
    public ImageManifest withoutAnnotation(String annotationName) {
        return withAnnotations(annotations.stream().filter(a -> !annotationName.equals(a.name())).toList());
    }

    public ImageManifest withDependencies(List<Dependency> newDependencies) {
        return new ImageManifest(acKind, acVersion, name, labels, app, annotations, newDependencies, pathWhitelist);
    }

    /** Puts {@code first} before the existing dependencies, so that it is rendered first. */
    public ImageManifest withDependencyPrepended(Dependency first) {
        List<Dependency> copy = new ArrayList<>(dependencies.size() + 1);
        copy.add(first);
        copy.addAll(dependencies);
        return withDependencies(copy);
    }

    public ImageManifest withPathWhitelist(List<String> newPathWhitelist) {
        return new ImageManifest(acKind, acVersion, name, labels, app, annotations, dependencies, newPathWhitelist);
    }

    private static <T> int indexOf(List<T> list, Predicate<T> wanted) {
        for (int i = 0; i < list.size(); i++) {
            if (wanted.test(list.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
