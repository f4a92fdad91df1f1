package io.github.cctv.dashboard;

import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connections that hold the server without finishing a request are closed; real requests and live pages are not. */
@QuarkusTest
@TestProfile(TimeoutProfile.class)
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRecorder.class, restrictToAnnotatedClass = false)
class ConnectionTimeoutIT {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(TimeoutProfile.HEADER_TIMEOUT_SECONDS);

    @TestHTTPResource("/")
    URI root;

    @Test
    void halfSentRequestsAreClosedAfterTheHeaderTimeoutWhileRealRequestsAreAnswered() throws Exception {
        List<SocketChannel> held = RawHttp.halfSentRequests(root.getHost(), root.getPort(), 2000);
        try {
            // meanwhile the dashboard answers
            assertThat(Http.get(root.resolve("/api/cameras")).statusCode()).isEqualTo(200);
            // every one of them is closed by the server after the header timeout, none stays
            await().atMost(HEADER_TIMEOUT.multipliedBy(3).plusSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> RawHttp.stillOpen(held) == 0);
            assertThat(Http.get(root.resolve("/api/cameras")).statusCode()).isEqualTo(200);
        } finally {
            RawHttp.closeAll(held);
        }
    }

    @Test
    void aConnectionThatIsStillSendingItsHeadersIsNotCutWhileBytesArrive() throws Exception {
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(root.getHost(), root.getPort()))) {
            String request = "GET /api/cameras HTTP/1.1\r\nHost: " + root.getHost() + "\r\nConnection: close\r\n\r\n";
            c.write(ByteBuffer.wrap(request.substring(0, 20).getBytes(StandardCharsets.US_ASCII)));
            // a slow network: the rest comes within the timeout
            await().pollDelay(HEADER_TIMEOUT.dividedBy(2)).until(() -> true);
            c.write(ByteBuffer.wrap(request.substring(20).getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            c.read(answer);
            assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void anAnswerTheRecorderTakesLongerToStartIsNotCut() throws Exception {
        FakeRecorder.slowMillis = HEADER_TIMEOUT.multipliedBy(2).plusSeconds(1).toMillis();
        var slow = Http.get(root.resolve("/api/recordings/slow/file"));
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(new String(slow.body(), StandardCharsets.UTF_8)).isEqualTo("slow");
    }

    @Test
    void aQuietLiveWebSocketOutlivesTheHeaderTimeout() throws Exception {
        try (LiveClient page = LiveClient.open(root.resolve("/ws/live"))) {
            await().until(() -> !page.textsOfType("hello").isEmpty());
            await().during(HEADER_TIMEOUT.multipliedBy(3)).atMost(HEADER_TIMEOUT.multipliedBy(4))
                    .until(() -> !page.closedByServer());
            page.send("{\"type\":\"subscribe\",\"cameras\":{}}");
            await().until(() -> !page.textsOfType("subscribed").isEmpty());
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheHeaderTimeout() throws Exception {
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(root.getHost(), root.getPort()))) {
            c.write(ByteBuffer.wrap(("GET /q/health/live HTTP/1.1\r\nHost: " + root.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(4096);
            c.read(answer);
            assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            c.configureBlocking(false);
            await().atMost(HEADER_TIMEOUT.multipliedBy(3)).until(() -> RawHttp.stillOpen(List.of(c)) == 0);
        }
    }
}
