package io.github.cctv.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key every service shares (nats-support: {@code cctv.nats.*}, {@code cctv.http.*}) is in the README's tables. */
class SharedConfigDocsTest {

    @Test
    void theReadmeListsEverySharedKeyWithItsEnvironmentVariable() throws IOException {
        String readme = Files.readString(Repo.ROOT.resolve("README.md"));
        List<ServiceConfigKeys.Key> keys = ServiceConfigKeys.of("nats-support");
        assertThat(keys).extracting(ServiceConfigKeys.Key::property)
                .contains("cctv.nats.url", "cctv.nats.replicas", "cctv.nats.frames-replicas");
        for (ServiceConfigKeys.Key key : keys) {
            assertThat(readme).as("README row of " + key.property())
                    .contains("| `" + key.property() + "` | `" + key.envName() + "` |");
        }
    }
}
