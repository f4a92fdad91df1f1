package io.github.cctv.bench;

import java.util.Arrays;

/** Latency samples in microseconds, appended from one thread, read after the run. */
final class Samples {

    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    synchronized void clear() {
        size = 0;
    }

    /** Appends every sample of this set to {@code target}. */
    synchronized void copyTo(Samples target) {
        for (int i = 0; i < size; i++) {
            target.add(values[i]);
        }
    }

    synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, or NaN without samples. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, i))] / 1000.0;
    }
}
