/** Retention: deleting the oldest segments past the age and size limits, never one being written. */
package io.github.cctv.recorder.domain.retention;
