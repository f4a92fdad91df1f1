package io.github.cctv.dashboard.domain.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.dashboard.domain.cameras.CameraView;
import io.github.cctv.dashboard.health.LiveMetrics;
import io.github.cctv.protocol.event.CameraEvent;
import io.github.cctv.protocol.event.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Viewers and cameras meeting in the hub, against an in-memory frame source and connections: no NATS, no sockets. */
class LiveHubTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    /** Frames delivered by hand; remembers who subscribed to what. */
    static final class MemoryFrameSource implements FrameSource {
        final Map<String, List<Consumer<Frame>>> sinks = new ConcurrentHashMap<>();
        final Map<String, Frame> retained = new ConcurrentHashMap<>();
        final Map<String, List<Frame>> retainedRuns = new ConcurrentHashMap<>();
        final List<String> subscribed = new CopyOnWriteArrayList<>();
        final List<String> unsubscribed = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(String cameraId, boolean substream, Consumer<Frame> sink) {
            subscribed.add(substream ? cameraId + "/sub" : cameraId);
            sinks.computeIfAbsent(cameraId, k -> new CopyOnWriteArrayList<>()).add(sink);
            return () -> {
                unsubscribed.add(substream ? cameraId + "/sub" : cameraId);
                sinks.get(cameraId).remove(sink);
            };
        }

        @Override
        public List<Frame> startingPoint(String cameraId, boolean substream, long maxBytes) {
            List<Frame> run = retainedRuns.get(cameraId);
            if (run != null) {
                return run;
            }
            Frame f = retained.get(cameraId);
            return f == null ? List.of() : List.of(f);
        }

        void deliver(Frame f) {
            for (Consumer<Frame> sink : sinks.getOrDefault(f.cameraId(), List.of())) {
                sink.accept(f);
            }
        }
    }

    /** A browser whose sends complete at once, or never (a frozen tab). */
    static final class Browser implements ViewerConnection {
        final String id;
        final boolean frozen;
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<String> texts = new CopyOnWriteArrayList<>();
        volatile String closedFor;

        Browser(String id, boolean frozen) {
            this.id = id;
            this.frozen = frozen;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void sendBinary(byte[] message, Consumer<Boolean> done) {
            frames.add(LiveFrameCodec.decode(message));
            if (!frozen) {
                done.accept(true);
            }
        }

        @Override
        public void sendText(String message, Consumer<Boolean> done) {
            texts.add(message);
            if (!frozen) {
                done.accept(true);
            }
        }

        @Override
        public void close(String reason) {
            closedFor = reason;
        }

        List<Long> seqs() {
            return frames.stream().map(Frame::seq).toList();
        }
    }

    final MemoryFrameSource source = new MemoryFrameSource();
    final LiveMetrics metrics = new LiveMetrics(new SimpleMeterRegistry());
    final LiveHub hub = new LiveHub(source, metrics, Clock.fixed(NOW, ZoneOffset.UTC),
            new LiveHub.Limits(4, 3, 1 << 20, 1 << 20, 1_000_000_000L));

    static Frame frame(String cam, long seq) {
        return new Frame(cam, seq, seq * 1000, 1_000_000 + seq * 1000, "jpeg", 64, 48, new byte[]{(byte) seq});
    }

    @Test
    void subscribesToACameraForItsFirstViewerAndUnsubscribesAfterItsLast() {
        Viewer a = hub.connect(new Browser("a", false));
        Viewer b = hub.connect(new Browser("b", false));
        hub.watch(a, Watch.mainStreams(Map.of("cam1", 0)));
        hub.watch(b, Watch.mainStreams(Map.of("cam1", 0, "cam2", 0)));
        assertThat(source.subscribed).containsExactlyInAnyOrder("cam1", "cam2");
        assertThat(hub.subscribedCameras()).containsExactly("cam1", "cam2");

        hub.watch(b, Watch.mainStreams(Map.of("cam1", 0)));
        assertThat(source.unsubscribed).containsExactly("cam2");
        hub.disconnect("a");
        assertThat(source.unsubscribed).containsExactly("cam2");
        hub.disconnect("b");
        assertThat(source.unsubscribed).containsExactly("cam2", "cam1");
        assertThat(hub.subscribedCameras()).isEmpty();
        assertThat(hub.viewers()).isEmpty();
    }

    @Test
    void aNewlyWatchedCameraShowsItsLatestFrameAtOnce() {
        source.retained.put("cam1", frame("cam1", 41));
        Browser browser = new Browser("a", false);
        hub.watch(hub.connect(browser), Watch.mainStreams(Map.of("cam1", 0)));
        assertThat(browser.seqs()).containsExactly(41L);

        source.deliver(frame("cam1", 42));
        Browser late = new Browser("late", false);
        hub.watch(hub.connect(late), Watch.mainStreams(Map.of("cam1", 0)));
        assertThat(late.seqs()).as("the live channel's newest, not the stream's").containsExactly(42L);
        assertThat(hub.snapshotFrame("cam1")).hasValueSatisfying(f -> assertThat(f.seq()).isEqualTo(42));
    }

    @Test
    void aSlowViewerDropsFramesForItselfOnlyAndNeverHoldsTheOthersBack() {
        Browser frozen = new Browser("frozen", true);
        Browser fast = new Browser("fast", false);
        hub.watch(hub.connect(frozen), Watch.mainStreams(Map.of("cam1", 0)));
        hub.watch(hub.connect(fast), Watch.mainStreams(Map.of("cam1", 0)));
        for (long seq = 1; seq <= 100; seq++) {
            source.deliver(frame("cam1", seq)); // returns at once whatever the viewers do
        }
        assertThat(fast.seqs()).hasSize(100).startsWith(1L, 2L).endsWith(100L);
        assertThat(frozen.seqs()).containsExactly(1L);
        Viewer.Stats stats = hub.viewer("frozen").stats();
        assertThat(stats.framesDropped()).isEqualTo(98); // one in flight, one waiting, the rest superseded
        assertThat(metrics.droppedCount(LiveMetrics.DropReason.SUPERSEDED)).isEqualTo(98);
        assertThat(hub.viewer("fast").stats().framesSent()).isEqualTo(100);
    }

    @Test
    void aViewerThatStopsReadingStatusMessagesIsDisconnected() {
        Browser frozen = new Browser("frozen", true);
        hub.connect(frozen);
        for (int i = 0; i < 4; i++) {
            hub.eventHappened(new CameraEvent.RecordingStarted("cam1", NOW, 5));
        }
        assertThat(frozen.closedFor).contains("too many unread messages");
        assertThat(frozen.texts).hasSize(3);
    }

    @Test
    void refusesInvalidIdsNegativeRatesAndTooManyCameras() {
        Viewer v = hub.connect(new Browser("a", false));
        assertThatThrownBy(() -> hub.watch(v, Watch.mainStreams(Map.of("a.b", 0)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hub.watch(v, Watch.mainStreams(Map.of("cam1", -1)))).hasMessageContaining("cam1");
        assertThatThrownBy(() -> hub.watch(v, Watch.mainStreams(Map.of("c1", 0, "c2", 0, "c3", 0, "c4", 0, "c5", 0))))
                .hasMessageContaining("at most 4");
        assertThat(source.subscribed).isEmpty();
    }

    @Test
    void keepsTheNewestFrameByIngestTimeWhenFramesArriveOutOfOrder() {
        hub.watch(hub.connect(new Browser("a", false)), Watch.mainStreams(Map.of("cam1", 0)));
        source.deliver(frame("cam1", 5));
        source.deliver(frame("cam1", 4));
        assertThat(hub.snapshotFrame("cam1")).hasValueSatisfying(f -> assertThat(f.seq()).isEqualTo(5));
    }

    @Test
    void pushesCameraChangesAndEventsToEveryViewerStampedWithTheServersTime() throws Exception {
        Browser a = new Browser("a", false);
        Browser b = new Browser("b", false);
        hub.connect(a);
        hub.connect(b);
        hub.cameraChanged(new CameraView("cam1", null, null));
        hub.cameraRemoved("cam2");
        hub.eventHappened(new CameraEvent.RecordingStopped("cam1", NOW, "operator"));
        for (Browser browser : List.of(a, b)) {
            assertThat(browser.texts).hasSize(3);
            JsonNode changed = Events.mapper().readTree(browser.texts.get(0));
            assertThat(changed.get("type").asText()).isEqualTo("camera");
            assertThat(changed.get("serverTime").asLong()).isEqualTo(NOW.toEpochMilli());
            assertThat(changed.at("/camera/cameraId").asText()).isEqualTo("cam1");
            assertThat(Events.mapper().readTree(browser.texts.get(1)).get("type").asText()).isEqualTo("camera-removed");
            assertThat(Events.mapper().readTree(browser.texts.get(2)).at("/event/type").asText()).isEqualTo("recording-stopped");
        }
    }

    static Frame h264(String cam, long seq, int gop) {
        return new Frame(cam, new io.github.cctv.protocol.FrameMetadata(seq, seq * 1000, 1_000_000 + seq * 1000,
                "h264", 64, 48, seq % gop == 0), new byte[]{(byte) seq});
    }

    @Test
    void aViewerWhoJoinsAnH264CameraGetsEveryFrameSinceTheNewestKeyFrameThenLiveFrames() {
        Browser first = new Browser("first", false);
        hub.watch(hub.connect(first), Watch.mainStreams(Map.of("cam1", 0)));
        for (long seq = 5; seq <= 23; seq++) {
            source.deliver(h264("cam1", seq, 10));
        }
        assertThat(first.seqs()).startsWith(10L).endsWith(23L).hasSize(14);

        Browser late = new Browser("late", false);
        hub.watch(hub.connect(late), Watch.mainStreams(Map.of("cam1", 0)));
        assertThat(late.seqs()).containsExactly(20L, 21L, 22L, 23L);
        source.deliver(h264("cam1", 24, 10));
        assertThat(late.seqs()).endsWith(23L, 24L);
        assertThat(hub.snapshotFrame("cam1")).hasValueSatisfying(f -> assertThat(f.seq()).isEqualTo(20));
    }

    @Test
    void theFirstViewerOfAnH264CameraStartsFromTheRetainedRun() {
        source.retainedRuns.put("cam1", List.of(h264("cam1", 30, 10), h264("cam1", 31, 10), h264("cam1", 32, 10)));
        Browser browser = new Browser("a", false);
        hub.watch(hub.connect(browser), Watch.mainStreams(Map.of("cam1", 0)));
        source.deliver(h264("cam1", 33, 10));
        assertThat(browser.seqs()).containsExactly(30L, 31L, 32L, 33L);
    }

    @Test
    void aTileOnTheSubstreamSubscribesToItAndTheSingleViewToTheMainStream() {
        Viewer grid = hub.connect(new Browser("grid", false));
        Viewer single = hub.connect(new Browser("single", false));
        hub.watch(grid, Map.of("cam1", new Watch(0, true)));
        hub.watch(single, Map.of("cam1", Watch.main(0)));
        assertThat(hub.subscribedCameras()).containsExactly("cam1", "cam1/sub");
        assertThat(grid.stats().cameras()).containsOnlyKeys("cam1/sub");
        hub.watch(grid, Map.of("cam1", Watch.main(0)));
        assertThat(source.unsubscribed).containsExactly("cam1/sub");
        assertThat(hub.subscribedCameras()).containsExactly("cam1");
    }
}
