package io.github.cctv.dashboard.domain.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends one HTTP POST without blocking the caller; the answer's status code, or a failed future for no answer. */
public interface WebhookPoster {

    CompletableFuture<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout);
}
