package io.sweeplab.app.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.sweeplab.core.access.PasswordHasher;
import java.security.GeneralSecurityException;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.util.ModularCrypt;

/** bcrypt (cost 10) in the modular crypt format ({@code $2a$10$...}), through WildFly Elytron. */
public final class BcryptHasher implements PasswordHasher {

    private static final WildFlyElytronPasswordProvider PROVIDER = WildFlyElytronPasswordProvider.getInstance();

    @Override
    public String hash(String password) {
        return BcryptUtil.bcryptHash(password);
    }

    @Override
    public boolean verify(String password, String hash) {
        try {
            Password stored = ModularCrypt.decode(hash);
            PasswordFactory factory = PasswordFactory.getInstance(stored.getAlgorithm(), PROVIDER);
            return factory.verify(factory.translate(stored), password.toCharArray());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a stored hash that is no bcrypt hash: nobody can sign in with it, and an operator should know
            org.jboss.logging.Logger.getLogger(BcryptHasher.class)
                    .warnf("SWL-AUTH-002 a stored password hash is not a bcrypt hash: %s", e.getMessage());
            return false;
        }
    }
}
