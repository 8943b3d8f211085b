package io.sweeplab.core.access;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** The throttle's counts in memory, for the unit tests (the platform keeps them in PostgreSQL). */
final class InMemoryLoginFailures implements LoginFailureStore {

    final Map<String, Failures> rows = new ConcurrentHashMap<>();

    @Override
    public Map<String, Failures> find(Collection<String> keys) {
        Map<String, Failures> out = new HashMap<>();
        for (String k : keys) {
            Failures f = rows.get(k);
            if (f != null) {
                out.put(k, f);
            }
        }
        return out;
    }

    @Override
    public void update(String key, UnaryOperator<Failures> change) {
        rows.compute(key, (k, f) -> change.apply(f));
    }

    @Override
    public void remove(Collection<String> keys) {
        keys.forEach(rows::remove);
    }

    @Override
    public void prune(Instant now) {
        rows.values().removeIf(f -> f.forgetAt().isBefore(now));
    }

    @Override
    public void clear() {
        rows.clear();
    }
}
