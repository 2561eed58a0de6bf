// Helpers shared by the ITs' setup and verify scripts: evaluate(new File(itDirectory, 'common.groovy')).
// Returns a map of closures. ACIs are read with GNU tar (it detects the compression itself), so the checks do
// not depend on the code under test.
import dev.jetpack.engine.Jetpack
import dev.jetpack.engine.JetpackSettings
import dev.jetpack.engine.EngineLog
import dev.jetpack.engine.ProgressListener
import dev.jetpack.engine.aci.Compression
import dev.jetpack.engine.base.HostRootfs
import dev.jetpack.engine.base.RootfsSource
import dev.jetpack.engine.build.ImageBuildSpec
import com.sun.net.httpserver.HttpsConfigurator
import com.sun.net.httpserver.HttpsServer
import groovy.json.JsonSlurper
import java.security.KeyStore
import java.security.MessageDigest
import java.util.concurrent.Executors
import java.util.zip.GZIPInputStream
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

def run = { List<String> command ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    assert process.exitValue() == 0 : "${command} failed: ${err}"
    out.toString()
}

// A rootfs directory made of the host's own binaries and the libraries they load (the `host:` rootfs, the
// embedded default: HostRootfs.DEFAULT_COMMANDS), so that no IT needs anything installed; `files` maps paths in
// the image to [content, mode] or content.
def hostRootfs = { File dir, Map files = [:] ->
    HostRootfs.create(dir.toPath(), HostRootfs.DEFAULT_COMMANDS)
    files.each { String path, def spec ->
        def file = new File(dir, path)
        file.parentFile.mkdirs()
        file.text = spec instanceof List ? spec[0] : spec
        if (spec instanceof List) {
            Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString(spec[1]))
        }
    }
    dir
}

// A stand-in apt-get for images without a package manager (the host base has none): records its arguments, one call per line.
def fakeAptGet = '#!/bin/sh\nmkdir -p /var/log\necho "$*" >> /var/log/fake-apt-get.log\n'

// A base ACI made by the engine from a rootfs directory (the ITs' parents); gzip, because the parents are only
// inputs and xz would cost seconds per IT.
def makeAci = { File rootfs, String name, File out ->
    out.parentFile.mkdirs()
    def manifest = new File(out.parentFile, out.name + '.manifest.json')
    manifest.text = """{"acKind":"ImageManifest","acVersion":"0.8.11","name":"${name}",""" +
            '"labels":[{"name":"version","value":"1.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}'
    def jetpack = new Jetpack(JetpackSettings.builder().compression(Compression.GZIP).build(), EngineLog.SILENT,
            ProgressListener.NONE)
    jetpack.buildImage(ImageBuildSpec.base(new RootfsSource.Existing(rootfs.toPath())).manifestFile(manifest.toPath())
            .output(out.toPath()).build()).id().value()
}

