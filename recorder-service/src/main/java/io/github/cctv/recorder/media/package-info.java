/** FFmpeg (JavaCV) work: segment writers, probing, MJPEG playback, MP4 export. */
package io.github.cctv.recorder.media;
