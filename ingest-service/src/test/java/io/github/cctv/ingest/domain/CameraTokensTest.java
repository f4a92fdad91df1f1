package io.github.cctv.ingest.domain;

import io.github.cctv.ingest.domain.CameraTokens.Verdict;
import io.github.cctv.protocol.CameraToken;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraTokensTest {

    static final String SECRET = "operator-secret-0123456789";

    static CameraTokens tokens(String secret, String shared, String perCamera, boolean open) {
        return new CameraTokens(Optional.ofNullable(secret), Optional.ofNullable(shared), Optional.ofNullable(perCamera), open);
    }

    @Test
    void refusesToRunWithNoAuthenticationUnlessThatIsChosenExplicitly() {
        assertThatThrownBy(() -> tokens(null, null, null, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cctv.ingest.camera-secret-file").hasMessageContaining("cctv.ingest.allow-unauthenticated=true");
        assertThatThrownBy(() -> tokens("", "", "", false)).isInstanceOf(IllegalArgumentException.class);
        CameraTokens open = tokens(null, null, null, true);
        assertThat(open.check("cam1", "")).isEqualTo(Verdict.UNAUTHENTICATED);
        assertThat(open.check("cam1", "anything")).isEqualTo(Verdict.UNAUTHENTICATED);
        assertThat(open.weaknesses()).singleElement().asString().contains("any camera is let in without a token");
    }

    @Test
    void eachCameraHasItsOwnTokenDerivedFromTheSecretAndNoOtherCamerasToken() {
        CameraTokens t = tokens(SECRET, null, null, false);
        assertThat(t.check("cam1", CameraToken.derive(SECRET, "cam1"))).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(t.check("cam2", CameraToken.derive(SECRET, "cam1"))).as("cam1's leaked token").isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam1", "")).isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam1", SECRET)).isEqualTo(Verdict.REFUSED);
        assertThat(t.weaknesses()).isEmpty();
        assertThat(t.describe()).contains("derived from the camera secret").doesNotContain(SECRET);
    }

    @Test
    void aListedCameraNeedsItsOwnTokenAndUnlistedCamerasAreRefusedWhenNothingElseCoversThem() {
        CameraTokens t = tokens(null, null, "cam1:one, cam2:two", false);
        assertThat(t.check("cam1", "one")).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(t.check("cam2", "one")).isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam3", "")).as("unlisted camera").isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam3", "one")).isEqualTo(Verdict.REFUSED);
        assertThat(t.describe()).contains("2 listed camera token(s)", "other cameras are refused");

        CameraTokens withOpt = tokens(null, null, "cam1:one", true);
        assertThat(withOpt.check("cam3", "")).isEqualTo(Verdict.UNAUTHENTICATED);
        assertThat(withOpt.check("cam1", "")).isEqualTo(Verdict.REFUSED);
        assertThat(withOpt.weaknesses()).singleElement().asString().contains("not in cctv.ingest.camera-tokens");
    }

    @Test
    void aListedTokenReplacesTheDerivedOneSoThatOneCameraCanBeGivenANewToken() {
        CameraTokens t = tokens(SECRET, null, "cam1:rotated", false);
        assertThat(t.check("cam1", "rotated")).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(t.check("cam1", CameraToken.derive(SECRET, "cam1"))).isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam2", CameraToken.derive(SECRET, "cam2"))).isEqualTo(Verdict.AUTHENTICATED);
    }

    @Test
    void aSharedTokenWorksForEveryCameraAndIsReportedAsWeaker() {
        CameraTokens t = tokens(null, "shared", "cam1:one", false);
        assertThat(t.check("cam3", "shared")).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(t.check("cam3", "")).isEqualTo(Verdict.REFUSED);
        assertThat(t.check("cam1", "shared")).isEqualTo(Verdict.REFUSED);
        assertThat(t.weaknesses()).singleElement().asString().contains("shared camera token");
        CameraTokens both = tokens(SECRET, "shared", null, true);
        assertThat(both.check("cam3", "shared")).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(both.check("cam3", CameraToken.derive(SECRET, "cam3"))).isEqualTo(Verdict.AUTHENTICATED);
        assertThat(both.check("cam3", "")).isEqualTo(Verdict.REFUSED);
        assertThat(both.weaknesses()).anyMatch(w -> w.contains("has no effect"));
    }

    @Test
    void refusesMalformedCameraTokensWithoutEchoingSecrets() {
        assertThatThrownBy(() -> tokens(null, null, "cam1:ok,topsecret", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> tokens(null, null, "a.b:secret", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
