package io.github.cctv.recorder.domain.review;

import io.github.cctv.recorder.domain.retention.DiskSpace;
import io.github.cctv.recorder.domain.retention.RetentionPolicy;
import io.github.cctv.recorder.domain.store.Recording;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StorageReportTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final long GB = 1_000_000_000L;

    static DiskSpace disk(long usable, long total) {
        return new DiskSpace() {
            public long usableBytes() {
                return usable;
            }

            public long totalBytes() {
                return total;
            }
        };
    }

    /** {@code perHour} bytes of segments every hour for {@code hours} before now. */
    static List<Recording> hourly(String cam, int hours, long perHour) {
        List<Recording> all = new ArrayList<>();
        for (int h = hours; h >= 1; h--) {
            Instant s = NOW.minusSeconds(h * 3600L);
            all.add(new Recording(cam + "_" + h, cam, s, s.plusSeconds(3599), 100, perHour, cam + "/x.mp4", false, 1));
        }
        return all;
    }

    @Test
    void sumsPerCameraAndSaysHowManyDaysTheDiskHoldsAtTheLastDaysRate() {
        List<Recording> all = new ArrayList<>(hourly("door", 48, GB / 24));   // 1 GB a day, for two days
        all.addAll(hourly("yard", 48, GB / 12));                               // 2 GB a day
        RetentionPolicy.Limits limits = new RetentionPolicy.Limits(Duration.ofDays(30), 0, 2 * GB);
        StorageReport r = StorageReport.of(all, disk(32 * GB, 100 * GB), limits, NOW, Duration.ofDays(3));

        assertThat(r.cameras()).extracting(StorageReport.CameraUsage::cameraId).containsExactly("door", "yard");
        assertThat(r.cameras().get(0).bytes()).isEqualTo(48 * (GB / 24));
        assertThat(r.recordingsBytes()).isEqualTo(48 * (GB / 24) + 48 * (GB / 12));
        assertThat(r.bytesPerDay()).isCloseTo(3 * GB, within(GB / 100));
        // 30 GB above the minimum free at 3 GB a day
        assertThat(r.daysUntilFull()).isCloseTo(10.0, within(0.1));
        // what is there (6 GB) plus the spare 30 GB: 12 days of footage, fewer than the 30 days kept by age
        assertThat(r.daysHeld()).isCloseTo(12.0, within(0.1));
        assertThat(r.warning()).contains("holds 12 days").contains("30 days");
        assertThat(r.retention().minFreeBytes()).isEqualTo(2 * GB);
    }

    @Test
    void warnsBeforeTheDiskIsFullAndWhenItIs() {
        List<Recording> all = hourly("door", 24, GB / 24);
        RetentionPolicy.Limits limits = new RetentionPolicy.Limits(Duration.ZERO, 0, GB);
        assertThat(StorageReport.of(all, disk(3 * GB, 10 * GB), limits, NOW, Duration.ofDays(3)).warning())
                .contains("fills in 2 days");
        assertThat(StorageReport.of(all, disk(GB / 2, 10 * GB), limits, NOW, Duration.ofDays(3)).warning())
                .contains("is full");
        assertThat(StorageReport.of(all, disk(50 * GB, 100 * GB), limits, NOW, Duration.ofDays(3)).warning()).isNull();
    }

    @Test
    void nothingRecordedGivesNoRateAndNoEstimate() {
        StorageReport r = StorageReport.of(List.of(), disk(GB, GB), new RetentionPolicy.Limits(Duration.ZERO, 0, 0),
                NOW, Duration.ofDays(3));
        assertThat(r.bytesPerDay()).isZero();
        assertThat(r.daysHeld()).isNull();
        assertThat(r.daysUntilFull()).isNull();
        assertThat(r.warning()).isNull();
    }
}
