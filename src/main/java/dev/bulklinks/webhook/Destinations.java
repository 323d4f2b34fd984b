package dev.bulklinks.webhook;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may call: only hosts on {@code bulklinks.webhooks.allowed-hosts}, so that a caller
 * cannot aim the service at the inside of its network. An entry is a host name ({@code hooks.example.com}),
 * a wildcard for its subdomains ({@code *.example.com}), an IP address or an IP range in CIDR form
 * ({@code 10.20.0.0/16}). A host matched only by a wildcard must resolve to public addresses alone: loopback,
 * link-local, private, shared (100.64/10), unique-local (fc00::/7), multicast and unspecified addresses are
 * called only when the exact name, the address or its range is listed. Checked when a webhook is
 * registered, and again before each attempt (a name may resolve elsewhere by then).
 */
@Singleton
final class Destinations {

    /** Looks a host name up: the system's resolver, or a table in tests. */
    interface Resolver {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final List<String> allowed;
    private final Resolver resolver;

    /** The service's: the hosts of {@code bulklinks.webhooks.allowed-hosts}, looked up by the system's resolver. */
    @Inject
    Destinations(WebhookConfig config) {
        this(config.allowedHosts().orElse(List.of()));
    }

    Destinations(List<String> allowed) {
        this(allowed, InetAddress::getAllByName);
    }

    Destinations(List<String> allowed, Resolver resolver) {
        this.allowed = allowed.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        this.resolver = resolver;
    }

    /** Why {@code url} may not be called, or empty when it may. Resolves the host's name. */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("Field 'url' is not a URL (" + e.getReason() + "): write it as https://host[:port]/path.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("Field 'url' must be an http or https URL, not '" + url + "'.");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("Field 'url' may not carry a user name, password or #fragment.");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("Field 'url' names no host: write it as https://host[:port]/path.");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Match match = match(host);
        if (match == Match.NONE) {
            return Optional.of("Host '" + host + "' is not on the service's allow-list for webhooks"
                    + " (bulklinks.webhooks.allowed-hosts" + (allowed.isEmpty() ? ", which is empty" : "")
                    + "); an operator of the service can add it.");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.addresses(host);
        } catch (UnknownHostException e) {
            return Optional.of("Host '" + host + "' does not resolve to an address.");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && !listedExactly(host, address)) {
                return Optional.of("Host '" + host + "' resolves to " + address.getHostAddress() + ", a loopback,"
                        + " link-local or private address, which is called only when the host or the address is"
                        + " listed exactly in bulklinks.webhooks.allowed-hosts.");
            }
        }
        return Optional.empty();
    }

    private enum Match { NONE, WILDCARD, EXACT }

    private Match match(String host) {
        Match best = Match.NONE;
        boolean literal = isIpLiteral(host);
        for (String entry : allowed) {
            if (entry.equals(host)) {
                return Match.EXACT;
            }
            if (literal && isIpEntry(entry) && inRange(literalAddress(host), entry)) {
                return Match.EXACT;
            }
            if (!literal && entry.startsWith("*.") && host.endsWith(entry.substring(1))) {
                best = Match.WILDCARD;
            }
        }
        return best;
    }

    private boolean listedExactly(String host, InetAddress address) {
        for (String entry : allowed) {
            if (entry.equals(host) || (isIpEntry(entry) && inRange(address, entry))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code address} is on the public internet: none of the ranges a webhook must not reach unlisted. */
    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 "this network", 100.64/10 shared address space (carrier NAT), 255.255.255.255 broadcast.
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && first != 255;
        }
        // fc00::/7 unique local addresses, the IPv6 private range (Java's isSiteLocalAddress knows only fec0::/10).
        return (b[0] & 0xfe) != 0xfc;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static boolean isIpEntry(String entry) {
        String address = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        return isIpLiteral(address.replace("[", "").replace("]", ""));
    }

    private static InetAddress literalAddress(String host) {
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} is the entry's address, or in its CIDR range. */
    private static boolean inRange(InetAddress address, String entry) {
        if (address == null) {
            return false;
        }
        String[] parts = entry.replace("[", "").replace("]", "").split("/", 2);
        InetAddress base = literalAddress(parts[0]);
        if (base == null) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] n = base.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : a.length * 8;
        } catch (NumberFormatException e) {
            return false;
        }
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
