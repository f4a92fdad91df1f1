package io.github.cctv.nats;

import io.github.cctv.protocol.Subjects;
import io.github.cctv.testing.NatsTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The topology and the services' connection on a real three-node NATS cluster. */
class NatsClusterIT {

    static NatsTestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = NatsTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void everyStreamAndBucketGetsTheConfiguredReplicasAndASingleCopyIsRaisedInPlace() throws Exception {
        cluster.awaitHealthy(); // after the other test's restarted node has caught up
        try (Connection nc = Nats.connect(new Options.Builder().servers(cluster.url().split(",")).build())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            // first as a single server would have made it, then the cluster's configuration
            Topology.defaults().ensureAll(nc);
            assertThat(jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration().getReplicas()).isEqualTo(1);

            Topology r3 = Topology.defaults().withReplicas(3, 1);
            r3.ensureAll(nc);
            Topology.ensureDashboardPart(nc, 3);
            Topology.ensureSessionsBucket(nc, Duration.ofHours(12), 3);
            Topology.ensureLayoutsBucket(nc, 3);

            assertThat(jsm.getStreamInfo(Subjects.EVENTS_STREAM).getConfiguration().getReplicas()).isEqualTo(3);
            assertThat(jsm.getStreamInfo(Subjects.AUDIT_STREAM).getConfiguration().getReplicas()).isEqualTo(3);
            assertThat(jsm.getStreamInfo(Subjects.FRAMES_STREAM).getConfiguration().getReplicas())
                    .as("frames kept as configured apart").isEqualTo(1);
            for (String bucket : List.of(Subjects.CAMERAS_BUCKET, Subjects.RECORDING_BUCKET, Subjects.USERS_BUCKET,
                    Subjects.SESSIONS_BUCKET, Subjects.LAYOUTS_BUCKET)) {
                assertThat(nc.keyValueManagement().getStatus(bucket).getReplicas()).as(bucket).isEqualTo(3);
            }
            // the other copies are on other nodes
            assertThat(jsm.getStreamInfo(Subjects.EVENTS_STREAM).getClusterInfo().getReplicas()).hasSize(2);
        }
    }

    @Test
    void aServicesConnectionMovesToAnotherNodeWhenItsNodeDiesAndItsWritesResume() throws Exception {
        try (NatsConnection nats = new NatsConnection(TestNatsConfig.of(cluster.url()), new SimpleMeterRegistry())) {
            Connection nc = nats.awaitConnection();
            Topology.defaults().withReplicas(3, 3).ensureAll(nc);
            KeyValue kv = nc.keyValue(Subjects.RECORDING_BUCKET);
            kv.put("cam1", "before".getBytes(StandardCharsets.UTF_8));
            int node = cluster.nodeOfPort(nc.getServerInfo().getPort());
            assertThat(node).isNotNegative();

            cluster.kill(node);
            // a publish while the connection is down goes to the outgoing queue, never throws at the caller
            nc.publish(Subjects.frames("cam1"), new byte[]{1});
            await().atMost(Duration.ofSeconds(20)).until(() -> nats.isConnected()
                    && cluster.nodeOfPort(nc.getServerInfo().getPort()) != node);
            assertThat(cluster.nodeOfPort(nc.getServerInfo().getPort())).isNotNegative();

            // the bucket's leader may have been on the dead node: a write resumes once a new one is elected
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    kv.put("cam1", "after".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(kv.get("cam1").getValue(), StandardCharsets.UTF_8)).isEqualTo("after");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    nc.jetStream().publish(Subjects.frames("cam2"), new byte[]{2}));
            cluster.restart(node);
            cluster.awaitHealthy();
        }
    }
}
