/** The recordings HTTP API: list, metadata, byte-range download, MJPEG playback, MP4 export, recording state. */
package io.github.cctv.recorder.endpoint;
