/**
 * The recordings HTTP API: list, metadata, recording state, export jobs; the media (byte-range download, MJPEG
 * playback, MP4 export) on bounded routes off the worker pool.
 */
package io.github.cctv.recorder.endpoint;
