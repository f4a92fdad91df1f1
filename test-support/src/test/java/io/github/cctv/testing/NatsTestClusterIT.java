package io.github.cctv.testing;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NatsTestClusterIT {

    @Test
    void threeNodesFormOneClusterWithJetStreamAndAStreamOfThreeReplicasOutlivesANode() throws Exception {
        try (NatsTestCluster cluster = NatsTestCluster.start()) {
            assertThat(cluster.url().split(",")).hasSize(3).allMatch(u -> !u.endsWith(":4222"));
            Options options = new Options.Builder().servers(cluster.url().split(",")).maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(100)).build();
            try (Connection nc = Nats.connect(options)) {
                assertThat(nc.getServerInfo().getCluster()).isEqualTo("cctv");
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("R3").subjects("r3.>").storageType(StorageType.File)
                        .replicas(3).build());
                JetStream js = nc.jetStream();
                for (int i = 0; i < 50; i++) {
                    js.publish("r3.a", ("before " + i).getBytes(StandardCharsets.UTF_8));
                }
                StreamInfo info = jsm.getStreamInfo("R3");
                assertThat(info.getClusterInfo().getReplicas()).as("two followers").hasSize(2);
                int leader = nodeNamed(cluster, info.getClusterInfo().getLeader());
                assertThat(leader).isNotNegative();

                // the leader goes, and with it possibly this client's node
                cluster.kill(leader);
                for (int i = 0; i < 50; i++) {
                    publishRetrying(js, "r3.a", "after " + i);
                }
                List<String> read = readAll(nc, "R3", 100);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    expected.add("before " + i);
                }
                for (int i = 0; i < 50; i++) {
                    expected.add("after " + i);
                }
                assertThat(read).isEqualTo(expected);
                assertThat(jsm.getStreamInfo("R3").getClusterInfo().getLeader())
                        .as("a new leader among the two left").isNotEqualTo(cluster.serverName(leader)).isNotNull();

                // the node comes back with its store and catches up
                cluster.restart(leader);
                assertThat(cluster.isAlive(leader)).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!allCurrent(jsm.getStreamInfo("R3")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(allCurrent(jsm.getStreamInfo("R3"))).as("every replica current again").isTrue();
                assertThat(jsm.getStreamInfo("R3").getStreamState().getMsgCount()).isEqualTo(100);
            }
        }
    }

    @Test
    void aClientWithTheServerListRidesTheLossOfItsNode() throws Exception {
        try (NatsTestCluster cluster = NatsTestCluster.start()) {
            Options options = new Options.Builder().servers(cluster.url().split(",")).maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(100)).build();
            try (Connection nc = Nats.connect(options)) {
                int node = cluster.nodeOfPort(nc.getServerInfo().getPort());
                assertThat(node).isNotNegative();
                cluster.kill(node);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while ((nc.getStatus() != Connection.Status.CONNECTED || nc.getServerInfo().getPort() == cluster.port(node))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                int now = cluster.nodeOfPort(nc.getServerInfo().getPort());
                assertThat(now).as("on another node").isNotEqualTo(node).isNotNegative();
                // JetStream answers once the two nodes left have a meta leader (the killed node may have been it)
                Message reply = null;
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (reply == null && System.nanoTime() < until) {
                    reply = nc.request("$JS.API.INFO", new byte[0], Duration.ofSeconds(2));
                }
                assertThat(reply).as("JetStream answers on another node").isNotNull();
                assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).contains("\"type\"");
            }
        }
    }

    private static int nodeNamed(NatsTestCluster cluster, String name) {
        for (int i = 0; i < NatsTestCluster.SIZE; i++) {
            if (cluster.serverName(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allCurrent(StreamInfo info) {
        return info.getClusterInfo().getReplicas() != null && info.getClusterInfo().getReplicas().size() == 2
                && info.getClusterInfo().getReplicas().stream().allMatch(r -> r.isCurrent() && !r.isOffline());
    }

    /**
     * A publish through the cluster's failover: retried while the client reconnects and a new leader is elected, with
     * a message id so that a retry of a publish that was stored after all is not stored twice.
     */
    static void publishRetrying(JetStream js, String subject, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                js.publish(subject, body.getBytes(StandardCharsets.UTF_8),
                        io.nats.client.PublishOptions.builder().messageId(body).build());
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not publish within 30 s: " + e, e);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Every message of {@code stream}, through a new consumer: its creation is retried while the cluster elects a new
     * meta leader (the killed node may have been it), as a service's own start would retry.
     */
    private static List<String> readAll(Connection nc, String stream, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JetStreamSubscription sub = null;
        while (sub == null) {
            try {
                sub = nc.jetStream().subscribe(null, PullSubscribeOptions.builder().stream(stream).build());
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        List<String> read = new ArrayList<>();
        while (read.size() < count && System.nanoTime() < deadline) {
            for (Message m : sub.fetch(count - read.size(), Duration.ofSeconds(1))) {
                read.add(new String(m.getData(), StandardCharsets.UTF_8));
                m.ack();
            }
        }
        return read;
    }
}
