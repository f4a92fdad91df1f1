/**
 * Camera events delivered outside the dashboard: outgoing webhooks (targets, body, signature, retry with backoff).
 * Knows nothing of NATS: {@code messaging} feeds it events and acknowledges them when a delivery is finished.
 */
package io.github.cctv.dashboard.domain.alerts;
