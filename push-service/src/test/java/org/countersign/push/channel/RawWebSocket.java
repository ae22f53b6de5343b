package org.countersign.push.channel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignedPayloads;

/**
 * A WebSocket client on a plain socket, frame by frame, for tests of what the service does at the protocol level:
 * fragments, control frames, close handshakes a well-behaved client library would hide (or a peer that never answers
 * one), and the moment the TCP connection ends. Client frames are masked, as RFC 6455 requires.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CONTINUATION = 0;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame from the service (never masked). */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens {@code path} on the service at {@code baseUrl} (http://host:port) and completes the handshake. */
    static RawWebSocket open(String baseUrl, String path) {
        return open(baseUrl, path, 0);
    }

    /** As {@link #open(String, String)}, with a small receive buffer ({@code > 0}) for a peer that falls behind. */
    static RawWebSocket open(String baseUrl, String path, int receiveBufferBytes) {
        URI base = URI.create(baseUrl);
        try {
            Socket socket = new Socket();
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(5000);
            RawWebSocket ws = new RawWebSocket(socket);
            ws.handshake(base.getAuthority(), path);
            return ws;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the channel of {@code deviceId}. */
    static RawWebSocket channel(String baseUrl, String deviceId) {
        return open(baseUrl, "/api/v1/devices/" + deviceId + "/channel");
    }

    private void handshake(String authority, String path) throws IOException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
    }

    /** Reads the hello and answers with a login for {@code deviceId} signed by {@code key}. */
    RawWebSocket login(String deviceId, DeviceSigner key) {
        String nonce = ((Hello) ChannelMessage.parse(next().text())).nonce();
        sendText(new Login(key.signBase64Url(SignedPayloads.channelLogin(deviceId, nonce))).encode());
        return this;
    }

    void sendText(String text) {
        send(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        send(true, CLOSE, ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array());
    }

    /** Writes one frame, masked. */
    void send(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, waiting at most five seconds. */
    Frame next() {
        return next(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no frame within 5 s"));
    }

    /** The next frame, or empty when none came within {@code wait}; fails at the end of the stream. */
    Optional<Frame> next(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int first = in.read();
            if (first < 0) {
                throw new AssertionError("the connection was closed");
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return Optional.of(new Frame((first & 0x80) != 0, first & 0x0f, payload));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the service closed the TCP connection within {@code wait}, reading (and dropping) what comes first. */
    boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            InputStream raw = socket.getInputStream();
            byte[] sink = new byte[4096];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (raw.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
