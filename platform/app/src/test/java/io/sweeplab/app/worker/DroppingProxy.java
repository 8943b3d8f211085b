package io.sweeplab.app.worker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on the loopback interface, between a remote worker and the platform, that loses connections on
 * purpose: it closes the first {@code refuse} connections before reading anything, and forwards the first request
 * whose path ends with each of {@code dropReplyTo} to the platform but closes the connection before the platform's
 * answer reaches the worker. It speaks just enough HTTP/1.1 to see where requests begin (a body with
 * {@code Content-Length}, as the JDK client sends them) and turns the client's h2c upgrade down, so the worker and
 * the platform stay on HTTP/1.1; it records each exchange with the status of its answer. It serves at most {@value #MAX_CONNECTIONS} connections and stops by itself after
 * {@code lifetime}.
 */
final class DroppingProxy implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 500;

    private final ServerSocket listener;
    private final int target;
    private final AtomicInteger toRefuse;
    private final Set<String> dropReplyTo;
    private final long deadline;
    private final List<String> exchanges = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> open = Collections.synchronizedSet(new LinkedHashSet<>());
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    DroppingProxy(int targetPort, int refuse, List<String> dropReplyTo, Duration lifetime) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.listener.setSoTimeout(250);
        this.target = targetPort;
        this.toRefuse = new AtomicInteger(refuse);
        this.dropReplyTo = Collections.synchronizedSet(new LinkedHashSet<>(dropReplyTo));
        this.deadline = System.nanoTime() + lifetime.toNanos();
        daemon("proxy-accept", this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * What went through, in order: {@code refused} for a connection closed unanswered, {@code METHOD PATH STATUS}
     * for an exchange, {@code METHOD PATH lost} for an answer lost on purpose.
     */
    List<String> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    @Override
    public void close() {
        closed = true;
        quietly(listener);
        synchronized (open) {
            open.forEach(DroppingProxy::quietly);
        }
    }

    private void accept() {
        while (!closed && System.nanoTime() < deadline && connections.get() < MAX_CONNECTIONS) {
            Socket client;
            try {
                client = listener.accept();
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                break;
            }
            connections.incrementAndGet();
            if (toRefuse.getAndDecrement() > 0) {
                exchanges.add("refused");
                quietly(client);
                continue;
            }
            daemon("proxy-connection", () -> serve(client));
        }
        close();
    }

    /** One connection: requests parsed on their way in, answers copied back unless this one's is to be lost. */
    private void serve(Socket client) {
        try (client;
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
            open.add(client);
            open.add(server);
            // the request sent and not answered yet (the JDK client sends the next one after the answer)
            AtomicReference<Sent> sent = new AtomicReference<>();
            daemon("proxy-answers", () -> answers(server, client, sent));
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            while (!closed) {
                String head = head(in);
                if (head == null) {
                    return;
                }
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                StringBuilder forwarded = new StringBuilder(requestLine).append("\r\n");
                long length = 0;
                for (String h : head.substring(requestLine.length() + 2).split("\r\n")) {
                    if (h.isEmpty()) {
                        continue;
                    }
                    String name = h.contains(":")
                            ? h.substring(0, h.indexOf(':')).strip().toLowerCase(Locale.ROOT)
                            : "";
                    String value =
                            h.contains(":") ? h.substring(h.indexOf(':') + 1).strip() : "";
                    switch (name) {
                        case "upgrade", "http2-settings", "connection" -> {} // no h2c: HTTP/1.1 throughout
                        case "transfer-encoding" -> throw new IllegalStateException("chunked request: " + requestLine);
                        case "content-length" -> {
                            length = Long.parseLong(value);
                            forwarded.append(h).append("\r\n");
                        }
                        default -> forwarded.append(h).append("\r\n");
                    }
                }
                forwarded.append("\r\n");
                String path = requestLine.split(" ")[1].replaceAll("\\?.*", "");
                boolean lose;
                synchronized (dropReplyTo) {
                    String match = dropReplyTo.stream()
                            .filter(path::endsWith)
                            .findFirst()
                            .orElse(null);
                    lose = match != null && dropReplyTo.remove(match);
                }
                // set before the request leaves, so the answer's first bytes find it
                sent.set(new Sent(
                        requestLine.substring(0, requestLine.lastIndexOf(' ')).replaceAll("\\?.*", ""), lose));
                out.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                byte[] buf = new byte[8192];
                while (length > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, length));
                    if (n < 0) {
                        return;
                    }
                    out.write(buf, 0, n);
                    length -= n;
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // a closed connection, on purpose or not: the worker sees it closed
        } finally {
            open.remove(client);
        }
    }

    /** A request on its way to the platform, and whether its answer is to be lost. */
    private record Sent(String request, boolean lose) {}

    private void answers(Socket server, Socket client, AtomicReference<Sent> sent) {
        try {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                Sent answered = sent.getAndSet(null); // non-null: these bytes begin its answer
                if (answered != null && answered.lose()) {
                    // the request reached the platform and it answered; the worker never hears of it
                    exchanges.add(answered.request() + " lost");
                    quietly(client);
                    quietly(server);
                    return;
                }
                if (answered != null) {
                    String statusLine = new String(buf, 0, Math.min(n, 64), StandardCharsets.ISO_8859_1);
                    String[] parts = statusLine.split(" ", 3);
                    exchanges.add(answered.request() + " " + (parts.length > 1 ? parts[1] : "?"));
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            quietly(client);
            quietly(server);
            open.remove(server);
        }
    }

    /** A request's head up to and including its blank line, or null at the end of the stream. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > 65536) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
