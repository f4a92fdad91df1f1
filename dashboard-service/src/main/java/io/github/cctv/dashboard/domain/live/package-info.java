/**
 * Live video: viewers, the newest-frame-only feed per viewer and camera, the hub that subscribes while someone
 * watches, the live message formats.
 */
package io.github.cctv.dashboard.domain.live;
