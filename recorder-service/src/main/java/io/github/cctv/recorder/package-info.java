/**
 * The recorder service: records cameras from the frame stream and serves the recordings; start and stop order in
 * RecorderLifecycle.
 */
package io.github.cctv.recorder;
