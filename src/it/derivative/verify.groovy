def common = evaluate(new File(itDirectory, 'common.groovy'))
def aci = new File(basedir, 'target/derivative-2.1.aci')
assert aci.isFile()
assert common.compressionOf(aci) == 'none'
assert new File(basedir, 'target/derivative-2.1.aci.id').text.trim() ==~ /sha512-[0-9a-f]{128}/

def manifest = common.manifestOf(aci)
assert manifest.acKind == 'ImageManifest' && manifest.acVersion == '0.8.11'
assert manifest.name == 'dev.jetpack.it/derivative'               // project default
assert common.label(manifest, 'version') == '2.1'                  // project default
assert common.label(manifest, 'os') == 'linux'                     // from the parent
assert common.label(manifest, 'arch') == null                      // "" in manifest.json removes it
assert manifest.app.environment == [[name: 'APP_MODE', value: 'test']]
assert !manifest.dependencies                                      // flat
def text = aci.text
assert !text.contains('s3cret') : 'a build variable or proxy password ended up in the image'

def file = { String path -> common.fileOf(aci, path) }
assert file('etc/parent-file') == 'from the parent\n'
assert file('var/log/fake-apt-get.log').readLines() == ['update', 'install -y --no-install-recommends hello curl',
                                                         'clean']
assert file('opt/app/order') == 'step1\nstep2\n'
assert file('opt/app/copied.txt') == 'copied by copyFiles\n'
assert file('opt/app/static.txt') == 'from the build directory\n'
assert file('opt/app/args') == 'first-arg|hello from buildArgs\n'
assert file('opt/app/script') == 'present\n'
assert file('opt/app/var') == 'var-set\n'
assert file('opt/app/undefined') == 'undefined-left-out\n'
assert file('opt/app/proxy') == 'proxy-set\n'
def entries = common.entriesOf(aci)
assert !entries.any { it.contains('.jetpack.build') } : 'the work dir was left in the image'

def log = new File(basedir, 'build.log').text
assert !log.contains('s3cret') : 'a password or build variable value was logged'
assert log.contains('[build] + echo step2 >> /opt/app/order')
return true
