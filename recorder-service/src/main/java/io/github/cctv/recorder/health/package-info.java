/** The recorder's metrics (cctv_recorder_*) and the health of its recordings. */
package io.github.cctv.recorder.health;