def manifestOf = { File aci -> new JsonSlurper().parseText(run(['tar', '-xOf', aci.path, 'manifest'])) }
def entriesOf = { File aci -> run(['tar', '-tf', aci.path]).readLines() }
def fileOf = { File aci, String path -> run(['tar', '-xOf', aci.path, 'rootfs/' + path]) }
def label = { def manifest, String name -> manifest.labels?.find { it.name == name }?.value }
def annotation = { def manifest, String name -> manifest.annotations?.find { it.name == name }?.value }
def magic = { File aci -> def b = new byte[6]; aci.withInputStream { it.read(b) }; b }
def compressionOf = { File aci ->
    def b = magic(aci)
    if ((b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return 'gzip'
    if (b[0] == 'B' as char && b[1] == 'Z' as char && b[2] == 'h' as char) return 'bzip2'
    if ((b[0] & 0xff) == 0xfd && b[1] == '7' as char && b[2] == 'z' as char) return 'xz'
    return 'none'
}

// The image ID of an uncompressed or gzip ACI, computed here (SHA-512 of the tar), independent of the engine.
def idOf = { File aci ->
    def digest = MessageDigest.getInstance('SHA-512')
    def raw = aci.newInputStream()
    def b = new byte[2]; raw.read(b); raw.close()
    def gzip = (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b
    def input = gzip ? new GZIPInputStream(aci.newInputStream()) : aci.newInputStream()
    input.withCloseable { def buffer = new byte[65536]; for (int n; (n = it.read(buffer)) > 0;) digest.update(buffer, 0, n) }
    'sha512-' + digest.digest().encodeHex().toString()
}

// Polls `condition` (a closure) every 200 ms until it is true; fails naming `what` after `seconds`. Scripts wait
// for what a process did (a log line, a file), never a fixed time, so a loaded machine only makes them slower.
def waitFor = { String what, int seconds, Closure<Boolean> condition ->
    long deadline = System.nanoTime() + seconds * 1_000_000_000L
    while (!condition()) {
        assert System.nanoTime() < deadline : "waited ${seconds}s in vain for ${what}"
        Thread.sleep(200)
    }
}

// Mount points (from this process's mount table) at or below `dir`.
def mountsUnder = { File dir ->
    def prefix = dir.canonicalPath
    new File('/proc/self/mountinfo').readLines().collect { it.split(' ')[4].replace('\\040', ' ') }
            .findAll { it == prefix || it.startsWith(prefix + '/') }
}

// Leftovers of atomic writes (engine's AtomicFiles: '.NAME.tmp-PID.START-*') anywhere below `dir`.
def temporariesUnder = { File dir ->
    def found = []
    if (dir.exists()) {
        dir.eachFileRecurse { if (it.name.contains('.tmp-') && !Files.isSymbolicLink(it.toPath())) found << it }
    }
    found
}

// A further Maven run started by a script, as a user would type it: the invoker's own Maven installation, the
// ITs' local repository and settings (its mirror pointed at that local repository: everything the runs need is
// there once the invoker has run the case, and nothing is ever downloaded), batch mode, no snapshot updates.
// Not `-o`: that is the plugin's offline mode, in which it fetches nothing. Output (both streams) goes to `log`.
// `options`: `mirror` (a File: the repository the mirror serves, default `localRepository`, so that a run can
// start from an empty local repository), `settings` (a closure that edits the settings text, e.g. to add servers
// or exclude a repository from the mirror), `mavenHome` (another Maven installation, e.g. a newer version).
def startMaven = { File directory, File localRepository, File log, List<String> arguments, String mavenOpts = '',
                   Map options = [:] ->
    def settings = new File(directory, 'target/script-settings.xml')
    settings.parentFile.mkdirs()
    def edit = options.settings ?: { String text -> text }
    settings.text = edit(new File(itDirectory, 'settings.xml').text.replace('@localRepositoryUrl@',
            ((File) (options.mirror ?: localRepository)).toURI().toString()))
    def mavenHome = options.mavenHome ?: System.getProperty('maven.home')
    def command = [mavenHome + '/bin/mvn', '-B', '-nsu', '-e', '-s', settings.path,
                   '-Dmaven.repo.local=' + localRepository.path] + arguments
    def builder = new ProcessBuilder(command.collect { it.toString() }).directory(directory).redirectErrorStream(true)
            .redirectOutput(log)
    builder.environment().put('JAVA_HOME', System.getProperty('java.home'))
    // C1 only: these short runs start faster, which matters on a 2-core machine.
    builder.environment().put('MAVEN_OPTS', ('-XX:TieredStopAtLevel=1 ' + mavenOpts).trim())
    builder.environment().remove('MAVEN_ARGS')
    builder.start()
}

// Waits for a Maven run started by startMaven; its exit code.
def finish = { Process process, String what, int seconds = 600 ->
    if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly()
        assert false : "${what} did not finish within ${seconds}s"
    }
    process.exitValue()
}

// kill -9, as an impatient user or a CI timeout does: no shutdown hook, no finally block runs in the JVM.
def kill9 = { Process process ->
    ['kill', '-9', String.valueOf(process.pid())].execute().waitFor()
    assert process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : "process ${process.pid()} survived kill -9"
}

// An HTTPS server on 127.0.0.1 (port chosen by the system) with a fresh self-signed certificate for that
// address, made with the JDK's keytool in `dir`. `trustStore` is a PKCS12 file with just that certificate, for
// the Maven runs' -Djavax.net.ssl.trustStore: the plugin verifies certificates and refuses plain HTTP, and the
// ITs keep it that way. The caller adds contexts, then calls server.start() and, at the end, server.stop(0).
// `dnsName`, if given, is a further name of the certificate (proxy-auth reaches the server by a name its proxy resolves).
def httpsServer = { File dir, String dnsName = null ->
    dir.mkdirs()
    def keys = new File(dir, 'server.p12'), trust = new File(dir, 'trust.p12')
    keys.delete(); trust.delete()
    def password = 'it-password'.toCharArray()
    run([System.getProperty('java.home') + '/bin/keytool', '-genkeypair', '-alias', 'it', '-keyalg', 'EC',
         '-groupname', 'secp256r1', '-dname', 'CN=127.0.0.1', '-ext', 'san=ip:127.0.0.1' + (dnsName ? ",dns:${dnsName}" : ''), '-validity', '2',
         '-keystore', keys.path, '-storetype', 'PKCS12', '-storepass', 'it-password', '-keypass', 'it-password'])
    def keyStore = KeyStore.getInstance('PKCS12')
    keys.withInputStream { keyStore.load(it, password) }
    def trustStore = KeyStore.getInstance('PKCS12')
    trustStore.load(null, null)
    trustStore.setCertificateEntry('it', keyStore.getCertificate('it'))
    trust.withOutputStream { trustStore.store(it, password) }
    def keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
    keyManagers.init(keyStore, password)
    def context = SSLContext.getInstance('TLS')
    context.init(keyManagers.keyManagers, null, null)
    def server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName('127.0.0.1'), 0), 0)
    server.httpsConfigurator = new HttpsConfigurator(context)
    server.executor = Executors.newCachedThreadPool()
    [server: server, url: "https://127.0.0.1:${server.address.port}",
     mavenOpts: "-Djavax.net.ssl.trustStore=${trust.path} -Djavax.net.ssl.trustStorePassword=it-password" +
             ' -Djavax.net.ssl.trustStoreType=PKCS12']
}

