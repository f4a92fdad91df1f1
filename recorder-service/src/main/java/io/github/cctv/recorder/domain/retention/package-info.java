/** Retention: deleting the oldest segments past the age, size and free-space limits, never one being written. */
package io.github.cctv.recorder.domain.retention;
