package dev.jetpack.engine.fetch;

/** Whether a fetch by name may be answered from the store. */
public enum FetchPolicy {
    /**
     * The default: a name (with its labels) that a stored image matches is answered from the store without any
     * network access, like a build that wants the parent it already has. IDs, paths and URLs are unaffected.
     */
    PREFER_STORE,
    /**
     * Always ask the network for names (discovery, then a conditional download: an unchanged image costs no
     * body download). For "give me the current latest".
     */
    REFRESH
}