// A real HTTP repository server: Debian's nginx with its built-in WebDAV module (PUT with create_full_put_path is
// all that Maven's deploy and the build cache's remote need; no PROPFIND) and htpasswd Basic auth for `users`
// (name -> password; the password on stdin, never on a command line). Runs in the foreground as a child of
// `timeout` (which bounds its life should a script die before stopping it), on 127.0.0.1 and a free port, with a
// private prefix, config, pid file, logs and temporary directories under `dir`; files land in `dir`/root. Every
// method needs a valid user. Returns [url, port, root, log (its error and access logs), stop (a closure: SIGTERM to
// nginx by its pid file, then waits until it and `timeout` are gone)]; call stop in a finally block.
def nginxDav = { File dir, Map<String, String> users ->
    def root = new File(dir, 'root'), temp = new File(dir, 'temp')
    [root, temp].each { it.mkdirs() }
    def passwords = new File(dir, 'htpasswd')
    passwords.delete()
    users.each { String user, String password ->
        def htpasswd = new ProcessBuilder(['htpasswd', '-i'] + (passwords.exists() ? [] : ['-c']) + [passwords.path, user])
                .redirectErrorStream(true).start()
        htpasswd.outputStream.withCloseable { it.write(password.bytes) }
        def output = htpasswd.inputStream.text
        assert htpasswd.waitFor() == 0 : "htpasswd (apache2-utils) failed: ${output}"
    }
    def port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
    def errorLog = new File(dir, 'error.log'), accessLog = new File(dir, 'access.log')
    def pidFile = new File(dir, 'nginx.pid')
    pidFile.delete()           // a stale one must never name another process
    def config = new File(dir, 'nginx.conf')
    config.text = """daemon off;
master_process off;
worker_processes 1;
pid ${pidFile.path};
error_log ${errorLog.path} info;
events { worker_connections 64; }
http {
  access_log ${accessLog.path};
  client_body_temp_path ${temp.path}/body;
  proxy_temp_path ${temp.path}/proxy;
  fastcgi_temp_path ${temp.path}/fastcgi;
  uwsgi_temp_path ${temp.path}/uwsgi;
  scgi_temp_path ${temp.path}/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${port};
    root ${root.path};
    location / {
      dav_methods PUT DELETE MKCOL COPY MOVE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      auth_basic "jetpack-it";
      auth_basic_user_file ${passwords.path};
    }
  }
}
"""
    def process = new ProcessBuilder('timeout', '900', '/usr/sbin/nginx', '-p', dir.path, '-c', config.path, '-e',
            errorLog.path).redirectErrorStream(true).redirectOutput(new File(dir, 'nginx.out')).start()
    def stop = { ->
        // SIGTERM to nginx by the pid it wrote; before it wrote one, to `timeout`, which passes it on
        if (pidFile.isFile() && pidFile.text.trim()) {
            ['kill', pidFile.text.trim()].execute().waitFor()
        } else {
            process.destroy()
        }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly()
        }
        process.waitFor()
    }
    try {
        long deadline = System.nanoTime() + 30_000_000_000L
        while (true) {
            try {
                new Socket().withCloseable { it.connect(new InetSocketAddress('127.0.0.1', port), 1000) }
                break
            } catch (IOException notYet) {
                assert process.alive : "nginx exited: ${new File(dir, 'nginx.out').text} ${errorLog.exists() ? errorLog.text : ''}"
                assert System.nanoTime() < deadline : "nginx did not listen on 127.0.0.1:${port}"
                Thread.sleep(50)
            }
        }
    } catch (Throwable e) {
        stop()
        throw e
    }
    [url: "http://127.0.0.1:${port}", port: port, root: root, stop: stop,
     log: { -> (errorLog.exists() ? errorLog.text : '') + (accessLog.exists() ? accessLog.text : '') }]
}

