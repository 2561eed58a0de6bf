def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('failed with exit code 3')
assert log.contains('| the reason is on stderr')                 // the output's tail in the failure message
assert log.contains('step 2 of 3 failed with exit code 3')
assert !log.contains('[build] never reached')
assert log.contains('Cannot build the image')
assert !log.contains('MojoExecutionException')
assert !new File(basedir, 'target/fail-command-1.0.aci').exists()
assert !new File(basedir, 'target/fail-command-1.0.aci.id').exists()
return true
