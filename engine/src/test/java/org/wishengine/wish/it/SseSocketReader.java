package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket Server-Sent Events reader for {@code GET /api/events}: writes the request by hand,
 * parses the status line, the headers and the chunked transfer encoding, and splits the decoded
 * stream into frames at blank lines. Nothing of the JDK's HTTP client is involved, so the test sees
 * exactly the bytes the engine wrote.
 */
final class SseSocketReader implements AutoCloseable {

    /** One SSE frame: its fields (the last value of each), and any comment lines. */
    record Frame(String id, String event, String data, String retry, List<String> comments) {

        long numericId() {
            return Long.parseLong(id);
        }

        @Override
        public String toString() {
            return "{id=" + id + ", event=" + event + ", data=" + data + (retry == null ? "" : ", retry=" + retry)
                    + (comments.isEmpty() ? "" : ", comments=" + comments) + "}";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final ArrayDeque<Frame> parsed = new ArrayDeque<>();
    private final List<Frame> seen = new ArrayList<>();
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private long chunkLeft = -1; // -1: a chunk-size line comes next
    private boolean ended;

    private SseSocketReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** Connects, sends the request (with {@code Last-Event-ID} unless null) and reads the response head. */
    static SseSocketReader open(int port, String lastEventId, Duration within) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SseSocketReader reader = new SseSocketReader(socket);
        reader.sendRequest(lastEventId);
        reader.readHead(System.nanoTime() + within.toNanos());
        return reader;
    }

    /**
     * Sends the request on an already connected socket and returns without reading anything — for
     * a subscriber that never reads.
     */
    static void sendRequest(Socket socket, String lastEventId) throws IOException {
        StringBuilder request = new StringBuilder("GET /api/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n");
        if (lastEventId != null) {
            request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void sendRequest(String lastEventId) throws IOException {
        sendRequest(socket, lastEventId);
    }

    int status() {
        return status;
    }

    /** Response header value by lower-case name, or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every frame returned so far, in order. */
    List<Frame> seen() {
        return List.copyOf(seen);
    }

    /** The next frame; fails when none arrives within {@code within}. */
    Frame next(Duration within) throws IOException {
        return next(1, within).get(0);
    }

    /** The next {@code count} frames; fails when they do not all arrive within {@code within}. */
    List<Frame> next(int count, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        List<Frame> frames = new ArrayList<>(count);
        while (frames.size() < count) {
            Frame frame = parsed.poll();
            if (frame != null) {
                frames.add(frame);
                seen.add(frame);
                continue;
            }
            if (ended) {
                fail("the event stream ended after " + frames.size() + " of " + count + " frames: " + frames);
            }
            try {
                readSome(deadline);
            } catch (SocketTimeoutException e) {
                fail("only " + frames.size() + " of " + count + " frames arrived within " + within.toMillis()
                        + " ms: " + frames);
            }
        }
        return frames;
    }

    /** The next frame that is not a comment-only keep-alive (frames are otherwise returned as they come). */
    Frame nextEvent(Duration within) throws IOException {
        while (true) {
            Frame frame = next(within);
            if (frame.id() != null || frame.event() != null || frame.data() != null || frame.retry() != null) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ------------------------------------------------------------------ parsing

    private void readHead(long deadline) throws IOException {
        String statusLine = readLine(deadline);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            fail("not an HTTP status line: " + statusLine);
        }
        status = Integer.parseInt(parts[1]);
        for (String line = readLine(deadline); !line.isEmpty(); line = readLine(deadline)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (!"chunked".equalsIgnoreCase(header("transfer-encoding"))) {
            fail("the event stream is not chunked: " + headers);
        }
    }

    /** Reads at least one byte of chunked payload (or the end of the stream) and parses complete frames. */
    private void readSome(long deadline) throws IOException {
        if (chunkLeft <= 0) {
            if (chunkLeft == 0) {
                expectCrlf(deadline); // the CRLF after the previous chunk's data
            }
            String sizeLine = readLine(deadline);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                ended = true; // the last chunk; trailers are not expected
                return;
            }
            chunkLeft = size;
        }
        setTimeout(deadline);
        byte[] buffer = new byte[(int) Math.min(chunkLeft, 8192)];
        int read = in.read(buffer);
        if (read < 0) {
            throw new EOFException("the connection closed in the middle of a chunk");
        }
        chunkLeft -= read;
        text.write(buffer, 0, read);
        splitFrames();
    }

    private void splitFrames() {
        String all = text.toString(StandardCharsets.UTF_8);
        int start = 0;
        int end;
        while ((end = all.indexOf("\n\n", start)) >= 0) {
            parsed.add(parseFrame(all.substring(start, end)));
            start = end + 2;
        }
        if (start > 0) {
            byte[] rest = all.substring(start).getBytes(StandardCharsets.UTF_8);
            text.reset();
            text.write(rest, 0, rest.length);
        }
    }

    private static Frame parseFrame(String block) {
        String id = null;
        String event = null;
        String data = null;
        String retry = null;
        List<String> comments = new ArrayList<>();
        for (String line : block.split("\n", -1)) {
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? value : data + "\n" + value;
                case "retry" -> retry = value;
                default -> fail("unknown SSE field in frame: " + block);
            }
        }
        return new Frame(id, event, data, retry, List.copyOf(comments));
    }

    private void expectCrlf(long deadline) throws IOException {
        String line = readLine(deadline);
        if (!line.isEmpty()) {
            fail("expected CRLF after a chunk, got " + line);
        }
        chunkLeft = -1;
    }

    private String readLine(long deadline) throws IOException {
        setTimeout(deadline);
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed; line so far: " + line);
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private void setTimeout(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }
}
