package org.wishengine.wish.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives {@code POST /api/wishes/{id}/claims} over {@code connections} keep-alive HTTP/1.1
 * connections served by one or two Netty event loops (not a thread per connection), with at
 * most one outstanding request per connection. Given several base URLs (the nodes of a cluster,
 * any of which answers any route), connection {@code i} goes to URL {@code i mod n}.
 *
 * <ul>
 *   <li><b>Closed loop</b> ({@code rate == 0}): each connection sends its next request as soon as
 *       the previous answer arrives; latency is measured from the send.</li>
 *   <li><b>Open loop</b> ({@code rate > 0}): each connection owns {@code rate / connections} of
 *       the schedule (start times staggered across connections, as wrk2 does). A request's
 *       latency is measured from its <em>intended</em> send time, so when the server stalls the
 *       requests that should have been sent meanwhile are charged the wait: this corrects the
 *       coordinated omission a closed loop hides.</li>
 * </ul>
 *
 * <p>Answers are counted by status code; latency goes to an HdrHistogram {@link Recorder} in
 * microseconds. Requests intended during the warm-up are sent but not counted. Each 201's body is
 * parsed and its claim id kept with the wish and user the request named, for the invariant check;
 * against the ceiling too, whose constant body is claim-shaped, so that the client does the same
 * work per answer in both runs and the ratio compares servers, not client code paths.
 */
final class LoadClient {

    /**
     * How to drive the load. {@code urls}: one or more base URLs, the connections spread over them
     * round-robin; {@code rate} 0 = closed loop; {@code requests} 0 = no limit.
     */
    record Settings(List<URI> urls, int connections, int eventLoops, double rate, Duration duration, long requests,
                    Duration warmup, Duration drainTimeout, long seed) {

        Settings {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one URL is needed");
            }
        }

