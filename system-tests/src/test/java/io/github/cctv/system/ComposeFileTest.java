package io.github.cctv.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker-compose.yml without a Docker engine: it parses, every image it builds has
 * its Dockerfile, every environment variable is a real configuration key of its service, ports and
 * healthchecks agree with the services' configuration, images are pinned, start-up waits on health.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> QUARKUS_SERVICES = Set.of("ingest-service", "recorder-service", "dashboard-service");
    /** Quarkus' own keys that the compose file may set. */
    private static final Set<String> QUARKUS_ENV = Set.of("QUARKUS_HTTP_PORT", "QUARKUS_LOG_LEVEL", "JAVA_OPTS",
            "QUARKUS_HTTP_SSL_PORT", "QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES");

    private static ComposeFile compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void parse() throws IOException {
        compose = ComposeFile.read("docker-compose.yml");
        services = compose.services;
    }

    private static Map<String, String> env(String service) {
        return compose.env(service);
    }

    private static boolean isCamera(Map<String, Object> s) {
        return String.valueOf(s.get("image")).startsWith("cctv/camera-client");
    }

    @Test
    void runsNatsTheThreeServicesAndAtLeastTwoDemoCameras() {
        assertThat(services).containsKeys("nats", "ingest-service", "recorder-service", "dashboard-service");
        assertThat(services.values().stream().filter(ComposeFileTest::isCamera).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBuildHasItsDockerfileWithAPinnedBaseAndANonRootUser() throws IOException {
        int builds = 0;
        for (var e : services.entrySet()) {
            Map<String, Object> build = (Map<String, Object>) e.getValue().get("build");
            if (build == null) {
                continue;
            }
            builds++;
            Path context = ROOT.resolve((String) build.get("context")).normalize();
            Path dockerfile = context.resolve((String) build.getOrDefault("dockerfile", "Dockerfile"));
            assertThat(dockerfile).as("Dockerfile of " + e.getKey()).isRegularFile();
            String text = Files.readString(dockerfile);
            Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(text);
            assertThat(from.find()).as("FROM in " + dockerfile).isTrue();
            assertThat(from.group(1)).as("base image of " + e.getKey()).matches(ComposeFile.PINNED);
            Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text);
            assertThat(user.find()).as("USER in " + dockerfile).isTrue();
            assertThat(user.group(1)).isNotIn("0", "root");
            for (Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s").matcher(text); copy.find(); ) {
                String src = copy.group(1);
                if (src.startsWith("target/")) {
                    continue; // made by ./mvnw package, checked by the build
                }
                assertThat(context.resolve(src)).as("COPY source of " + e.getKey()).exists();
            }
        }
        assertThat(builds).isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyImageIsPinned() {
        for (var e : services.entrySet()) {
            Object image = e.getValue().get("image");
            assertThat(image).as("image of " + e.getKey()).isNotNull();
            assertThat(String.valueOf(image)).as("image of " + e.getKey()).matches(ComposeFile.PINNED).doesNotEndWith(":latest");
        }
    }

    @Test
    void everyEnvironmentVariableIsARealConfigurationKey() {
        for (String service : QUARKUS_SERVICES) {
            List<ServiceConfigKeys.Key> keys = ServiceConfigKeys.of(service);
            assertThat(keys).as("configuration keys found for " + service).isNotEmpty();
            for (String name : env(service).keySet()) {
                if (QUARKUS_ENV.contains(name)) {
                    continue;
                }
                assertThat(ServiceConfigKeys.matches(keys, name))
                        .as(service + " sets " + name + ", which is none of its keys " + ServiceConfigKeys.envNames(keys))
                        .isTrue();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthchecksProbeEachServicesOwnPortAndReadiness() throws IOException {
        for (String service : QUARKUS_SERVICES) {
            Map<String, Object> s = services.get(service);
            String port = env(service).get("QUARKUS_HTTP_PORT");
            assertThat(port).as("QUARKUS_HTTP_PORT of " + service).isNotBlank();
            List<String> test = (List<String>) ((Map<String, Object>) s.get("healthcheck")).get("test");
            assertThat(String.join(" ", test)).contains("http://127.0.0.1:" + port + "/q/health/ready");
            String dockerfile = Files.readString(ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
            assertThat(dockerfile).contains("EXPOSE " + port).contains(":" + port + "/q/health/ready");
        }
    }

    @Test
    void startUpWaitsForHealthAndEveryServiceRestarts() {
        compose.assertEveryServiceRestartsAndWaitsForHealthyDependencies();
    }

    @Test
    @SuppressWarnings("unchecked")
    void camerasAndDashboardPointAtTheRightPorts() {
        String ingestPort = env("ingest-service").get("CCTV_INGEST_PORT");
        assertThat((List<String>) services.get("ingest-service").get("ports")).anyMatch(p -> p.endsWith(":" + ingestPort));
        for (var e : services.entrySet()) {
            if (isCamera(e.getValue())) {
                List<String> cmd = (List<String>) e.getValue().get("command");
                assertThat(cmd.get(cmd.indexOf("--server") + 1)).isEqualTo("ingest-service:" + ingestPort);
            }
        }
        String recorderPort = env("recorder-service").get("QUARKUS_HTTP_PORT");
        assertThat(env("dashboard-service").get("CCTV_DASHBOARD_RECORDER_URL")).isEqualTo("http://recorder-service:" + recorderPort);
        assertThat(env("recorder-service")).containsKey("CCTV_RECORDER_ROOT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardIsServedOverHttpsWithTheCertificateTheSecretsServiceMakesOnce() {
        String script = String.join("\n", (List<String>) services.get("secrets").get("entrypoint"));
        assertThat(script).contains("[ ! -s /run/cctv/secrets/dashboard-tls.crt ]", "openssl req -x509",
                "-keyout /run/cctv/secrets/dashboard-tls.key -out /run/cctv/secrets/dashboard-tls.crt");
        Map<String, String> env = env("dashboard-service");
        assertThat(env).containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "/run/cctv/secrets/dashboard-tls.crt")
                .containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "/run/cctv/secrets/dashboard-tls.key");
        assertThat((List<String>) services.get("dashboard-service").get("ports"))
                .contains(env.get("QUARKUS_HTTP_SSL_PORT") + ":" + env.get("QUARKUS_HTTP_SSL_PORT"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCameraPortSpeaksTlsWithTheCertificateTheSecretsServiceMakesAndDemoCamerasCheckIt() {
        String script = String.join("\n", (List<String>) services.get("secrets").get("entrypoint"));
        assertThat(script).contains("[ ! -s /run/cctv/secrets/ingest-tls.crt ]", "DNS:ingest-service",
                "-keyout /run/cctv/secrets/ingest-tls.key -out /run/cctv/secrets/ingest-tls.crt",
                "cp /run/cctv/secrets/ingest-tls.crt /run/cctv/camera-tokens/ingest-tls.crt");
        assertThat(env("ingest-service")).containsEntry("CCTV_INGEST_TLS_CERT_FILE", "/run/cctv/secrets/ingest-tls.crt")
                .containsEntry("CCTV_INGEST_TLS_KEY_FILE", "/run/cctv/secrets/ingest-tls.key")
                .doesNotContainKey("CCTV_INGEST_PLAIN_ENABLED").doesNotContainKey("CCTV_INGEST_TLS_ENABLED");
        for (var e : services.entrySet()) {
            if (isCamera(e.getValue())) {
                List<String> cmd = (List<String>) e.getValue().get("command");
                assertThat(cmd.get(cmd.indexOf("--ca") + 1)).as("--ca of " + e.getKey())
                        .isEqualTo("/run/cctv/camera-tokens/ingest-tls.crt");
            }
        }
    }

    @Test
    void everyServiceExitsOnOutOfMemoryInItsImageAndUnderTheLauncher() throws IOException {
        for (String service : QUARKUS_SERVICES) {
            String dockerfile = Files.readString(ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
            assertThat(dockerfile).as("JAVA_OPTS of " + service + "'s image")
                    .containsPattern("(?m)^ENV JAVA_OPTS=\"[^\"]*-XX:\\+ExitOnOutOfMemoryError");
        }
        assertThat(Files.readString(ROOT.resolve("run.sh"))).containsPattern("(?m)^JAVA_OPTS=\"[^\n]*-XX:\\+ExitOnOutOfMemoryError\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsAreMadeOnceIntoAVolumeThatIngestReadsReadOnlyAndDemoCamerasGetOnlyTheirToken() {
        Map<String, Object> init = services.get("secrets");
        assertThat(init).as("the one-shot secrets service").isNotNull();
        assertThat(String.valueOf(init.get("restart"))).isEqualTo("no");
        assertThat((List<String>) init.get("volumes")).contains("secrets:/run/cctv/secrets");
        String script = String.join("\n", (List<String>) init.get("entrypoint"));
        assertThat(script).contains("[ -s \"/run/cctv/secrets/$$name\" ] ||", "camera-secret", "cctv-camera:");

        assertThat(env("ingest-service")).containsEntry("CCTV_INGEST_CAMERA_SECRET_FILE", "/run/cctv/secrets/camera-secret");
        assertThat((List<String>) services.get("ingest-service").get("volumes")).contains("secrets:/run/cctv/secrets:ro");
        Map<String, Map<String, String>> deps = (Map<String, Map<String, String>>) services.get("ingest-service").get("depends_on");
        assertThat(deps.get("secrets")).containsEntry("condition", "service_completed_successfully");

        for (var e : services.entrySet()) {
            if (isCamera(e.getValue())) {
                List<String> cmd = (List<String>) e.getValue().get("command");
                String id = cmd.get(cmd.indexOf("--id") + 1);
                assertThat(String.join(" ", (List<String>) e.getValue().get("entrypoint")))
                        .as("entrypoint of " + e.getKey()).contains("CCTV_TOKEN=", "/run/cctv/camera-tokens/" + id);
                assertThat(String.valueOf(e.getValue().get("volumes"))).as("volumes of " + e.getKey())
                        .contains("camera-tokens:/run/cctv/camera-tokens:ro").doesNotContain("secrets:");
                assertThat(script).contains(id);
            }
        }
    }

    @Test
    void natsConfigRaisesMaxPayloadAndEnablesJetStream() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nats.conf"));
        assertThat(conf).contains("jetstream").containsPattern("max_payload:\\s*8MB");
        assertThat(String.valueOf(services.get("nats").get("volumes"))).contains("./deploy/nats.conf:/etc/nats/nats.conf");
    }

    @Test
    @SuppressWarnings("unchecked")
    void natsOffersMqttOnThePortComposePublishes() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nats.conf"));
        assertThat(conf).as("MQTT needs a server name").containsPattern("(?m)^server_name:\\s*\\S+");
        assertThat(conf).containsPattern("(?s)mqtt\\s*\\{\\s*port:\\s*1883\\s*}");
        assertThat((List<String>) services.get("nats").get("ports")).contains("1883:1883");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceSignsInToNatsAsItsOwnUserWithAPasswordTheSecretsServiceMakesOnce() throws IOException {
        String script = String.join("\n", (List<String>) services.get("secrets").get("entrypoint"));
        assertThat(script).contains("for user in ingest recorder dashboard", "/run/cctv/secrets/nats-$$user-password",
                "[ -s \"$$f\" ] ||");
        Map<String, Object> nats = services.get("nats");
        assertThat((List<String>) nats.get("volumes")).contains("./deploy/nats-users.conf:/etc/nats/nats-users.conf:ro",
                "secrets:/run/cctv/secrets:ro");
        String natsStart = String.join("\n", (List<String>) nats.get("entrypoint"));
        String users = Files.readString(ROOT.resolve("deploy/nats-users.conf"));
        assertThat(Files.readString(ROOT.resolve("deploy/nats.conf"))).contains("include \"nats-users.conf\"");
        for (String user : List.of("ingest", "recorder", "dashboard")) {
            String variable = "CCTV_NATS_" + user.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
            assertThat(natsStart).contains("export " + variable + "=\"$$(cat /run/cctv/secrets/nats-" + user + "-password)\"");
            assertThat(users).contains("user: " + user + "\n", "password: $" + variable + "\n");
            String service = user + "-service";
            assertThat(env(service)).as(service).containsEntry("CCTV_NATS_USERNAME", user)
                    .containsEntry("CCTV_NATS_PASSWORD_FILE", "/run/cctv/secrets/nats-" + user + "-password")
                    .containsEntry("CCTV_HTTP_SERVICE_TOKEN_FILE", "/run/cctv/secrets/service-token");
            assertThat((List<String>) services.get(service).get("volumes")).as(service).contains("secrets:/run/cctv/secrets:ro");
        }
        assertThat(natsStart).contains("exec nats-server -c /etc/nats/nats.conf");
        assertThat(script).containsPattern("NAMES=\"[^\"]*service-token");
    }
}
