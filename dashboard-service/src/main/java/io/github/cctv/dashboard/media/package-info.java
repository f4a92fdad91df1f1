/** Media work done on the server: the one decode the dashboard does, a snapshot of an H.264 camera. */
package io.github.cctv.dashboard.media;
