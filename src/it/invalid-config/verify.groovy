def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains("Invalid value 'lzma' for parameter 'compression' (user property jetpack.compression):"
        + " accepted values are none, gzip, bzip2, xz (default gzip)")
// A configuration error is the project's fault: a MojoFailureException, not an internal error.
assert !log.contains('MojoExecutionException')
assert !new File(basedir, 'target/invalid-config-1.0.aci').exists()
return true
