package io.github.cctv.ingest;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stranger looping connect, garbage, close against the packaged service: its log grows by a bounded number of
 * lines whatever the number of attempts, the registry gets nothing, and a camera elsewhere is let in meanwhile.
 */
class RejectFloodProcessIT {

    @RegisterExtension
    static final IngestProcess.Fixture system = new IngestProcess.Fixture("ingest-reject-flood", "256m");

    @Test
    void tenSecondsOfConnectGarbageCloseWriteABoundedLogAndNoRegistryEntry() throws Exception {
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        byte[] garbage = "GET / HTTP/1.1\r\nHost: ingest\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int linesBefore = system.ingest().logLines().size();
        long bytesBefore = Files.size(system.ingest().process.log());

        int attempts = 0;
        boolean cameraTried = false;
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(stranger, 0));
                s.connect(new InetSocketAddress("127.0.0.1", system.ingest().cameraPort), 2_000);
                s.getOutputStream().write(garbage);
            } catch (IOException e) {
                // refused or reset: an attempt all the same
            }
            attempts++;
            if (!cameraTried && System.nanoTime() - start > Duration.ofSeconds(5).toNanos()) {
                cameraTried = true;
                // another address is not limited by the stranger's attempts
                try (TestCamera camera = TestCamera.online(system.ingest().cameraPort, "honest")) {
                    camera.goodbye();
                }
            }
        }
        // the refusal of an address over its rate says so and when to retry. A connect of the flood that stalled
        // near its end (the accept queue full, the SYN sent again a second later) lets the address's allowance
        // refill by a few attempts: the next ones use them up. A wrong token keeps one let through out of the registry.
        Message.Reject busy = null;
        for (int i = 0; i < 100 && busy == null; i++) {
            try (TestCamera late = TestCamera.connectFrom(stranger, system.ingest().cameraPort, "late")) {
                Message m = late.handshake("not-the-token");
                assertThat(m).isInstanceOf(Message.Reject.class);
                Message.Reject r = (Message.Reject) m;
                if (r.reason() == ReasonCode.SERVER_BUSY) {
                    busy = r;
                } else {
                    assertThat(r.reason()).as("let through by the limit: refused for its token").isEqualTo(ReasonCode.BAD_TOKEN);
                }
            }
        }
        assertThat(busy).as("a refusal for the address's rate within 100 attempts").isNotNull();
        assertThat(busy.message()).contains("too many connection attempts from 127.0.0.2");
        assertThat(attempts).as("a real flood").isGreaterThan(2_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> system.ingest().metric("cctv_ingest_rejects_total") >= 2_000);

        List<String> added = system.ingest().logLines().subList(linesBefore, system.ingest().logLines().size());
        long bytesAdded = Files.size(system.ingest().process.log()) - bytesBefore;
        assertThat(added).as("log lines written for %d attempts: %s", attempts, added).hasSizeLessThanOrEqualTo(20);
        assertThat(bytesAdded).isLessThan(8_000);
        assertThat(added).anyMatch(l -> l.contains("more SERVER_BUSY") || l.contains("SERVER_BUSY"));

        try (Connection nc = Nats.connect(system.nats().url())) {
            // the registry is written through the outbox: on a loaded machine it can trail the goodbye a little
            await().atMost(Duration.ofSeconds(10)).until(() -> !nc.keyValue(Subjects.CAMERAS_BUCKET).keys().isEmpty());
            assertThat(nc.keyValue(Subjects.CAMERAS_BUCKET).keys()).as("registry entries").containsExactly("honest");
        }
    }
}
