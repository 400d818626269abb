package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each registry is reached: the operator's mirrors ({@code --registry-mirror docker.io=http://127.0.0.1:5000,
 * ghcr.io=https://mirror.internal}), else the registry itself over https. Plain http only for a mirror the operator
 * wrote as http:// and for registries on a loopback address: credentials and layers never cross a network
 * unencrypted by accident.
 */
public final class RegistryMirrors {
    private final Map<String, URI> mirrors;

    private RegistryMirrors(Map<String, URI> mirrors) {
        this.mirrors = Map.copyOf(mirrors);
    }

    public static RegistryMirrors none() {
        return new RegistryMirrors(Map.of());
    }

    /**
     * Parses {@code name=URL[,name=URL...]}; an empty text means no mirrors.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static RegistryMirrors parse(String text) {
        Map<String, URI> mirrors = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return new RegistryMirrors(mirrors);
        }
        for (String entry : text.split(",")) {
            String item = entry.strip();
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new IllegalArgumentException(
                        "registry mirror `" + item + "` must be REGISTRY=URL, e.g. docker.io=http://127.0.0.1:5000");
            }
            String registry = item.substring(0, equals).strip().toLowerCase(java.util.Locale.ROOT);
            URI uri;
            try {
                uri = URI.create(item.substring(equals + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("registry mirror `" + item + "`: " + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || (uri.getPath() != null
                            && !uri.getPath().isEmpty()
                            && !uri.getPath().equals("/"))
                    || uri.getQuery() != null
                    || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("registry mirror `" + item
                        + "`: the URL must be http(s)://HOST[:PORT] with no path, query or user");
            }
            mirrors.put(registry, URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
        }
        return new RegistryMirrors(mirrors);
    }

    /** The base URL (scheme and authority) that serves {@code registry}'s /v2/ API. */
    public URI endpoint(String registry) {
        URI mirror = mirrors.get(registry.toLowerCase(java.util.Locale.ROOT));
        if (mirror != null) {
            return mirror;
        }
        if (registry.equals(ImageReference.DOCKER_HUB)) {
            // Docker Hub's names (`python:3.12`) are not served at `docker.io` itself but at a registry API host of
            // its own. Wrenn writes no registry host into its code: the operator says where Docker Hub's names are
            // pulled from (its API host, or the site's mirror).
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "Docker Hub images (docker.io, names like python:3.12) need an endpoint on this host: start the"
                            + " host agent (or wrenn up) with --registry-mirror docker.io=https://<Docker Hub's registry"
                            + " API host, or your mirror>");
        }
        URI direct = URI.create("https://" + registry);
        return isLoopback(direct.getHost()) ? URI.create("http://" + registry) : direct;
    }

    /** Whether a plain-http URL may be used for this host: a mirror the operator wrote as http, or loopback. */
    boolean allowsPlainHttp(URI uri) {
        if (isLoopback(uri.getHost())) {
            return true;
        }
        return mirrors.values().stream()
                .anyMatch(
                        m -> m.getScheme().equals("http") && m.getRawAuthority().equals(uri.getRawAuthority()));
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.replaceAll("^\\[|]$", "");
        if (bare.equals("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here, so DNS cannot turn it into loopback or away from it
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return mirrors.toString();
    }
}
