package io.github.cctv.recorder.domain.export;

import io.github.cctv.recorder.domain.store.Recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/** Makes one file of a time range of one camera's segments, by stream copy. */
public interface SegmentExporter {

    /**
     * Writes the frames of {@code segments} (one camera, oldest first) in [{@code from}, {@code to}) into {@code out},
     * reporting the fraction done to {@code progress}; stops when {@code cancelled} says so. On a cancel or an error
     * {@code out} is deleted.
     *
     * @return the number of frames written
     * @throws IOException also when no frame lies in the range
     */
    long export(List<Recording> segments, Instant from, Instant to, Path out, DoubleConsumer progress,
                BooleanSupplier cancelled) throws IOException;
}
