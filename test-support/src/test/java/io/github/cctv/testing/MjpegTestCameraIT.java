package io.github.cctv.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MjpegTestCameraIT {

    @TempDir
    Path tmp;

    @Test
    void theServedCopyIsWhatTheHttpClientReceivedByteForByte() throws Exception {
        try (MjpegTestCamera camera = MjpegTestCamera.builder().size(320, 240).fps(30).start(tmp)) {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(camera.url())).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("multipart/x-mixed-replace"));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream in = response.body()) {
                byte[] buf = new byte[64 * 1024];
                while (body.size() < 1_000_000) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    body.write(buf, 0, n);
                }
            }
            List<byte[]> served = camera.servedFrames();
            assertThat(served.size()).isGreaterThan(10);
            // the body is the copy's prefix: every complete part, in order, the same bytes
            int at = 0;
            byte[] got = body.toByteArray();
            int parts = 0;
            for (byte[] jpeg : served) {
                int start = indexOf(got, jpeg, at);
                if (start < 0) {
                    break;
                }
                assertThat(start - at).as("only the part's own headers between two parts").isLessThan(100);
                at = start + jpeg.length;
                parts++;
            }
            assertThat(parts).as("parts of the HTTP response found in the copy").isGreaterThan(10);
            assertThat(served.get(0)[0] & 0xFF).isEqualTo(0xFF);
            assertThat(served.get(0)[1] & 0xFF).isEqualTo(0xD8);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        int limit = Math.min(haystack.length - needle.length, from + 200);
        for (int i = from; i <= limit; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
