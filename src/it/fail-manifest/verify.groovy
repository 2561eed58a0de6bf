def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('is not a valid image manifest')
assert log.contains('Not A Valid Name')
assert new File(basedir, 'target/fail-manifest-1.0.aci.manifest.json.invalid').isFile()
assert !new File(basedir, 'target/fail-manifest-1.0.aci').exists()
return true
