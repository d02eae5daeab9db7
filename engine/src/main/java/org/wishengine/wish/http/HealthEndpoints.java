package org.wishengine.wish.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.ring.WriterHealth;

/** For operators: liveness, readiness (the store answers, commits succeed, the writer moves) and metrics. */
final class HealthEndpoints {

    private final CommandGateway gateway;
    private final Supplier<CompletionStage<Boolean>> storeAnswers;
    private final MetricsRenderer metrics;

    private HealthEndpoints(CommandGateway gateway, Supplier<CompletionStage<Boolean>> storeAnswers,
                            Supplier<String> metrics) {
        this.gateway = gateway;
        this.storeAnswers = storeAnswers;
        this.metrics = new MetricsRenderer(metrics);
    }

    static void register(Map<Route, Endpoint> endpoints, CommandGateway gateway,
                         Supplier<CompletionStage<Boolean>> storeAnswers, Supplier<String> metrics) {
        HealthEndpoints health = new HealthEndpoints(gateway, storeAnswers, metrics);
        endpoints.put(Route.LIVE, r -> new Action.Respond(ApiResponses.json(r.alloc(), HttpResponseStatus.OK, j -> {
            j.writeStartObject();
            j.writeStringField("status", "live");
            j.writeEndObject();
        })));
        endpoints.put(Route.READY, health::ready);
        endpoints.put(Route.METRICS, health::metrics);
    }

    private Action ready(ApiRequest request) {
        if (!gateway.isOpen()) {
            return new Action.Respond(readiness(request.alloc(), "recovering", false));
        }
        return new Action.Await(storeAnswers.get().handle((up, failure) -> {
            boolean answers = failure == null && Boolean.TRUE.equals(up);
            WriterHealth writer = gateway.writer();
            String reason = !gateway.isOpen() ? "stopping"
                    : writer.isFenced() ? "writer fenced: " + writer.stoppedReason()
                    : writer.isStopped() ? "writer stopped: " + writer.stoppedReason()
                    : !answers || !gateway.isStoreUp() ? "store unavailable"
                    : writer.state() == WriterHealth.State.STALLED
                    ? "writer stalled: commands wait and none was settled for " + WriterHealth.STALL_MILLIS + " ms"
                    : null;
            return readiness(request.alloc(), reason, answers);
        }));
    }

    /** 200 when {@code reason} is null, else 503 with it and {@code Retry-After: 1}. */
    private FullHttpResponse readiness(ByteBufAllocator alloc, String reason, boolean storeAnswered) {
        boolean ready = reason == null;
        FullHttpResponse response = ApiResponses.json(alloc,
                ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, j -> {
                    j.writeStartObject();
                    j.writeStringField("status", ready ? "ready" : "not_ready");
                    j.writeStringField("reason", ready ? "ready" : reason);
                    j.writeBooleanField("recovered", gateway.isOpen());
                    j.writeBooleanField("storeAnswers", storeAnswered);
                    j.writeBooleanField("commitsSucceeding", gateway.isStoreUp());
                    j.writeStringField("writer", gateway.writer().state().name().toLowerCase(Locale.ROOT));
                    j.writeEndObject();
                });
        if (!ready) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return response;
    }

    private Action metrics(ApiRequest request) {
        return new Action.Await(metrics.render().thenApply(text -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(text));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            return response;
        }));
    }
}
