package dev.bulklinks.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed, as Stripe signs its webhooks: the header {@value #HEADER} reads
 * {@code t=<Unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the webhook's secret>}. A receiver
 * recomputes the HMAC over the raw body and compares in constant time, and refuses a {@code t} too far from
 * its clock, which stops a recorded delivery from being replayed later.
 */
public final class Signature {

    /** The header that carries the signature. */
    public static final String HEADER = "X-BulkLinks-Signature";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /** A new secret: 32 random bytes, base64url, with a prefix that says what it is. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header's value for {@code body} sent at {@code epochSecond}. */
    public static String header(String secret, long epochSecond, String body) {
        return "t=" + epochSecond + ",v1=" + hmac(secret, epochSecond + "." + body);
    }

    /** The hex HMAC-SHA256 of {@code text} keyed with {@code secret} (its UTF-8 bytes). */
    public static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
