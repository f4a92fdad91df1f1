/**
 * Recording: which cameras are recorded, each camera's consume/ack loop and its open segment, and the ports they
 * use; no NATS here.
 */
package io.github.cctv.recorder.domain.recording;
