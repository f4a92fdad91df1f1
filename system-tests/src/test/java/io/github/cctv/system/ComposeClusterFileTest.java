package io.github.cctv.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker-compose.cluster.yml and its configuration without a Docker engine: three NATS nodes
 * each with its own node config and store, routed to each other with the system's nats.conf and users; two of each
 * service, every service given all three nodes and three replicas; each recorder its own volume; the load balancer
 * sends cameras to the ingests and browsers to the dashboards on the ports they listen on; images pinned, every
 * environment variable a real configuration key, start-up waits on health.
 */
class ComposeClusterFileTest {

    private static final Path ROOT = Repo.ROOT;
    private static final Set<String> QUARKUS_ENV = Set.of("QUARKUS_HTTP_PORT", "QUARKUS_HTTP_SSL_PORT",
            "QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES");
    private static final List<String> NODES = List.of("nats-1", "nats-2", "nats-3");
    private static final String ALL_NODES = "nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222";

    private static ComposeFile compose;
    private static Map<String, Map<String, Object>> services;
    private static Map<String, Object> volumes;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        compose = ComposeFile.read("docker-compose.cluster.yml");
        services = compose.services;
        volumes = (Map<String, Object>) compose.top.get("volumes");
    }

    private static Map<String, String> env(String service) {
        return compose.env(service);
    }

    private static List<String> list(String service, String field) {
        return compose.list(service, field);
    }

    private static List<String> ofModule(String module) {
        List<String> names = new ArrayList<>();
        services.forEach((name, s) -> {
            if (String.valueOf(s.get("image")).startsWith("cctv/" + module + ":")) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    void threeNatsNodesTwoOfEachServiceALoadBalancerAndCamerasBehindIt() {
        assertThat(services).containsKeys("nats-1", "nats-2", "nats-3", "lb", "secrets");
        assertThat(ofModule("ingest-service")).containsExactlyInAnyOrder("ingest-1", "ingest-2", "secrets");
        assertThat(ofModule("recorder-service")).containsExactlyInAnyOrder("recorder-1", "recorder-2");
        assertThat(ofModule("dashboard-service")).containsExactlyInAnyOrder("dashboard-1", "dashboard-2");
        assertThat(ofModule("camera-client")).hasSizeGreaterThanOrEqualTo(2);
        for (String camera : ofModule("camera-client")) {
            List<String> cmd = list(camera, "command");
            assertThat(cmd.get(cmd.indexOf("--server") + 1)).as(camera + " connects through the balancer").isEqualTo("lb:9000");
        }
    }

    @Test
    void eachNodeRunsItsOwnConfigWithItsOwnStoreAndRoutesToAllThree() throws IOException {
        Set<String> stores = new HashSet<>();
        for (String node : NODES) {
            String start = String.join("\n", list(node, "entrypoint"));
            assertThat(start).contains("exec nats-server -c /etc/nats/nats-cluster/" + node + ".conf", "-sd /data");
            assertThat(list(node, "volumes")).contains("./deploy:/etc/nats:ro", "secrets:/run/cctv/secrets:ro");
            String store = list(node, "volumes").stream().filter(v -> v.endsWith(":/data")).findFirst().orElseThrow();
            stores.add(store);
            assertThat(volumes).containsKey(store.substring(0, store.indexOf(':')));
            for (String user : List.of("INGEST", "RECORDER", "DASHBOARD")) {
                assertThat(start).contains("export CCTV_NATS_" + user + "_PASSWORD=");
            }
            assertThat(String.valueOf(services.get(node).get("hostname"))).isEqualTo(node);

            String conf = Files.readString(ROOT.resolve("deploy/nats-cluster/" + node + ".conf"));
            assertThat(conf).contains("include \"../nats.conf\"")
                    .containsPattern("(?m)^server_name:\\s*cctv-" + node.substring(node.length() - 1) + "\\s*$")
                    .containsPattern("(?s)cluster\\s*\\{\\s*name:\\s*cctv\\s*port:\\s*6222");
            for (String other : NODES) {
                assertThat(conf).contains("nats-route://" + other + ":6222");
            }
            assertThat(services.get(node).get("ports")).as("the route port stays on the cluster's network").isNull();
        }
        assertThat(stores).as("a store each").hasSize(3);
        assertThat(Files.readString(ROOT.resolve("deploy/nats.conf"))).contains("include \"nats-users.conf\"")
                .containsPattern("max_payload:\\s*8MB");
    }

    @Test
    void everyServiceIsGivenEveryNodeThreeReplicasAndItsOwnNatsUser() {
        for (String module : List.of("ingest-service", "recorder-service", "dashboard-service")) {
            String user = module.substring(0, module.indexOf('-'));
            for (String service : ofModule(module)) {
                if (service.equals("secrets")) {
                    continue;
                }
                Map<String, String> env = env(service);
                assertThat(env).as(service).containsEntry("CCTV_NATS_URL", ALL_NODES)
                        .containsEntry("CCTV_NATS_REPLICAS", "3").containsEntry("CCTV_NATS_USERNAME", user)
                        .containsEntry("CCTV_NATS_PASSWORD_FILE", "/run/cctv/secrets/nats-" + user + "-password");
            }
        }
        assertThat(env("ingest-1")).containsEntry("CCTV_NATS_FRAMES_REPLICAS", "3");
        assertThat(env("ingest-2")).containsEntry("CCTV_NATS_FRAMES_REPLICAS", "3");
    }

    @Test
    void eachRecorderHasItsOwnVolumeAndTheDashboardsShareTheirSecrets() {
        String one = list("recorder-1", "volumes").stream().filter(v -> v.endsWith(":/recordings")).findFirst().orElseThrow();
        String two = list("recorder-2", "volumes").stream().filter(v -> v.endsWith(":/recordings")).findFirst().orElseThrow();
        assertThat(one).isNotEqualTo(two);
        assertThat(volumes).containsKeys(one.substring(0, one.indexOf(':')), two.substring(0, two.indexOf(':')));
        assertThat(env("dashboard-1").get("CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE"))
                .isEqualTo(env("dashboard-2").get("CCTV_DASHBOARD_AUTH_SESSION_SECRET_FILE")).isNotBlank();
        assertThat(env("dashboard-1").get("CCTV_DASHBOARD_RECORDER_URL"))
                .isEqualTo("http://recorder-1:" + env("recorder-1").get("QUARKUS_HTTP_PORT"));
    }

    @Test
    void theBalancerSendsCamerasToTheIngestsAndBrowsersToTheDashboardsCheckingTheirReadiness() throws IOException {
        assertThat(list("lb", "volumes")).contains("./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro");
        String cfg = Files.readString(ROOT.resolve("deploy/haproxy/haproxy.cfg"));
        assertThat(list("lb", "ports")).contains("9000:9000", "8443:8443");
        assertThat(cfg).containsPattern("(?m)^\\s*bind :9000$").containsPattern("(?m)^\\s*bind :8443$");
        for (String ingest : List.of("ingest-1", "ingest-2")) {
            assertThat(cfg).containsPattern("(?m)^\\s*server " + ingest + " " + ingest + ":" + env(ingest).get("CCTV_INGEST_PORT") + "$");
        }
        for (String dashboard : List.of("dashboard-1", "dashboard-2")) {
            assertThat(cfg).containsPattern("(?m)^\\s*server " + dashboard + " " + dashboard + ":"
                    + env(dashboard).get("QUARKUS_HTTP_SSL_PORT") + "$");
        }
        // the health checks go to each backend's own HTTP port, at readiness
        Matcher checks = Pattern.compile("(?m)^\\s*default-server check port (\\d+)").matcher(cfg);
        List<String> ports = new ArrayList<>();
        while (checks.find()) {
            ports.add(checks.group(1));
        }
        assertThat(ports).containsExactly(env("ingest-1").get("QUARKUS_HTTP_PORT"), env("dashboard-1").get("QUARKUS_HTTP_PORT"));
        assertThat(cfg).contains("option httpchk GET /q/health/ready");
        String secrets = String.join("\n", list("secrets", "entrypoint"));
        assertThat(secrets).as("certificates valid for the balancer's name").contains("DNS:lb");
    }

    @Test
    void everyImageIsPinnedAndEveryEnvironmentVariableIsARealKey() {
        for (var e : services.entrySet()) {
            assertThat(String.valueOf(e.getValue().get("image"))).as("image of " + e.getKey()).matches(ComposeFile.PINNED);
        }
        for (String module : List.of("ingest-service", "recorder-service", "dashboard-service")) {
            List<ServiceConfigKeys.Key> keys = ServiceConfigKeys.of(module);
            for (String service : ofModule(module)) {
                for (String name : env(service).keySet()) {
                    if (QUARKUS_ENV.contains(name) || service.equals("secrets")) {
                        continue;
                    }
                    assertThat(ServiceConfigKeys.matches(keys, name)).as(service + " sets " + name).isTrue();
                }
            }
        }
    }

    @Test
    void startUpWaitsForHealthAndEveryServiceRestarts() {
        compose.assertEveryServiceRestartsAndWaitsForHealthyDependencies();
    }
}
