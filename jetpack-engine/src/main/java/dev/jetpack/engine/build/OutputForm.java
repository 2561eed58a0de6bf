package dev.jetpack.engine.build;

/** The two forms Jetpack saved a built image in. */
public enum OutputForm {
    /**
     * The whole resulting tree, with no dependencies and no pathWhitelist: the image stands on its own. The
     * default, because it needs nothing else to run.
     */
    FLAT,
    /**
     * Only what the build changed, with the parent as the first dependency; when the build deleted anything of
     * the parent, {@code pathWhitelist} lists every path of the new tree so that renderers drop the rest. Small
     * when the change is small, but it needs the parent to run.
     */
    LAYERED
}
