package io.github.cctv.system;

import io.github.cctv.camera.CameraStreamer;
import io.github.cctv.camera.Outcome;
import io.github.cctv.camera.StreamListener;
import io.github.cctv.protocol.FrameHeaders;
import io.github.cctv.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real camera's frames as a NATS subscriber receives them, held against what the camera says it sent. */
final class FramesOnNats {

    private FramesOnNats() {
    }

    /**
     * Subscribes to the camera's frames, streams {@code count} frames with {@code camera} (this sets its frame limit
     * and listener), and checks that NATS delivered every one once, in order, byte-identical to what was sent.
     *
     * @return the messages as delivered, frame 1 first
     */
    static List<Message> streamAndCheck(Connection nc, String cameraId, CameraStreamer.Builder camera, int count,
                                        Duration within) throws Exception {
        Map<Long, byte[]> sent = new ConcurrentHashMap<>();
        List<Message> received = new CopyOnWriteArrayList<>();
        nc.createDispatcher(received::add).subscribe(Subjects.frames(cameraId));
        nc.flush(Duration.ofSeconds(2));

        CameraStreamer streamer = camera.frameLimit(count)
                .listener(new StreamListener() {
                    @Override
                    public void onFrameSent(long seq, long captureMicros, byte[] data) {
                        sent.put(seq, data.clone());
                    }
                })
                .build().start();
        assertThat(streamer.awaitDone(within)).as("camera finished its %d frames", count).isTrue();
        assertThat(streamer.outcome()).isEqualTo(Outcome.COMPLETED);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= count);
        assertThat(received).hasSize(count);
        for (int i = 0; i < count; i++) {
            Message m = received.get(i);
            long seq = Long.parseLong(m.getHeaders().getFirst(FrameHeaders.SEQ));
            assertThat(seq).as("frame %d in order", i).isEqualTo(i + 1);
            assertThat(m.getData()).as("frame %d byte-identical", seq).isEqualTo(sent.get(seq));
        }
        return received;
    }
}
