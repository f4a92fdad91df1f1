/**
 * NATS side of the recorder's ports: frame stream consumers, recording state and camera registry buckets, events,
 * control requests.
 */
package io.github.cctv.recorder.messaging;
