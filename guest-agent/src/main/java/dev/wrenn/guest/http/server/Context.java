package dev.wrenn.guest.http.server;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A path prefix with its handler and filters, as the JDK's contexts behave (longest matching prefix wins). */
final class Context extends HttpContext {
    private final String path;
    private final WrennHttpServer server;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<Filter> filters = new CopyOnWriteArrayList<>();
    private volatile HttpHandler handler;

    Context(String path, WrennHttpServer server, HttpHandler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
        this.handler = handler;
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public List<Filter> getFilters() {
        return filters;
    }

    /** The agent authenticates in a filter (the access token); an Authenticator would be silently ignored here. */
    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
        throw new UnsupportedOperationException(
                "the guest agent's HTTP server has no Authenticator support; use a Filter");
    }

    @Override
    public Authenticator getAuthenticator() {
        return null;
    }
}
