// Every goal (those the aci packaging binds, and the others called by name) said it skipped, and nothing was built.
def log = new File(basedir, 'build.log').text
['fetch', 'prepare', 'build', 'clean', 'export', 'push', 'run', 'start', 'stop'].each { goal ->
    assert log.contains("Skipping jetpack:${goal} (jetpack.skip=true)") : "no skip line for jetpack:${goal}"
}
assert log.contains('BUILD SUCCESS')
def target = new File(basedir, 'target')
def acis = target.exists() ? target.listFiles().findAll { it.name.endsWith('.aci') || it.name.endsWith('.aci.id') } : []
assert acis.isEmpty() : "an image was written although skipped: ${acis}"
assert !new File(target, 'jetpack').exists() : 'prepare staged a build directory although skipped'
return true
