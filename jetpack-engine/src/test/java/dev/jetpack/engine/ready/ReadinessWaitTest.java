package dev.jetpack.engine.ready;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetpack.engine.JetpackException;
import dev.jetpack.engine.runtime.OutputSink.Stream;
import dev.jetpack.engine.testing.TestHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessWaitTest {
    private static final ReadinessWait.ExitProbe RUNNING = Optional::empty;

    @Test
    void httpIsMetByTwoOrThreeHundredsOnly() {
        try (TestHttpServer server = TestHttpServer.http()) {
            server.serveText("/ok", "<p>ok</p>").redirect("/moved", 302, "/ok").status("/broken", 500);
            assertThat(HttpReady.parse(server.uri("/ok").toString()).isMet()).isTrue();
            assertThat(HttpReady.parse(server.uri("/moved").toString()).isMet()).isTrue();
            assertThat(HttpReady.parse(server.uri("/broken").toString()).isMet()).isFalse();
            HttpReady missing = HttpReady.parse(server.uri("/missing").toString());
            assertThat(missing.isMet()).isFalse();
            assertThat(missing.lastAttempt()).contains("answered 404");
        }
    }

    @Test
    void httpToAClosedPortIsNotMet() throws IOException {
        assertThat(HttpReady.parse("http://127.0.0.1:" + closedPort() + "/").isMet()).isFalse();
    }

    @Test
    void tcpIsMetWhileAServerListens() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            assertThat(TcpReady.parse(String.valueOf(server.getLocalPort())).isMet()).isTrue();
            assertThat(TcpReady.parse("127.0.0.1:" + server.getLocalPort()).isMet()).isTrue();
        }
        assertThat(TcpReady.parse(String.valueOf(closedPort())).isMet()).isFalse();
    }

    @Test
    void logIsMetByAnEarlierOrLaterMatchingLine() {
        LogReady ready = LogReady.parse("listening on port \\d+");
        ready.line(Stream.STDOUT, "starting");
        assertThat(ready.isMet()).isFalse();
        ready.line(Stream.STDERR, "server: listening on port 8080 (http)");
        assertThat(ready.isMet()).isTrue();
        ready.line(Stream.STDOUT, "other");
        assertThat(ready.isMet()).isTrue();
    }

    @Test
    void badConditionsAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> HttpReady.parse("ftp://127.0.0.1/")).isInstanceOf(JetpackException.class)
                .hasMessageContaining("'ftp://127.0.0.1/' is not an http or https URL").hasMessageContaining("http://");
        assertThatThrownBy(() -> HttpReady.parse("127.0.0.1:8080")).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> TcpReady.parse("70000")).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> TcpReady.parse("web")).hasMessageContaining("'web' is not a port");
        assertThatThrownBy(() -> LogReady.parse("(unclosed")).hasMessageContaining("not a valid regular expression");
    }

    @Test
    void waitReturnsOnceEveryConditionIsMet() throws Exception {
        LogReady log = LogReady.parse("ready");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread later = new Thread(() -> {
                sleep(300);
                log.line(Stream.STDOUT, "now ready");
            });
            later.start();
            Duration took = new ReadinessWait("web", List.of(TcpReady.parse("" + server.getLocalPort()), log),
                    Duration.ofSeconds(20)).await(RUNNING, List::of);
            later.join();
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void timeOutNamesAppConditionTimeoutAndLogTail() throws IOException {
        OutputTail tail = new OutputTail(2);
        tail.line(Stream.STDOUT, "line 1");
        tail.line(Stream.STDOUT, "line 2");
        tail.line(Stream.STDERR, "bind: address in use");
        int port = closedPort();
        ReadinessWait wait = new ReadinessWait("web", List.of(TcpReady.parse("" + port)), Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> wait.await(RUNNING, tail::lines)).isInstanceOf(AppNotReadyException.class)
                .hasMessageContaining("The app web was not ready within 1 s")
                .hasMessageContaining("tcp 127.0.0.1:" + port + " (last try: Connection refused")
                .hasMessageContaining("line 2\n  bind: address in use")
                .hasMessageNotContaining("line 1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAppThatExitsFailsTheWaitAtOnceWithItsExitCode() throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "exit 3").start();
        process.waitFor();
        ReadinessWait wait = new ReadinessWait("web", List.of(LogReady.parse("never")), Duration.ofSeconds(60));
        long start = System.nanoTime();
        assertThatThrownBy(() -> wait.await(
                () -> process.isAlive() ? Optional.empty() : Optional.of(process.exitValue()), List::of))
                .hasMessageContaining("The app web exited with code 3 before it was ready")
                .hasMessageContaining("log /never/").hasMessageContaining("it wrote no output");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
