// A real docker-registry on 127.0.0.1 and a free port, htpasswd auth (bcrypt; the password on stdin, never on a
// command line), config written here; its address goes into the cloned pom.xml. `timeout` bounds its life in
// case the build fails before verify.groovy stops it.
def target = new File(basedir, 'target/registry')
target.mkdirs()
def port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
def htpasswd = new ProcessBuilder('htpasswd', '-Bin', 'itpusher').start()
htpasswd.outputStream.withCloseable { it.write('it-registry-pw'.bytes) }
def line = htpasswd.inputStream.text
assert htpasswd.waitFor() == 0 : 'htpasswd (apache2-utils) failed'
new File(target, 'htpasswd').text = line
def config = new File(target, 'config.yml')
config.text = """version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: ${new File(target, 'storage').path}
http:
  addr: 127.0.0.1:${port}
  secret: jetpack-it-secret
auth:
  htpasswd:
    realm: jetpack-it
    path: ${new File(target, 'htpasswd').path}
"""
def registry = new ProcessBuilder('timeout', '900', 'docker-registry', 'serve', config.path).redirectErrorStream(true)
        .redirectOutput(new File(target, 'registry.log')).start()
new File(target, 'registry.pid').text = String.valueOf(registry.pid())
long deadline = System.currentTimeMillis() + 15_000
while (true) {
    try {
        new Socket('127.0.0.1', port).close()
        break
    } catch (IOException notYet) {
        assert registry.alive : 'docker-registry exited: ' + new File(target, 'registry.log').text
        assert System.currentTimeMillis() < deadline : 'docker-registry did not listen on ' + port
        Thread.sleep(20)
    }
}
new File(target, 'address').text = '127.0.0.1:' + port
def pom = new File(basedir, 'pom.xml')
pom.text = pom.text.replace('REGISTRY_FROM_SETUP', '127.0.0.1:' + port)
println "[push] docker-registry (pid ${registry.pid()}) on 127.0.0.1:${port}"
return true
