package io.github.cctv.dashboard.domain.alerts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTargetTest {

    @Test
    void takesEveryEventWithoutAFilter() {
        WebhookTarget t = WebhookTarget.parse(" https://hooks.example.com/cctv?x=1 ");
        assertThat(t.url().toString()).isEqualTo("https://hooks.example.com/cctv?x=1");
        assertThat(t.accepts("connected")).isTrue();
        assertThat(t.accepts("recording-started")).isTrue();
    }

    @Test
    void theFragmentNamesTheEventTypes() {
        WebhookTarget t = WebhookTarget.parse("http://ha.local:8123/api/webhook/abc#connected+disconnected");
        assertThat(t.url().toString()).isEqualTo("http://ha.local:8123/api/webhook/abc");
        assertThat(t.accepts("disconnected")).isTrue();
        assertThat(t.accepts("recording-started")).isFalse();
        assertThat(t.display()).isEqualTo("http://ha.local:8123/…").doesNotContain("abc");
    }

    @Test
    void idIsStableAndDiffersByUrlAndFilter() {
        String a = WebhookTarget.parse("http://h/a").id();
        assertThat(WebhookTarget.parse("http://h/a").id()).isEqualTo(a).matches("[0-9a-f]{12}");
        assertThat(WebhookTarget.parse("http://h/b").id()).isNotEqualTo(a);
        assertThat(WebhookTarget.parse("http://h/a#connected").id()).isNotEqualTo(a);
    }

    @Test
    void refusesWhatIsNotAnHttpUrlWithoutLeakingThePath() {
        assertThatThrownBy(() -> WebhookTarget.parse("ftp://h/secret")).hasMessageContaining("http").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> WebhookTarget.parse("/just/a/path")).hasMessageContaining("http");
        assertThatThrownBy(() -> WebhookTarget.parse("http://u:p@h/x")).hasMessageContaining("user:password");
        assertThatThrownBy(() -> WebhookTarget.parse("http://h/secret#Connected")).hasMessageContaining("event type")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> WebhookTarget.parse("http://h/x#")).hasMessageContaining("event type");
    }

    @Test
    void parseAllSkipsBlanksAndDuplicates() {
        assertThat(WebhookTarget.parseAll(List.of("http://h/a", " ", "http://h/a", "http://h/b"))).hasSize(2);
    }
}
