package dev.jetpack.maven;

/** The {@code compression} parameter: how the ACI's tar is compressed ({@code images.aci.compression}). */
public enum Compression {
    XZ, GZIP, BZIP2, NONE
}
