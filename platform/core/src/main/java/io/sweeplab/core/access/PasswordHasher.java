package io.sweeplab.core.access;

/** A slow, salted password hash (bcrypt in the platform). */
public interface PasswordHasher {

    String hash(String password);

    boolean verify(String password, String hash);
}
