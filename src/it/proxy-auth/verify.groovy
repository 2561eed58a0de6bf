import dev.jetpack.engine.testing.SquidProxy

// jetpack:fetch of an HTTPS parent through squid with Basic auth, the proxy and its credentials from settings.xml:
// the right password fetches it (through a CONNECT tunnel, as the user of the settings), a wrong one fails as a
// proxy authentication failure naming the proxy; no log shows either password.
def common = evaluate(new File(itDirectory, 'common.groovy'))
def target = new File(basedir, 'target')
def user = 'it-proxy-user', password = 'it-pr0xy:pw@1', wrong = 'wr0ng-proxy-pw'
// On the other Mavens (profile other-mavens) the runs use the Maven the invoker runs this case on.
def maven = binding.hasVariable('itMavenHome') ? itMavenHome as String : System.getProperty('maven.home')
def https = common.httpsServer(new File(target, 'tls'), SquidProxy.PROXIED_HOST)
def served = new java.util.concurrent.atomic.AtomicInteger()
def parent = new File(basedir, 'parent.aci').bytes
https.server.createContext('/', { exchange ->
    if (exchange.requestURI.path != '/parent.aci') { // no signature: parent.aci.asc is not found
        exchange.sendResponseHeaders(404, -1)
        exchange.close()
        return
    }
    served.incrementAndGet()
    exchange.sendResponseHeaders(200, parent.length)
    exchange.responseBody.withCloseable { it.write(parent) }
})
https.server.start()
def proxy = SquidProxy.start(user, password)
try {
    def url = "https://${SquidProxy.PROXIED_HOST}:${https.server.address.port}/parent.aci"
    // the ITs' settings.xml with its proxy pointed at this squid (the invoker's own run keeps proxy.invalid)
    def settingsWith = { String pw -> { String text ->
        text.replace('<host>proxy.invalid</host>', '<host>127.0.0.1</host>')
            .replace('<port>3128</port>', "<port>${proxy.port()}</port>")
            .replace('<username>jetpack</username>', "<username>${user}</username>")
            .replace('<password>s3cret-proxy-pw</password>', "<password>${pw}</password>")
    } }
    def goodLog = new File(basedir, 'good-password.log'), wrongLog = new File(basedir, 'wrong-password.log')

    def good = common.startMaven(basedir, localRepositoryPath, goodLog, ["-Dit.parent=${url}", 'jetpack:fetch'],
            https.mavenOpts, [settings: settingsWith(password), mavenHome: maven])
    assert common.finish(good, 'the run with the right password') == 0 : goodLog.text
    assert goodLog.text.contains('Imported dev.jetpack.it/proxied-parent:1.0')
    assert served.get() == 1
    def tunnel = "CONNECT ${SquidProxy.PROXIED_HOST}:${https.server.address.port}"
    proxy.awaitAccessLog { it.contains(tunnel.toString()) } // squid logs a tunnel when it ends
    def tunnels = proxy.accessLog().findAll { it.contains(tunnel.toString()) }
    assert tunnels.every { it.contains('TCP_TUNNEL/200') && it.contains(" ${user} ") } : proxy.accessLog()

    def bad = common.startMaven(basedir, localRepositoryPath, wrongLog,
            ["-Dit.parent=${url}", "-Dit.store=${new File(target, 'store-wrong')}", 'jetpack:fetch'],
            https.mavenOpts, [settings: settingsWith(wrong), mavenHome: maven])
    assert common.finish(bad, 'the run with a wrong password') != 0
    def failure = wrongLog.text
    assert failure.contains('Proxy authentication failed') : failure
    assert failure.contains("the proxy 127.0.0.1:${proxy.port()}") && failure.contains("user ${user}") : failure
    assert failure.contains("the <proxy> of Maven's settings.xml") : failure
    assert served.get() == 1 : 'the server was reached without the proxy accepting the credentials'
    [goodLog, wrongLog, new File(basedir, 'build.log')].each { log ->
        assert !log.text.contains(password) && !log.text.contains(wrong) : "a password is in ${log.name}"
    }
    println "[proxy-auth] Maven ${maven}, through squid on 127.0.0.1:${proxy.port()}: the right password fetched ${url}, a wrong one failed: " +
            failure.readLines().find { it.contains('Proxy authentication failed') }?.take(200)
} finally {
    proxy.close()
    https.server.stop(0)
}
return true
