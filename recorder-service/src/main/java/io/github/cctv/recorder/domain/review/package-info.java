/** What review needs of the recordings: a camera's time line (spans, gaps, where a moment is), the storage report. */
package io.github.cctv.recorder.domain.review;
