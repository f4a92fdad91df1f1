package io.github.cctv.ingest;

import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.DisconnectReason;
import io.github.cctv.protocol.wire.Codec;
import io.github.cctv.protocol.wire.Message;
import io.github.cctv.protocol.wire.ReasonCode;
import io.github.cctv.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ingest publishes what a camera calls a JPEG or an H.264 access unit only when its bytes are one. */
@QuarkusTest
@QuarkusTestResource(value = NatsServerResource.class, restrictToAnnotatedClass = false)
class FrameValidationIT extends IngestTestSupport {

    @Test
    void publishesRealH264AccessUnitsByteIdenticalWithCodecAndKeyHeaders() throws Exception {
        List<H264Stream.AccessUnit> units = H264Stream.encode(30, 10);
        assertThat(units).hasSize(30);
        assertThat(units).filteredOn(H264Stream.AccessUnit::key).hasSize(3);
        String id = newId("h264");
        List<io.nats.client.Message> frames = probe.frames(id);
        try (TestCamera cam = TestCamera.online(port(), id, Codec.H264)) {
            long t = System.currentTimeMillis() * 1000;
            for (int i = 0; i < units.size(); i++) {
                cam.frame(i, t + i * 100_000L, units.get(i).key(), units.get(i).data());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == units.size());
            assertThat(cam.next(Duration.ofMillis(200))).isNull();
            cam.goodbye();
        }
        for (int i = 0; i < units.size(); i++) {
            io.nats.client.Message m = frames.get(i);
            assertThat(m.getData()).as("access unit %d", i).isEqualTo(units.get(i).data());
            assertThat(m.getHeaders().getFirst(FrameHeaders.CODEC)).isEqualTo("h264");
            assertThat(m.getHeaders().getFirst(FrameHeaders.KEY_FRAME)).isEqualTo(units.get(i).key() ? "1" : "0");
        }
    }

    @Test
    void refusesAnH264KeyFrameWithoutItsParameterSetsAndAFrameThatIsNotAnnexB() throws Exception {
        List<H264Stream.AccessUnit> units = H264Stream.encode(3, 10);
        byte[] idrWithoutSps = H264Stream.without(units.get(0).data(), 7);
        assertRefused(Codec.H264, true, idrWithoutSps, "lacks an SPS");
        byte[] lengthPrefixed = Arrays.copyOf(units.get(1).data(), units.get(1).data().length);
        lengthPrefixed[3] = 0x10; // 00 00 00 10: a length, not a start code
        assertRefused(Codec.H264, false, lengthPrefixed, "Annex B");
        assertRefused(Codec.H264, false, units.get(0).data(), "not flagged key frame");
        assertRefused(Codec.H264, true, image(1, 2000), "Annex B");
    }

    @Test
    void refusesAJpegWithoutSoiOrEoi() throws Exception {
        byte[] truncated = Arrays.copyOf(image(1, 4000), 3000);
        assertRefused(Codec.JPEG, true, truncated, "EOI");
        byte[] png = image(2, 4000);
        png[0] = (byte) 0x89;
        png[1] = 'P';
        assertRefused(Codec.JPEG, true, png, "SOI");
    }

    /** One good frame goes through; the bad one gets REJECT INVALID_FRAME and ends the session as protocol-error. */
    private void assertRefused(Codec codec, boolean key, byte[] bad, String says) throws Exception {
        String id = newId("bad-" + codec.wireName());
        List<io.nats.client.Message> frames = probe.frames(id);
        List<CameraEvent> events = probe.events(id);
        try (TestCamera cam = TestCamera.online(port(), id, codec)) {
            byte[] good = codec == Codec.JPEG ? image(0, 1000) : H264Stream.encode(1, 10).get(0).data();
            cam.frame(0, System.currentTimeMillis() * 1000, true, good);
            cam.frame(1, System.currentTimeMillis() * 1000, key, bad);
            Message m = cam.next(Duration.ofSeconds(3));
            assertThat(m).isInstanceOf(Message.Reject.class);
            assertThat(((Message.Reject) m).reason()).isEqualTo(ReasonCode.INVALID_FRAME);
            assertThat(((Message.Reject) m).message()).contains("frame 1", says);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> NatsProbe.disconnects(events) == 1);
        CameraEvent.CameraDisconnected d = (CameraEvent.CameraDisconnected) events.get(1);
        assertThat(d.reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        assertThat(d.detail()).startsWith("INVALID_FRAME: ");
        assertThat(frames).as("only the good frame is published").hasSize(1);
    }
}
