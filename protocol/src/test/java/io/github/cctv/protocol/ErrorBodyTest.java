package io.github.cctv.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cctv.protocol.event.Events;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBodyTest {

    @Test
    void carriesStatusReasonPhraseAndMessageAsJson() throws Exception {
        JsonNode json = Events.mapper().readTree(Events.write(ErrorBody.of(400, "recording id is empty")));
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat(json.get("error").asText()).isEqualTo("Bad Request");
        assertThat(json.get("message").asText()).isEqualTo("recording id is empty");
        assertThat(json.size()).isEqualTo(3);
    }

    @Test
    void readsBackWhatItWrites() {
        ErrorBody body = ErrorBody.of(503, "the recorder is not answering");
        assertThat(Events.read(Events.write(body), ErrorBody.class)).isEqualTo(body);
        assertThat(ErrorBody.of(416, "x").error()).isEqualTo("Range Not Satisfiable");
    }
}
