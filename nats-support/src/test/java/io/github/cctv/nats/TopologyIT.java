package io.github.cctv.nats;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyIT {

    NatsTestServer server;
    Connection nc;

    @BeforeEach
    void start() throws Exception {
        server = NatsTestServer.start();
        nc = Nats.connect(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        server.close();
    }

    @Test
    void createsTheProductionStreamsAndBucketsOnceAndRestoresChangedLimits() throws Exception {
        Topology topology = Topology.defaults();
        topology.ensureAll(nc);
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.updateStream(StreamConfiguration.builder(topology.framesStream()).maxAge(Duration.ofSeconds(5))
                .duplicateWindow(Duration.ofSeconds(2)).build());
        topology.ensureAll(nc);

        StreamConfiguration frames = jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration();
        assertThat(frames.getStorageType()).isEqualTo(StorageType.Memory);
        assertThat(frames.getMaxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(frames.getMaxBytes()).isEqualTo(1L << 30);
        assertThat(frames.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
        assertThat(frames.getDuplicateWindow()).isEqualTo(Topology.FRAMES_DUPLICATE_WINDOW);
        StreamConfiguration events = jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration();
        assertThat(events.getStorageType()).isEqualTo(StorageType.File);
        assertThat(events.getMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(events.getMaxBytes()).isEqualTo(256L << 20);
        assertThat(events.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
        var cameras = nc.keyValueManagement().getStatus(Subjects.CAMERAS_BUCKET).getConfiguration();
        assertThat(cameras.getMaxBucketSize()).isEqualTo(20_000L * Topology.REGISTRY_BYTES_PER_CAMERA);
        assertThat(cameras.getMaximumValueSize()).isEqualTo(Topology.REGISTRY_MAX_ENTRY_BYTES);
        assertThat(nc.keyValueManagement().getBucketNames())
                .contains(Subjects.CAMERAS_BUCKET, Subjects.RECORDING_BUCKET);
        assertThat(nc.keyValueManagement().getStatus(Subjects.RECORDING_BUCKET).getStorageType()).isEqualTo(StorageType.File);
    }

    @Test
    void givesAFrameStreamOfAnEarlierVersionItsDuplicateWindowWithinTheFrameWindow() throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        // as ingest created it before frames carried message ids: the server's default window (2 minutes, at most the max age)
        jsm.addStream(StreamConfiguration.builder(Topology.defaults().framesStream()).duplicateWindow(Duration.ZERO).build());
        assertThat(jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration().getDuplicateWindow())
                .isEqualTo(Duration.ofSeconds(60));

        Topology.defaults().ensureIngestPart(nc);
        assertThat(jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration().getDuplicateWindow())
                .isEqualTo(Duration.ofSeconds(20));

        Topology shortWindow = new Topology(Duration.ofSeconds(10), 1L << 30, Duration.ofDays(30), 256L << 20, 20_000);
        shortWindow.ensureIngestPart(nc);
        StreamConfiguration frames = jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration();
        assertThat(frames.getMaxAge()).isEqualTo(Duration.ofSeconds(10));
        assertThat(frames.getDuplicateWindow()).isEqualTo(Duration.ofSeconds(10));
        // the event stream keeps the server's default window
        assertThat(jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration().getDuplicateWindow())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void boundsTheRegistryAndTheEventHistoryInBytesAndRestoresTheBoundsAfterAChange() throws Exception {
        Topology small = new Topology(Duration.ofSeconds(60), 1L << 30, Duration.ofDays(30), 4096, 10);
        small.ensureIngestPart(nc);
        var kv = nc.keyValue(Subjects.CAMERAS_BUCKET);
        byte[] entry = new byte[1000];
        int stored = 0;
        for (int i = 0; i < 200; i++) {
            try {
                kv.put("cam" + i, entry);
                stored++;
            } catch (io.nats.client.JetStreamApiException e) {
                // the bucket is full: NATS refuses what would pass its byte bound
            }
        }
        assertThat(stored).as("entries of 1000 bytes in a bucket of 10 cameras").isLessThan(200);
        assertThat(nc.keyValueManagement().getStatus(Subjects.CAMERAS_BUCKET).getByteCount())
                .isLessThanOrEqualTo(small.registryMaxBytes());
        assertThatThrownBy(() -> kv.put("huge", new byte[Topology.REGISTRY_MAX_ENTRY_BYTES + 1]))
                .isInstanceOf(io.nats.client.JetStreamApiException.class);

        for (int i = 0; i < 100; i++) {
            nc.jetStream().publish(Subjects.event("cam1", "connected"), new byte[200]);
        }
        assertThat(nc.jetStreamManagement().getStreamInfo(Subjects.EVENTS_STREAM).getStreamState().getByteCount())
                .as("oldest events dropped at the byte bound").isLessThanOrEqualTo(4096);

        Topology.defaults().ensureIngestPart(nc);
        assertThat(nc.keyValueManagement().getStatus(Subjects.CAMERAS_BUCKET).getConfiguration().getMaxBucketSize())
                .isEqualTo(Topology.defaults().registryMaxBytes());
        assertThat(nc.jetStreamManagement().getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration().getMaxBytes())
                .isEqualTo(Topology.defaults().eventsMaxBytes());
    }

    @Test
    void refusesAStreamOfTheWrongStorageWithWhatToDo() throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder(Topology.defaults().eventsStream())
                .storageType(StorageType.Memory).build());
        assertThatThrownBy(() -> Topology.defaults().ensureIngestPart(nc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Subjects.EVENTS_STREAM).hasMessageContaining("nats stream rm");
    }

    @Test
    void aClaimLivesWhileRenewedWithinTheLeaseAndExpiresOneLeaseAfterItsLastWrite() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Topology.ensureClaimsBucket(nc, lease, 100);
        var config = nc.keyValueManagement().getStatus(Subjects.CLAIMS_BUCKET).getConfiguration();
        assertThat(config.getTtl()).isEqualTo(lease);
        assertThat(config.getStorageType()).isEqualTo(StorageType.Memory);
        assertThat(config.getMaxBucketSize()).isEqualTo(100L * Topology.CLAIMS_BYTES_PER_CAMERA + 1024 * 1024);
        // a changed lease is put right
        Topology.ensureClaimsBucket(nc, Duration.ofSeconds(3), 100);
        assertThat(nc.keyValueManagement().getStatus(Subjects.CLAIMS_BUCKET).getConfiguration().getTtl())
                .isEqualTo(Duration.ofSeconds(3));
        Topology.ensureClaimsBucket(nc, lease, 100);

        var kv = nc.keyValue(Subjects.CLAIMS_BUCKET);
        long rev = kv.create("door", "ingest-a".getBytes());
        assertThatThrownBy(() -> kv.create("door", "ingest-b".getBytes()))
                .as("a second claim of a held id").isInstanceOf(io.nats.client.JetStreamApiException.class);
        // renewed twice within the lease: it outlives it
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(700)).until(() -> true);
            rev = kv.update("door", "ingest-a".getBytes(), rev);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(lease);
        assertThat(kv.get("door")).isNotNull();
        // left alone, it goes with its lease, and the id can be claimed again
        org.awaitility.Awaitility.await().atMost(lease.plusSeconds(3)).until(() -> kv.get("door") == null);
        assertThat(kv.create("door", "ingest-b".getBytes())).isPositive();
    }
}
