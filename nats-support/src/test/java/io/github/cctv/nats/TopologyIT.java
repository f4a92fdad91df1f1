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
        jsm.updateStream(StreamConfiguration.builder(topology.framesStream()).maxAge(Duration.ofSeconds(5)).build());
        topology.ensureAll(nc);

        StreamConfiguration frames = jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration();
        assertThat(frames.getStorageType()).isEqualTo(StorageType.Memory);
        assertThat(frames.getMaxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(frames.getMaxBytes()).isEqualTo(1L << 30);
        assertThat(frames.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
        StreamConfiguration events = jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration();
        assertThat(events.getStorageType()).isEqualTo(StorageType.File);
        assertThat(events.getMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(nc.keyValueManagement().getBucketNames())
                .contains(Subjects.CAMERAS_BUCKET, Subjects.RECORDING_BUCKET);
        assertThat(nc.keyValueManagement().getStatus(Subjects.RECORDING_BUCKET).getStorageType()).isEqualTo(StorageType.File);
    }

    @Test
    void refusesAStreamOfTheWrongStorageWithWhatToDo() throws Exception {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder(Topology.defaults().eventsStream())
                .storageType(StorageType.Memory).build());
        assertThatThrownBy(() -> Topology.defaults().ensureIngestPart(nc)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Subjects.EVENTS_STREAM).hasMessageContaining("nats stream rm");
    }
}
