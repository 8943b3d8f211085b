package io.sweeplab.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Token secrets: {@code swl_} and 43 characters of base64url (256 random bits); stored as their SHA-256. */
public final class Tokens {

    public static final String PREFIX = "swl_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What lists show of a secret: enough to tell tokens apart, far too little to guess them. */
    public static String prefix(String secret) {
        return secret.substring(0, PREFIX.length() + 6);
    }
}
