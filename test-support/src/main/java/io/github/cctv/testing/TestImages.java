package io.github.cctv.testing;

/** Container images used by tests, pinned. */
public final class TestImages {

    /** The NATS server image (JetStream capable). */
    public static final String NATS = "nats:2.10.24-alpine";

    private TestImages() {
    }
}
