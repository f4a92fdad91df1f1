package io.github.cctv.ingest.config;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceIdTest {

    @Test
    void aConfiguredIdIsTakenAsItIs() {
        assertThat(InstanceId.of(Optional.of("ingest-1")).value()).isEqualTo("ingest-1");
    }

    @Test
    void unsetItIsAValidIdNewAtEveryStart() {
        InstanceId a = InstanceId.of(Optional.empty());
        InstanceId b = InstanceId.of(Optional.empty());
        assertThat(a.value()).matches("[A-Za-z0-9_-]{1,64}").contains("-");
        assertThat(a).isNotEqualTo(b);
        assertThat(InstanceId.of(Optional.of(" ")).value()).matches("[A-Za-z0-9_-]{1,64}");
    }

    @Test
    void anIdThatCannotBeAKeyIsRefused() {
        assertThatThrownBy(() -> InstanceId.of(Optional.of("ingest.1"))).hasMessageContaining("cctv.ingest.instance-id");
        assertThatThrownBy(() -> InstanceId.of(Optional.of("a>b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
