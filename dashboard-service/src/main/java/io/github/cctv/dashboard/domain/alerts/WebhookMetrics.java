package io.github.cctv.dashboard.domain.alerts;

/** Counts what deliveries did, per target ({@link WebhookTarget#id()}). */
public interface WebhookMetrics {

    /** A receiver answered 2xx. */
    void delivered(String target);

    /** An attempt failed and another follows after a wait. */
    void retried(String target);

    /** Every attempt failed: the event is given up for this target. */
    void failed(String target);

    /** Does nothing: for tests that do not look at counts. */
    WebhookMetrics NONE = new WebhookMetrics() {
        @Override
        public void delivered(String target) {
        }

        @Override
        public void retried(String target) {
        }

        @Override
        public void failed(String target) {
        }
    };
}
