/**
 * NATS side of the dashboard's ports: frame subscriptions, bucket watchers, event history, recording control
 * requests.
 */
package io.github.cctv.dashboard.messaging;
