package io.sweeplab.app.problem;

import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path and query values are checked once, here, for every resource: no control characters (a NUL cannot be stored
 * and would only fail deep in the database), and numbers in their one canonical spelling ({@link Bodies#canonical})
 * where a resource takes them as numbers, so {@code +1}, {@code 01} and other digits than ASCII name nothing.
 */
public class RequestValues {

    private record Numeric(String name, boolean path) {}

    private final Map<Method, List<Numeric>> numeric = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(UriInfo uri, ResourceInfo resource) {
        MultivaluedMap<String, String> path = uri.getPathParameters();
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        path.forEach((name, values) -> values.forEach(v -> text(name, v)));
        query.forEach((name, values) -> values.forEach(v -> text(name, v)));
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        for (Numeric n : numeric.computeIfAbsent(method, RequestValues::numericParameters)) {
            String value = (n.path() ? path : query).getFirst(n.name());
            if (value == null || Bodies.canonical(value)) {
                continue;
            }
            if (n.path()) {
                throw new NotFoundException("no object with " + n.name() + " '" + value + "'");
            }
            throw new InvalidInputException(n.name(), "must be a whole number written with the digits 0 to 9");
        }
    }

    private static void text(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidInputException(
                        name, "must not contain control characters (" + String.format("U+%04X", (int) c) + ")");
            }
        }
    }

    private static List<Numeric> numericParameters(Method m) {
        return java.util.Arrays.stream(m.getParameters())
                .filter(p -> whole(p.getType()))
                .map(RequestValues::numeric)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static Numeric numeric(Parameter p) {
        PathParam path = p.getAnnotation(PathParam.class);
        if (path != null) {
            return new Numeric(path.value(), true);
        }
        QueryParam query = p.getAnnotation(QueryParam.class);
        return query == null ? null : new Numeric(query.value(), false);
    }

    private static boolean whole(Class<?> t) {
        return t == long.class || t == Long.class || t == int.class || t == Integer.class;
    }
}
