def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
['fetch', 'prepare', 'build', 'export', 'push', 'clean', 'run', 'start', 'stop', 'help'].each { goal ->
    // Maven logs the help text as one multi-line message: goal lines start at column 0
    assert log =~ /(?m)^jetpack:${goal}\s*$/ : "help does not list jetpack:${goal}"
}
// -Ddetail=true: the parameters, with the make-macro names users look for
['parentImage', 'buildDirectory', 'copyFiles', 'copyBuildScript', 'buildVars', 'buildArgs', 'buildCommand',
 'packages', 'buildSteps', 'cleanFiles', 'format', 'compression', 'rootfs', 'manifest', 'runtime', 'store',
 'skip', 'classifier', 'outputTimestamp', 'prepareSteps', 'libraryDirectory', 'images', 'to',
 'mountFrom', 'skipPush', 'allowHttp',
 'image', 'name', 'volumes', 'environment', 'args', 'network', 'wait', 'apps', 'stopTimeout', 'skipITs',
 'failOnExitCode'].each { p ->
    assert log =~ /(?m)^    ${p}\b/ : "help does not list parameter ${p}"
}
assert log.contains('User property: jetpack.compression')
assert log.contains('User property: jetpack.push.to')
return true
