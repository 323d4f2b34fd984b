package dev.bulklinks.progress.socketio;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request of engine.io's polling transport ({@code GET} waits for packets, {@code POST} brings
 * the client's), handed to engine.io-server as the servlet request and response it takes.
 *
 * <p>The bridge is as small as engine.io-server 6.3.2 allows: the servlet wrappers
 * ({@link HttpServletRequestWrapper}, {@link HttpServletResponseWrapper}) with the methods its
 * {@code EngineIoServer}, {@code EngineIoSocket} and {@code transport.Polling} call overridden to read the
 * Vert.x request (query, method, headers, the body read beforehand, attributes) and to collect the
 * answer (status, headers, body); every other method reaches a stand-in that throws, naming it, so that
 * a newer engine.io asking for more fails loudly instead of answering wrong. A {@code GET} is
 * asynchronous, as in a servlet container, so that it waits for packets (a long poll): engine.io calls
 * {@link AsyncContext#complete()} when it has written them, and the Vert.x response ends then; a
 * client that goes away meanwhile is engine.io's async error, as a container reports it.
 */
final class PollingExchange {

    private static final HttpServletRequest NO_REQUEST = unsupported(HttpServletRequest.class);
    private static final HttpServletResponse NO_RESPONSE = unsupported(HttpServletResponse.class);

    private final Vertx vertx;
    private final HttpServerRequest http;
    private final byte[] body;
    private final Map<String, Object> attributes = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, List<String>> headers = new HashMap<>();
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private PrintWriter writer;
    private int status = 200;
    private String contentType;
    private String characterEncoding;
    private Async async;
    private boolean ended;

    /** @param body the request's body, read whole beforehand (small: a polling client's packets) */
    PollingExchange(Vertx vertx, HttpServerRequest http, Buffer body) {
        this.vertx = vertx;
        this.http = http;
        this.body = body == null ? new byte[0] : body.getBytes();
        this.request = new Request();
        this.response = new Response();
        http.response().closeHandler(ignored -> clientGone());
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    /** engine.io returned from the request: answers now, unless it went asynchronous (a long poll). */
    void handled() {
        boolean waiting;
        synchronized (this) {
            waiting = async != null;
        }
        if (!waiting) {
            end();
        }
    }

    /** Answers what engine.io wrote; once. */
    void end() {
        long timer;
        byte[] bytes;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            timer = async == null ? -1 : async.timer;
            if (writer != null) {
                writer.flush();
            }
            bytes = out.toByteArray();
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        HttpServerResponse answer = http.response();
        if (answer.ended() || answer.closed()) {
            return;
        }
        answer.setStatusCode(status);
        headers.forEach(answer::putHeader);
        if (contentType != null) {
            answer.putHeader(HttpHeaders.CONTENT_TYPE, contentType.contains("charset") || characterEncoding == null
                    ? contentType : contentType + "; charset=" + characterEncoding);
        }
        Delivery.written(answer.end(Buffer.buffer(bytes)));
    }

    /** The client closed the connection while engine.io held the poll: as a container, an async error. */
    private void clientGone() {
        AsyncListener listener;
        synchronized (this) {
            if (ended || async == null || async.listener == null) {
                return;
            }
            ended = true;
            listener = async.listener;
        }
        try {
            listener.onError(new AsyncEvent(async, request, response, null));
        } catch (java.io.IOException e) {
            // engine.io's listener throws nothing; the connection is gone either way.
        }
    }

    /** The poll outlasted engine.io's timeout (its pings end a poll long before: a backstop). */
    private void timedOut() {
        AsyncListener listener;
        synchronized (this) {
            if (ended || async == null || async.listener == null) {
                return;
            }
            listener = async.listener;
        }
        try {
            // engine.io answers a NOOP packet and completes the poll; the client polls again. Called without
            // this exchange's lock: engine.io takes its connection's lock, then writes here.
            listener.onTimeout(new AsyncEvent(async, request, response));
        } catch (java.io.IOException e) {
            end();
        }
    }

    /** The servlet request engine.io reads: the Vert.x request's parts. */
    private final class Request extends HttpServletRequestWrapper {

        Request() {
            super(NO_REQUEST);
        }

        @Override
        public String getQueryString() {
            return http.query();
        }

        @Override
        public String getMethod() {
            return http.method().name();
        }

        @Override
        public String getHeader(String name) {
            return http.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(new ArrayList<>(http.headers().names()));
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return Collections.enumeration(http.headers().getAll(name));
        }

        @Override
        public Object getAttribute(String name) {
            synchronized (PollingExchange.this) {
                return attributes.get(name);
            }
        }

        @Override
        public void setAttribute(String name, Object value) {
            synchronized (PollingExchange.this) {
                attributes.put(name, value);
            }
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, Math.min(len, b.length - off));
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read beforehand");
                }
            };
        }

        @Override
        public boolean isAsyncSupported() {
            return true;
        }

        @Override
        public boolean isAsyncStarted() {
            synchronized (PollingExchange.this) {
                return async != null;
            }
        }

        @Override
        public AsyncContext startAsync() {
            synchronized (PollingExchange.this) {
                if (async == null) {
                    async = new Async();
                }
                return async;
            }
        }

        @Override
        public AsyncContext getAsyncContext() {
            synchronized (PollingExchange.this) {
                if (async == null) {
                    throw new IllegalStateException("the request is not asynchronous");
                }
                return async;
            }
        }
    }

    /** The servlet response engine.io writes: collected, and sent whole by {@link #end()}. */
    private final class Response extends HttpServletResponseWrapper {

        Response() {
            super(NO_RESPONSE);
        }

        @Override
        public void setStatus(int sc) {
            synchronized (PollingExchange.this) {
                status = sc;
            }
        }

        @Override
        public void setContentType(String type) {
            synchronized (PollingExchange.this) {
                contentType = type;
            }
        }

        @Override
        public void setCharacterEncoding(String charset) {
            synchronized (PollingExchange.this) {
                characterEncoding = charset;
            }
        }

        @Override
        public void setContentLength(int len) {
            // Vert.x sets it from what end() sends.
        }

        @Override
        public void addHeader(String name, String value) {
            synchronized (PollingExchange.this) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            synchronized (PollingExchange.this) {
                headers.put(name, new ArrayList<>(List.of(value)));
            }
        }

        @Override
        public PrintWriter getWriter() {
            synchronized (PollingExchange.this) {
                if (writer == null) {
                    writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                }
                return writer;
            }
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    synchronized (PollingExchange.this) {
                        out.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (PollingExchange.this) {
                        out.write(b, off, len);
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("the answer is sent whole");
                }
            };
        }
    }

    /** The long poll: engine.io completes it when it has written packets, or when its timeout passes. */
    private final class Async implements AsyncContext {

        AsyncListener listener;
        long timeout;
        long timer = -1;

        @Override
        public ServletRequest getRequest() {
            return request;
        }

        @Override
        public ServletResponse getResponse() {
            return response;
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return true;
        }

        @Override
        public void dispatch() {
            throw new UnsupportedOperationException("dispatch");
        }

        @Override
        public void dispatch(String path) {
            throw new UnsupportedOperationException("dispatch");
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            throw new UnsupportedOperationException("dispatch");
        }

        @Override
        public void complete() {
            end();
        }

        @Override
        public void start(Runnable run) {
            vertx.executeBlocking(() -> {
                run.run();
                return null;
            }, false);
        }

        @Override
        public void addListener(AsyncListener listener) {
            synchronized (PollingExchange.this) {
                this.listener = listener;
            }
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            addListener(listener);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) {
            throw new UnsupportedOperationException("createListener");
        }

        @Override
        public void setTimeout(long millis) {
            synchronized (PollingExchange.this) {
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                    timer = -1;
                }
                timeout = millis;
                if (millis > 0 && !ended) {
                    timer = vertx.setTimer(millis, id -> timedOut());
                }
            }
        }

        @Override
        public long getTimeout() {
            return timeout;
        }
    }

    /** A stand-in for the servlet objects the wrappers wrap: anything not overridden above throws. */
    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(PollingExchange.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "the polling bridge's " + type.getSimpleName();
                        };
                    }
                    throw new UnsupportedOperationException("engine.io asked the polling bridge for "
                            + type.getSimpleName() + "." + method.getName() + ", which it does not provide");
                }));
    }
}
