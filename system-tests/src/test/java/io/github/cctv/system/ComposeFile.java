package io.github.cctv.system;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A Docker Compose file of the repository, parsed, and the checks every one of them must pass. */
final class ComposeFile {

    /** An image reference with a version tag: {@code name:1.2.3}, never {@code latest}. */
    static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:[0-9][A-Za-z0-9._-]*");

    final Map<String, Object> top;
    final Map<String, Map<String, Object>> services;

    @SuppressWarnings("unchecked")
    private ComposeFile(String name, Map<String, Object> top) {
        this.top = top;
        this.services = (Map<String, Map<String, Object>>) top.get("services");
        assertThat(services).as("services in " + name).isNotNull();
    }

    /** {@code name} at the repository's root. */
    static ComposeFile read(String name) throws IOException {
        return new ComposeFile(name, new Yaml().load(Files.readString(Repo.ROOT.resolve(name))));
    }

    /** The service's environment variables (none: empty). */
    @SuppressWarnings("unchecked")
    Map<String, String> env(String service) {
        Object e = services.get(service).get("environment");
        return e == null ? Map.of() : (Map<String, String>) e;
    }

    /** The service's list-valued field (none: empty). */
    @SuppressWarnings("unchecked")
    List<String> list(String service, String field) {
        Object v = services.get(service).get(field);
        return v == null ? List.of() : (List<String>) v;
    }

    /**
     * Every service has a restart policy, and depends only on services of the file, waiting for those with a
     * healthcheck to be healthy.
     */
    @SuppressWarnings("unchecked")
    void assertEveryServiceRestartsAndWaitsForHealthyDependencies() {
        for (var e : services.entrySet()) {
            assertThat(e.getValue().get("restart")).as("restart policy of " + e.getKey()).isNotNull();
            Object deps = e.getValue().get("depends_on");
            if (deps == null) {
                continue;
            }
            for (var d : ((Map<String, Map<String, String>>) deps).entrySet()) {
                assertThat(services).as(e.getKey() + " depends on " + d.getKey()).containsKey(d.getKey());
                if (services.get(d.getKey()).containsKey("healthcheck")) {
                    assertThat(d.getValue().get("condition")).as(e.getKey() + " → " + d.getKey()).isEqualTo("service_healthy");
                }
            }
        }
    }
}