        /** The URL connection number {@code connection} (0-based) is opened to: round-robin. */
        URI url(int connection) {
            return urls.get(connection % urls.size());
        }
    }

    /** Measured answers and 201s of the connections to one URL (warm-up excluded). */
    record UrlCount(URI url, int connections, long requests, long claims) {
    }

    /**
     * What one run measured (warm-up excluded). {@code lateSends}: in an open loop, the measured
     * requests that went out more than one turn of their connection late, because the answer to
     * the one before took longer than the turn (see {@link #lateSummary(int, double)}).
     */
    record Result(long requests, double seconds, TreeMap<Integer, Long> statuses, long ioErrors,
                  long unanswered, Histogram latencyMicros, List<InvariantChecker.AckedClaim> acked,
                  long ackedBodyMismatches, List<UrlCount> perUrl, long lateSends) {

        /**
         * One line on how far the open loop kept its schedule. Each connection has one request in
         * flight and is due every {@code connections / rate} seconds (its turn); when answers take
         * about that long, a connection that falls behind cannot catch up, and the latency (from
         * the intended send time) then measures the load generator's backlog more than the server.
         */
        String lateSummary(int connections, double rate) {
            double turnMillis = connections * 1000.0 / rate;
            double share = requests == 0 ? 0 : 100.0 * lateSends / requests;
            String line = String.format(java.util.Locale.ROOT,
                    "open loop: %.2f%% of requests went out more than a connection's turn (%.2f ms) late", share,
                    turnMillis);
            return share < 1 ? line : line + "; the connections fell behind their schedule: more --connections "
                    + "or a lower --rate measure the server rather than the backlog";
        }

        long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        double requestsPerSecond() {
            return seconds <= 0 ? 0 : requests / seconds;
        }

        double claimsPerSecond() {
            return seconds <= 0 ? 0 : count(201) / seconds;
        }

        double claimsPerSecond(UrlCount url) {
            return seconds <= 0 ? 0 : url.claims() / seconds;
        }
    }

    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final JsonFactory JSON = new JsonFactory();
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private final Settings settings;
    private final Workload workload;
    private final PrintStream out;
    /** Measured latencies (warm-up excluded): the result. */
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    /** Every latency, warm-up included: the progress lines. */
    private final Recorder progress = new Recorder(HIGHEST_MICROS, 3);
    /** Measured answers by status code. */
    private final AtomicLongArray statuses = new AtomicLongArray(600);
    /** Every answer, and every 201, warm-up included: the progress lines. */
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final List<Connection> connections = new ArrayList<>();
    private CountDownLatch finished;
    private volatile boolean stopping;
    private long measureFrom;
    private long endAt;
    /** Percentiles per interval, or null. */
    private IntervalLog intervals;
    private Runnable windowOpened;
    private Runnable windowClosed;
    /** Answers and 201s (warm-up included) up to the last progress tick. */
    private long loggedAnswers;
    private long loggedCreated;

    LoadClient(Settings settings, Workload workload, PrintStream out) {
        for (URI url : settings.urls()) {
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("only http://host[:port] URLs are supported: " + url);
            }
        }
        this.settings = settings;
        this.workload = workload;
        this.out = out;
    }

    /**
     * Runs {@code opened} when the measured window opens and {@code closed} when it ends (on a
     * thread of its own, at those moments, whatever the connections are doing), so that what is
     * read beside the load covers the same window as the latencies.
     */
    void onWindow(Runnable opened, Runnable closed) {
        this.windowOpened = opened;
        this.windowClosed = closed;
    }

    /** Also writes the percentiles of every interval of the run to {@code log} (which the caller closes). */
    void logIntervals(IntervalLog log) {
        this.intervals = log;
    }

    /** Stands for the id of a 201 whose body named none. */
    static final String NO_ID = "(no id in the 201 body)";

    /** True when the parser's current text is {@code expected}, read without making a string of it. */
    static boolean sameText(JsonParser json, String expected) throws IOException {
        int length = json.getTextLength();
        if (length != expected.length()) {
            return false;
        }
        char[] text = json.getTextCharacters();
        int offset = json.getTextOffset();
        for (int i = 0; i < length; i++) {
            if (text[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** Connects, runs until the duration or the request count is reached, drains, and returns the measurements. */
    Result run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.eventLoops(),
                new DefaultThreadFactory("wish-load", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
            finished = new CountDownLatch(settings.connections());
            SplittableRandom seeds = new SplittableRandom(settings.seed());
            long intervalNanos = settings.rate() > 0
                    ? Math.max(1, Math.round(settings.connections() * 1e9 / settings.rate())) : 0;
            for (int i = 0; i < settings.connections(); i++) {
                Connection connection = new Connection(bootstrap, seeds.split(), intervalNanos, settings.url(i));
                connection.connect().sync();
                connections.add(connection);
            }

            long start = System.nanoTime();
            measureFrom = start + settings.warmup().toNanos();
            endAt = settings.duration() == null ? Long.MAX_VALUE : measureFrom + settings.duration().toNanos();
            for (int i = 0; i < connections.size(); i++) {
                Connection connection = connections.get(i);
                // Open loop: stagger the connections' schedules over one interval for an even rate.
                connection.nextIntended = start + (intervalNanos * i) / connections.size();
                connection.eventLoop().execute(connection::sendNext);
            }
            Thread window = watchWindow();
            monitor(start);
            stopping = true;
            if (window != null) {
                if (System.nanoTime() < endAt) {
                    window.interrupt(); // the run stopped early: the window never closed
                }
                window.join();
            }
            for (Connection connection : connections) {
                connection.eventLoop().execute(connection::close);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        return result();
    }

    /**
     * Prints a progress line every second (and gives the interval log each second's latencies)
     * until every connection is done, the drain times out or the run stalls; then the interval
     * log gets what came after the last tick.
     */
    private void monitor(long start) throws InterruptedException {
        if (intervals != null) {
            intervals.start(start, phase(start));
        }
        try {
            watch(start);
        } finally {
            if (intervals != null) {
                long now = System.nanoTime();
                intervals.tick(progress.getIntervalHistogram(), answered.get() - loggedAnswers,
                        created.get() - loggedCreated, now, (now - start) / 1e9, phase(now));
                intervals.finish((now - start) / 1e9);
            }
        }
    }

    /** Starts the thread that runs the window's callbacks at its edges, or returns null if none are set. */
    private Thread watchWindow() {
        if (windowOpened == null || endAt == Long.MAX_VALUE) {
            return null;
        }
        Thread thread = new Thread(() -> {
            try {
                sleepUntil(measureFrom);
                windowOpened.run();
                sleepUntil(endAt);
                windowClosed.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wish-load-window");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The phase a moment belongs to, as the interval log names it. */
    private String phase(long nanos) {
        return nanos < measureFrom ? "warmup" : nanos > endAt ? "drain" : "measured";
    }

    private void watch(long start) throws InterruptedException {
        // The interval log may want rows shorter than the progress line's second (a tail's fine
        // grain, e.g. 50 ms, set beside a pause log): the loop ticks at the shorter of the two and
        // gathers its ticks into the second that the progress line prints.
        long second = TimeUnit.SECONDS.toNanos(1);
        long tickNanos = intervals == null ? second : Math.min(second, intervals.everyNanos());
        Histogram tick = null;
        Histogram printed = null;
        long printedAt = start;
        long printedAnswers = 0;
        long printedCreated = 0;
        long lastProgressAt = System.nanoTime();
        long drainNanos = settings.drainTimeout().toNanos();
        while (!finished.await(tickNanos, TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            tick = progress.getIntervalHistogram(tick);
            long answeredNow = answered.get();
            long createdNow = created.get();
            if (intervals != null) {
                intervals.tick(tick, answeredNow - loggedAnswers, createdNow - loggedCreated, now,
                        (now - start) / 1e9, phase(now));
            }
            loggedAnswers = answeredNow;
            loggedCreated = createdNow;
            if (printed == null) {
                printed = tick.copy();
            } else {
                printed.add(tick);
            }
            if (now - printedAt < second - tickNanos / 2) {
                continue;
            }
            String phase = now < measureFrom ? "warmup " : now > endAt ? "drain  " : "";
            out.printf(Locale.ROOT, "%s%6.1fs  %,9d req/s  %,8d 201/s  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms"
                            + "  measured: 2xx %,d  4xx %,d  5xx %,d  io errors %,d%n",
                    phase, (now - start) / 1e9, answeredNow - printedAnswers, createdNow - printedCreated,
                    printed.getValueAtPercentile(50) / 1000.0, printed.getValueAtPercentile(99) / 1000.0,
                    printed.getMaxValue() / 1000.0, range(200, 300), range(400, 500), range(500, 600), ioErrors.get());
            if (answeredNow != printedAnswers) {
                lastProgressAt = now;
            }
            printed.reset();
            printedAt = now;
            printedAnswers = answeredNow;
            printedCreated = createdNow;
            if (now > endAt && now - endAt > drainNanos) {
                out.println("Drain timed out: " + finished.getCount() + " connections still wait for an answer");
                return;
            }
            if (now - lastProgressAt > drainNanos && now - start > drainNanos) {
                out.println("No answer for " + Durations.format(settings.drainTimeout()) + ": stopping ("
                        + finished.getCount() + " connections still wait)");
                return;
            }
        }
    }

    private long range(int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += statuses.get(i);
        }
        return sum;
    }

    private Result result() {
        Histogram latency = recorder.getIntervalHistogram();
        TreeMap<Integer, Long> byStatus = new TreeMap<>();
        long total = 0;
        for (int code = 0; code < statuses.length(); code++) {
            long count = statuses.get(code);
            if (count > 0) {
                byStatus.put(code, count);
                total += count;
            }
        }
        long lastAnswer = measureFrom;
        long unanswered = 0;
        long lateSends = 0;
        long mismatches = 0;
        List<InvariantChecker.AckedClaim> acked = new ArrayList<>();
        int urls = settings.urls().size();
        int[] urlConnections = new int[urls];
        long[] urlRequests = new long[urls];
        long[] urlClaims = new long[urls];
        for (int i = 0; i < connections.size(); i++) {
            Connection connection = connections.get(i);
            lastAnswer = Math.max(lastAnswer, connection.lastMeasuredAnswer);
            unanswered += connection.inFlight ? 1 : 0;
            lateSends += connection.measuredLateSends;
            mismatches += connection.bodyMismatches;
            connection.acked.addTo(acked, workload.wishIds, workload.userIds, NO_ID);
            urlConnections[i % urls]++;
            urlRequests[i % urls] += connection.measuredAnswers;
            urlClaims[i % urls] += connection.measuredClaims;
        }
        List<UrlCount> perUrl = new ArrayList<>(urls);
        for (int u = 0; u < urls; u++) {
            perUrl.add(new UrlCount(settings.urls().get(u), urlConnections[u], urlRequests[u], urlClaims[u]));
        }
        double seconds = (lastAnswer - measureFrom) / 1e9;
        return new Result(total, seconds, byStatus, ioErrors.get(), unanswered, latency, acked, mismatches,
                List.copyOf(perUrl), lateSends);
    }

    /**
     * One keep-alive connection and its schedule. Every field is touched only on the
     * connection's event loop (read by {@link #result()} after the loops have stopped).
     */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final Bootstrap bootstrap;
        private final SplittableRandom random;
        private final long intervalNanos;
        private final URI url;
        private final AsciiString host;
        final AckLog acked = new AckLog();
        long nextIntended;
        long lastMeasuredAnswer;
        /** Kept per connection, not in shared atomics, so the per-URL counts cost the hot path nothing. */
        long measuredAnswers;
        long measuredClaims;
        /** Measured requests sent more than one turn after their intended time. */
        long measuredLateSends;
        long bodyMismatches;
        boolean inFlight;
        private Channel channel;
        private boolean done;
        private long intended;
        private int sentWish;
        private int sentUser;
        private boolean reconnecting;

        Connection(Bootstrap bootstrap, SplittableRandom random, long intervalNanos, URI url) {
            this.bootstrap = bootstrap;
            this.random = random;
            this.intervalNanos = intervalNanos;
            this.url = url;
            this.host = AsciiString.of(url.getHost() + ":" + port(url));
        }

        EventLoop eventLoop() {
            return channel.eventLoop();
        }

        ChannelFuture connect() {
            Connection self = this;
            // A reconnect stays on the same event loop, so that this state keeps one owner thread.
            Bootstrap b = channel == null ? bootstrap.clone() : bootstrap.clone(channel.eventLoop());
            ChannelFuture future = b.handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), self);
                }
            }).connect(url.getHost(), port(url));
            channel = future.channel();
            return future;
        }

        @Override
        public boolean isSharable() {
            return true; // re-added to the pipeline of a reconnected channel
        }

        void sendNext() {
            if (done || inFlight || reconnecting) {
                return;
            }
            if (stopping) {
                finish();
                return;
            }
            long now = System.nanoTime();
            long sendAt;
            if (intervalNanos > 0) {
                sendAt = nextIntended;
                if (sendAt > now) {
                    if (sendAt >= endAt) {
                        finish();
                        return;
                    }
                    channel.eventLoop().schedule(this::sendNext, sendAt - now, TimeUnit.NANOSECONDS);
                    return;
                }
                nextIntended += intervalNanos;
            } else {
                sendAt = now;
            }
            if (sendAt >= endAt || (settings.requests() > 0 && issued.incrementAndGet() > settings.requests())) {
                finish();
                return;
            }
            if (intervalNanos > 0 && now - sendAt > intervalNanos && sendAt >= measureFrom) {
                measuredLateSends++; // counted once it is sent: a slot past the end is not
            }
            intended = sendAt;
            sentWish = workload.pickWish(random);
            sentUser = workload.pickUser(random);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    workload.claimPaths[sentWish], Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
            request.headers()
                    .set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.AUTHORIZATION, workload.authorizations[sentUser])
                    .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
            inFlight = true;
            channel.writeAndFlush(request, channel.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (!inFlight) {
                return;
            }
            inFlight = false;
            long now = System.nanoTime();
            int code = response.status().code();
            if (code == 201) {
                keepClaim(response);
            }
            long micros = Math.min(HIGHEST_MICROS, Math.max(0, (now - intended) / 1000));
            progress.recordValue(micros);
            answered.incrementAndGet();
            if (code == 201) {
                created.incrementAndGet();
            }
            if (intended >= measureFrom) {
                recorder.recordValue(micros);
                statuses.incrementAndGet(code < 600 && code >= 0 ? code : 0);
                lastMeasuredAnswer = now;
                measuredAnswers++;
                if (code == 201) {
                    measuredClaims++;
                }
            }
            sendNext();
        }

        /**
         * Keeps the claim id of a 201 with the wish and user this request named (checked against
         * the ledger with those), and counts a body that names another wish or user. The fields
         * are read from the parser's own buffer: no string per answer.
         */
        private void keepClaim(FullHttpResponse response) {
            acked.begin(sentWish, sentUser);
            boolean wishNamed = false;
            boolean userNamed = false;
            try (JsonParser json = JSON.createParser((java.io.InputStream) new ByteBufInputStream(response.content()))) {
                if (json.nextToken() == JsonToken.START_OBJECT) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String field = json.currentName();
                        JsonToken value = json.nextToken();
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            json.skipChildren();
                        } else if ("id".equals(field)) {
                            acked.appendId(json.getTextCharacters(), json.getTextOffset(), json.getTextLength());
                        } else if ("wishId".equals(field)) {
                            wishNamed = sameText(json, workload.wishIds[sentWish]);
                        } else if ("userId".equals(field)) {
                            userNamed = sameText(json, workload.userIds[sentUser]);
                        }
                    }
                }
            } catch (IOException e) {
                bodyMismatches++;
                return;
            }
            if (!wishNamed || !userNamed) {
                bodyMismatches++;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return;
            }
            if (inFlight) {
                inFlight = false;
                ioErrors.incrementAndGet();
            }
            if (!done && !stopping) {
                // The server closed the connection: open a new one and go on.
                reconnecting = true;
                ctx.channel().eventLoop().schedule(this::reconnect, 100, TimeUnit.MILLISECONDS);
            } else {
                finish();
            }
        }

        private void reconnect() {
            if (done || stopping) {
                finish();
                return;
            }
            connect().addListener(f -> {
                reconnecting = false;
                if (f.isSuccess()) {
                    sendNext();
                } else {
                    ioErrors.incrementAndGet();
                    reconnecting = true;
                    channel.eventLoop().schedule(this::reconnect, 500, TimeUnit.MILLISECONDS);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void finish() {
            if (!done) {
                done = true;
                finished.countDown();
            }
        }

        void close() {
            finish();
            channel.close();
        }
    }
}
