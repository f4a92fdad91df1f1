/** FFmpeg (JavaCV) work: segment writers (fragmented MP4, Matroska), probing, MJPEG playback, MP4 exports. */
package io.github.cctv.recorder.media;
