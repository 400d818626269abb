package dev.wrenn.guest.http.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void rangesAreClampedToTheFile() {
        assertThat(ByteRange.parse("bytes=5-100", 10)).hasValue(new ByteRange(5, 9));
        assertThat(ByteRange.parse("bytes=-100", 10)).hasValue(new ByteRange(0, 9));
    }

    @Test
    void severalRangesOrOtherUnitsMeanTheWholeFile() {
        assertThat(ByteRange.parse("bytes=0-1,4-5", 10)).isEmpty();
        assertThat(ByteRange.parse("lines=1-2", 10)).isEmpty();
    }

    @Test
    void impossibleRangesAreUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=5-2", 10)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 10)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=x-1", 10)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