// Maven's own password encryption (settings-security.xml): `mvn --encrypt-master-password`, written to `file` as a
// settings-security.xml, then `mvn --encrypt-password` with it. Returns the encrypted server password ({...}),
// for a settings.xml <server>; runs are given -Dsettings.security=`file`. Both passwords go on Maven's command
// line here only because that is how Maven's CLI takes them; the ITs check that no log shows them.
def encryptedPassword = { File file, String masterPassword, String password ->
    def mvn = System.getProperty('maven.home') + '/bin/mvn'
    def encrypt = { List<String> arguments ->
        def builder = new ProcessBuilder([mvn, '-B', '-q', '-Dstyle.color=never'] + arguments).redirectErrorStream(true)
        builder.environment().put('JAVA_HOME', System.getProperty('java.home'))
        builder.environment().remove('MAVEN_ARGS')
        def process = builder.start()
        def output = process.inputStream.text
        assert process.waitFor() == 0 : "mvn ${arguments[0]} failed: ${output}"
        def encrypted = output =~ /\{[A-Za-z0-9+\/=]+\}/
        assert encrypted.find() : "mvn ${arguments[0]} printed no {...} value: ${output}"
        encrypted.group()
    }
    file.parentFile.mkdirs()
    file.text = "<settingsSecurity><master>${encrypt(['--encrypt-master-password', masterPassword])}</master></settingsSecurity>\n"
    encrypt(['--encrypt-password', password, '-Dsettings.security=' + file.path])
}

// A Maven distribution that the invoker resolved into the ITs' local repository (an extraArtifact of the plugin
// POM, org.apache.maven:apache-maven:VERSION:tar.gz:bin), unpacked once into `dir`; its Maven home.
def mavenDistribution = { File localRepository, String version, File dir ->
    def home = new File(dir, "apache-maven-${version}")
    if (!new File(home, 'bin/mvn').canExecute()) {
        def tarball = new File(localRepository, "org/apache/maven/apache-maven/${version}/apache-maven-${version}-bin.tar.gz")
        assert tarball.isFile() : "${tarball} is missing: the plugin POM's invoker extraArtifacts resolve it"
        dir.mkdirs()
        run(['tar', '-xzf', tarball.path, '-C', dir.path])
    }
    home.path
}

// A TCP port on 127.0.0.1 that nothing listens on right now (the system picks it), for an app an IT starts.
def freePort = { -> new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort } }

// Whether something accepts TCP connections on 127.0.0.1:port.
def listening = { int port ->
    try {
        new Socket().withCloseable { it.connect(new InetSocketAddress('127.0.0.1', port), 1000); true }
    } catch (IOException e) {
        false
    }
}

// Processes on this host whose command line contains every one of `words`, as "pid: command line".
def processesWith = { List<String> words ->
    new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }.collect { dir ->
        try { dir.name + ': ' + new File(dir, 'cmdline').text.replace('\u0000', ' ').trim() } catch (IOException e) { '' }
    }.findAll { line -> words.every { line.contains(it) } }
}

[run: run, hostRootfs: hostRootfs, fakeAptGet: fakeAptGet, makeAci: makeAci, manifestOf: manifestOf,
 entriesOf: entriesOf, fileOf: fileOf, label: label, annotation: annotation, compressionOf: compressionOf,
 idOf: idOf, waitFor: waitFor, mountsUnder: mountsUnder, temporariesUnder: temporariesUnder, startMaven: startMaven,
 finish: finish, kill9: kill9, httpsServer: httpsServer, freePort: freePort, listening: listening,
 processesWith: processesWith, nginxDav: nginxDav, encryptedPassword: encryptedPassword,
 mavenDistribution: mavenDistribution]
