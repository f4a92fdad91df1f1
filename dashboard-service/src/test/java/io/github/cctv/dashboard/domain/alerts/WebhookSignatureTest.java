package io.github.cctv.dashboard.domain.alerts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    @Test
    void signsWithHexHmacSha256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        String header = new WebhookSignature("Jefe").sign("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
        assertThat(header).isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void verifiesOnlyTheRightSignatureOfTheSameBytes() {
        WebhookSignature signature = new WebhookSignature("s3cret");
        byte[] body = "{\"type\":\"connected\"}".getBytes(StandardCharsets.UTF_8);
        String header = signature.sign(body);
        assertThat(signature.verify(body, header)).isTrue();
        assertThat(signature.verify("{\"type\":\"connected\" }".getBytes(StandardCharsets.UTF_8), header)).isFalse();
        assertThat(new WebhookSignature("other").verify(body, header)).isFalse();
        assertThat(signature.verify(body, header.substring("sha256=".length()))).isFalse();
        assertThat(signature.verify(body, "sha256=zz")).isFalse();
        assertThat(signature.verify(body, null)).isFalse();
    }

    @Test
    void refusesAnEmptySecret() {
        assertThatThrownBy(() -> new WebhookSignature("")).hasMessageContaining("empty");
    }
}
