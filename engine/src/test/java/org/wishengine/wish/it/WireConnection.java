package org.wishengine.wish.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written by hand, for the abuse, overload, fuzz and crash tests: requests
 * go out as raw bytes (pipelined, truncated or malformed as a test likes) and responses are framed
 * by Content-Length (which the engine always sends on non-streaming answers).
 */
final class WireConnection implements AutoCloseable {

    /** One response as read off the socket. */
    record Response(String statusLine, int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            return GrabSupport.parse(body);
        }

        String error() {
            return body.isEmpty() ? null : json().path("error").asText(null);
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " " + body;
        }
    }

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    WireConnection(int port) throws IOException {
        this(port, 15_000);
    }

    /** @param soTimeoutMillis a guard against hanging forever, not a synchronisation device */
    WireConnection(int port, int soTimeoutMillis) throws IOException {
        this(port, soTimeoutMillis, 0);
    }

    /** @param receiveBufferBytes the socket's receive buffer, set before connecting; 0 for the default */
    WireConnection(int port, int soTimeoutMillis, int receiveBufferBytes) throws IOException {
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(soTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    Socket socket() {
        return socket;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Half-closes: the engine sees end of stream after what was sent. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** A claim request with an empty body. */
    static String claim(String wishId, String token) {
        return "POST /api/wishes/" + wishId + "/claims HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: 0\r\n\r\n";
    }

    static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
    }

    static String post(String path, String token, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    /** Reads one response; throws {@link EOFException} when the connection ends first. */
    Response read() throws IOException {
        Response response = readOrNull();
        if (response == null) {
            throw new EOFException("the connection was closed before a response");
        }
        return response;
    }

    /**
     * Reads one response, or returns null when the engine closed the connection before its first
     * byte. A close in the middle of a response is an {@link EOFException}. A chunked response
     * (the event stream) is returned with its headers and an empty body, unread.
     */
    Response readOrNull() throws IOException {
        String statusLine = line(true);
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new IOException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(false); !header.isEmpty(); header = line(false)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + printable(header));
            }
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        String length = headers.get("content-length");
        byte[] body = new byte[0];
        if (length != null) {
            int n = Integer.parseInt(length);
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new EOFException("connection closed inside a response body: " + statusLine);
            }
        } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                && status / 100 != 1 && status != 204 && status != 304) {
            throw new IOException("response without Content-Length: " + statusLine + " " + headers);
        }
        return new Response(statusLine, status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * True when the engine closed the connection (end of stream, or a reset) with nothing more to
     * read; false when a byte arrives instead. A read timeout propagates.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    /** One line without its CRLF; at end of stream null if nothing was read and {@code eofOk}. */
    private String line(boolean eofOk) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        try {
            b = in.read();
        } catch (SocketException reset) {
            if (eofOk) {
                return null;
            }
            throw reset;
        }
        if (b == -1) {
            if (eofOk) {
                return null;
            }
            throw new EOFException("connection closed inside a response head");
        }
        while (b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
            b = in.read();
            if (b == -1) {
                throw new EOFException("connection closed inside a response head: " + line);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
