package io.github.cctv.dashboard.endpoint;

import io.github.cctv.dashboard.config.DashboardConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes connections that hold the server without sending a request. Vert.x's idle timeout (its Netty
 * {@link IdleStateHandler}) is set to {@code header-timeout}, so a connection on which nothing arrives while the
 * server waits for a request's headers (a half-sent request, an idle keep-alive connection) is closed after it.
 * While a request is being answered, and for a connection that became a live WebSocket, the same handler is given
 * {@code idle-timeout} instead (the time a slow recorder may take to start an export, a quiet live page), and the
 * short one again when the answer is complete.
 *
 * <p>Vert.x has no per-connection setting for this: the handler is swapped in the connection's Netty pipeline,
 * through Vert.x's {@code ConnectionBase}; should a connection not be one, it keeps the short timeout throughout.
 */
@Singleton
public class ConnectionTimeouts implements HttpServerOptionsCustomizer {

    /** The name Vert.x gives its idle handler in the pipeline. */
    private static final String IDLE = "idle";
    private static final AttributeKey<AtomicInteger> IN_FLIGHT = AttributeKey.valueOf("cctv.requestsInFlight");
    /** Filters with a higher priority run earlier: this one before all others, so that every request counts. */
    private static final int PRIORITY = 400;

    private final long headerMillis;
    private final long idleMillis;

    public ConnectionTimeouts(DashboardConfig config) {
        this.headerMillis = config.headerTimeout().toMillis();
        this.idleMillis = Math.max(headerMillis, config.idleTimeout().toMillis());
        if (headerMillis <= 0) {
            throw new IllegalArgumentException("cctv.dashboard.header-timeout must be positive");
        }
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        shortIdle(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        shortIdle(options);
    }

    private void shortIdle(HttpServerOptions options) {
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) Math.min(Integer.MAX_VALUE, headerMillis))
                .setReadIdleTimeout(0).setWriteIdleTimeout(0);
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            AtomicInteger inFlight = channel.attr(IN_FLIGHT).setIfAbsent(new AtomicInteger());
            if (inFlight == null) {
                inFlight = channel.attr(IN_FLIGHT).get();
            }
            if (inFlight.incrementAndGet() == 1) {
                setIdle(channel, idleMillis);
            }
            boolean upgrade = "websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE));
            AtomicInteger count = inFlight;
            ctx.addEndHandler(done -> {
                // a connection that became a WebSocket speaks HTTP no more, and keeps the long timeout
                if (upgrade && channel.isActive() && channel.pipeline().get(HttpRequestDecoder.class) == null) {
                    return;
                }
                if (count.decrementAndGet() == 0) {
                    setIdle(channel, headerMillis);
                }
            });
        }
        ctx.next();
    }

    private static void setIdle(Channel channel, long millis) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> setIdle(channel, millis));
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (channel.isActive() && pipeline.get(IDLE) instanceof IdleStateHandler) {
            pipeline.replace(IDLE, IDLE, new IdleStateHandler(0, 0, millis, TimeUnit.MILLISECONDS));
        }
    }
}
