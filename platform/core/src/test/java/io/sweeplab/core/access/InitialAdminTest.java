package io.sweeplab.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.error.ConflictException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InitialAdminTest {

    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @Test
    void two_instances_starting_at_once_make_one_administrator_and_neither_fails() {
        AtomicBoolean madeByTheOther = new AtomicBoolean();
        UserStore store = fake(UserStore.class, (proxy, method, args) -> switch (method.getName()) {
            case "anyAdmin" -> madeByTheOther.get();
            case "find" -> Optional.empty();
            case "create" -> {
                // the other instance created it between this one's check and its insert
                madeByTheOther.set(true);
                throw new ConflictException("username", "a user named 'admin' already exists");
            }
            default -> throw new UnsupportedOperationException(method.getName());
        });
        PasswordHasher hasher = fake(PasswordHasher.class, (proxy, method, args) -> "hash");
        AuditLog audit = fake(AuditLog.class, (proxy, method, args) -> null);
        UserService users = new UserService(store, hasher, audit, slug -> false);

        assertThat(users.ensureInitialAdmin("admin", Optional.of("a-long-enough-password-1")))
                .isEmpty();
        madeByTheOther.set(false);
        assertThat(users.ensureInitialAdmin("admin", Optional.empty()))
                .as("no one-time password printed for an administrator this instance did not make")
                .isEmpty();
    }
}
