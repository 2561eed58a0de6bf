package dev.jetpack.engine.aci;

/** Which uid/gid the entries of an image get when it is made from a directory. */
public enum Ownership {
    /** The numeric uid and gid of each file as the file system reports them. */
    PRESERVE,
    /** uid 0 and gid 0 for every entry, whoever owns the files: a root-owned image made without root. */
    ROOT
}
