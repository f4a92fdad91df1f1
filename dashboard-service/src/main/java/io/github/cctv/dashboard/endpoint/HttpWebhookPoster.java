package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.domain.alerts.WebhookPoster;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Webhook POSTs with the JDK's HTTP client: asynchronous, redirects not followed (a 3xx is a failed attempt, so
 * an event never goes to an address nobody configured), the answer's body discarded.
 */
@Singleton
public class HttpWebhookPoster implements WebhookPoster {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Override
    public CompletableFuture<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("User-Agent", "cctv-dashboard-webhooks");
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
