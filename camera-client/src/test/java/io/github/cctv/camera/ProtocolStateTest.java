package io.github.cctv.camera;

import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.protocol.wire.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.cctv.camera.ProtocolState.State.BACKOFF;
import static io.github.cctv.camera.ProtocolState.State.CLOSING;
import static io.github.cctv.camera.ProtocolState.State.CONNECTING;
import static io.github.cctv.camera.ProtocolState.State.DONE;
import static io.github.cctv.camera.ProtocolState.State.HANDSHAKING;
import static io.github.cctv.camera.ProtocolState.State.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;

class ProtocolStateTest {

    private static final long MS = 1_000_000;
    private static final Message.Accept ACCEPT = new Message.Accept(Wire.VERSION, 1 << 20, 1000, 3000);

    private final CameraStreamerTest.Recorder listener = new CameraStreamerTest.Recorder();
    private final SessionStats stats = new SessionStats();
    private final StreamConfig config = new StreamConfig("127.0.0.1", 9000, "cam1", null, null, 320, 240, 15, 0,
            Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10));
    // jitter fixed at its top: every delay is the full ceiling
    private final ProtocolState p = new ProtocolState(config, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0),
            listener, stats);

    private void streamingAt(long now) {
        p.begin(now);
        assertThat(p.connectDue(now)).isTrue();
        p.connecting(now);
        p.connected(now);
        p.onMessage(ACCEPT, now);
    }

    @Test
    void connectsHandshakesAndStreams() {
        p.begin(0);
        assertThat(p.state()).isEqualTo(BACKOFF);
        assertThat(p.nextDeadline()).isZero();
        p.connecting(0);
        assertThat(p.state()).isEqualTo(CONNECTING);
        assertThat(p.nextDeadline()).isEqualTo(5000 * MS);
        p.connected(10 * MS);
        assertThat(p.state()).isEqualTo(HANDSHAKING);
        assertThat(p.nextDeadline()).isEqualTo(10_010 * MS);
        p.onMessage(ACCEPT, 20 * MS);
        assertThat(p.state()).isEqualTo(STREAMING);
        assertThat(p.accept()).isEqualTo(ACCEPT);
        assertThat(p.heartbeatNanos()).isEqualTo(1000 * MS);
        assertThat(p.wantsConnection()).isTrue();
        assertThat(stats.sessions).isEqualTo(1);
        assertThat(listener.events).containsExactly("connected");
    }

    @Test
    void aConnectionThatNeverCompletesIsRetriedAfterABackoff() {
        p.begin(0);
        p.connecting(0);
        p.checkDeadlines(4999 * MS);
        assertThat(p.state()).isEqualTo(CONNECTING);
        p.checkDeadlines(5000 * MS);
        assertThat(p.state()).isEqualTo(BACKOFF);
        assertThat(p.wantsConnection()).isFalse();
        assertThat(p.connectDue(5499 * MS)).isFalse();
        assertThat(p.connectDue(5500 * MS)).isTrue();
        assertThat(listener.events).containsExactly("retry no connection within 5000 ms");
        assertThat(stats.reconnects).isEqualTo(1);
    }

    @Test
    void aServerThatNeverAcceptsIsRetriedAndTheBackoffDoubles() {
        p.begin(0);
        p.connecting(0);
        p.connected(0);
        p.checkDeadlines(10_000 * MS);
        assertThat(p.state()).isEqualTo(BACKOFF);
        p.connecting(10_500 * MS);
        p.connected(10_500 * MS);
        p.checkDeadlines(20_500 * MS);
        assertThat(listener.retryDelays).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        assertThat(listener.events.get(0)).isEqualTo("retry no accept from the server within 10000 ms");
    }

    @Test
    void anInvalidIdIsRefusedForGood() {
        p.begin(0);
        p.connecting(0);
        p.connected(0);
        p.onMessage(new Message.Reject(ReasonCode.INVALID_CAMERA_ID, "no such camera"), 1);
        assertThat(p.state()).isEqualTo(DONE);
        assertThat(p.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(p.fatalReject().message()).isEqualTo("no such camera");
        assertThat(listener.events).containsExactly("rejected INVALID_CAMERA_ID");
    }

    @Test
    void otherRefusalsAreRetried() {
        p.begin(0);
        p.connecting(0);
        p.connected(0);
        p.onMessage(new Message.Reject(ReasonCode.UNSUPPORTED_CODEC, "codec h264 is not accepted"), 1);
        assertThat(p.state()).isEqualTo(BACKOFF);
        assertThat(p.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(listener.events).containsExactly("rejected UNSUPPORTED_CODEC",
                "retry rejected: UNSUPPORTED_CODEC: codec h264 is not accepted");
    }

    @Test
    void aSilentServerIsDeclaredLostAfterTheSessionTimeout() {
        streamingAt(0);
        p.received(1000 * MS);
        p.checkDeadlines(4000 * MS);
        assertThat(p.state()).isEqualTo(STREAMING);
        assertThat(p.nextDeadline()).isEqualTo(4000 * MS + 1);
        p.checkDeadlines(4000 * MS + 1);
        assertThat(p.state()).isEqualTo(BACKOFF);
        assertThat(listener.events).contains("disconnected server lost: nothing received for 3000 ms (session timeout 3000 ms)");
    }

    @Test
    void aServerGoodbyeIsNotAnsweredTheCameraComesBackLater() {
        streamingAt(0);
        p.onMessage(new Message.Goodbye(), 5 * MS);
        assertThat(p.state()).isEqualTo(BACKOFF);
        assertThat(listener.events).containsExactly("connected", "disconnected server said goodbye",
                "retry server said goodbye");
    }

    @Test
    void stoppingWhileStreamingClosesWithAGoodbye() {
        streamingAt(0);
        p.stop(100 * MS);
        assertThat(p.state()).isEqualTo(CLOSING);
        assertThat(p.outcome()).isEqualTo(Outcome.STOPPED);
        p.goodbyeWritten();
        assertThat(p.state()).isEqualTo(DONE);
        assertThat(listener.events).containsExactly("connected", "disconnected stopped, goodbye sent");
    }

    @Test
    void aGoodbyeThatCannotBeWrittenIsAbandonedAfterTheGrace() {
        streamingAt(0);
        p.complete(100 * MS);
        assertThat(p.outcome()).isEqualTo(Outcome.COMPLETED);
        p.checkDeadlines(100 * MS + ProtocolState.CLOSING_GRACE.toNanos());
        assertThat(p.state()).isEqualTo(DONE);
        assertThat(listener.events).containsExactly("connected", "disconnected closed before the goodbye could be written");
    }

    @Test
    void stoppingWhileNotConnectedEndsAtOnce() {
        p.begin(0);
        p.stop(0);
        assertThat(p.state()).isEqualTo(DONE);
        assertThat(p.connectDue(0)).isFalse();
    }

    @Test
    void stoppingDuringTheHandshakeEndsAtOnce() {
        p.begin(0);
        p.connecting(0);
        p.connected(0);
        p.stop(1);
        assertThat(p.state()).isEqualTo(DONE);
    }

    @Test
    void aFailureWhileClosingEndsTheStream() {
        streamingAt(0);
        p.stop(1);
        p.failed(2, "connection reset");
        assertThat(p.state()).isEqualTo(DONE);
        assertThat(stats.reconnects).isZero();
    }
}
