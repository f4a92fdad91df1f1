/** Exports of a camera's time range across its segments as one file: jobs, their limits, their files. */
package io.github.cctv.recorder.domain.export;
