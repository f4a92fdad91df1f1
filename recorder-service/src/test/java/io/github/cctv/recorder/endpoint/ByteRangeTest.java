package io.github.cctv.recorder.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void noHeaderMeansTheWholeFile() throws Exception {
        assertThat(ByteRange.parse(null, 100)).isEmpty();
        assertThat(ByteRange.parse("  ", 100)).isEmpty();
    }

    @Test
    void readsFirstToLastFirstToEndAndSuffixRanges() throws Exception {
        assertThat(ByteRange.parse("bytes=100-1099", 5000)).contains(new ByteRange(100, 1099));
        assertThat(ByteRange.parse(" bytes=4000- ", 5000)).contains(new ByteRange(4000, 4999));
        assertThat(ByteRange.parse("bytes=-10", 5000)).contains(new ByteRange(4990, 4999));
        assertThat(ByteRange.parse("bytes=0-0", 5000).orElseThrow().length()).isEqualTo(1);
        assertThat(new ByteRange(100, 1099).contentRange(5000)).isEqualTo("bytes 100-1099/5000");
    }

    @Test
    void cutsALastByteBeyondTheEndAndASuffixLongerThanTheFile() throws Exception {
        assertThat(ByteRange.parse("bytes=10-999999", 100)).contains(new ByteRange(10, 99));
        assertThat(ByteRange.parse("bytes=-1000", 100)).contains(new ByteRange(0, 99));
    }

    @Test
    void refusesWhatCannotBeServed() {
        for (String bad : new String[]{"bytes=100-", "bytes=5-4", "bytes=-", "bytes=0-1,5-6", "items=0-1", "bytes=a-b",
                "bytes=99999999999999999999-", "bytes=-0"}) {
            assertThatThrownBy(() -> ByteRange.parse(bad, 100)).as(bad).isInstanceOf(ByteRange.UnsatisfiableException.class);
        }
        assertThatThrownBy(() -> ByteRange.parse("bytes=-5", 0)).isInstanceOf(ByteRange.UnsatisfiableException.class);
    }
}
