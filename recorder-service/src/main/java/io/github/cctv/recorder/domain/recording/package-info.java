/**
 * Recording: which cameras are recorded, each camera's consume/ack loop, its open segment and its timeline, and the
 * ports they use; no NATS, no FFmpeg here.
 */
package io.github.cctv.recorder.domain.recording;
