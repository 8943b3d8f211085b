package io.sweeplab.app.problem;

import io.sweeplab.core.error.InvalidInputException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Every operation that takes a body needs one: an empty body or a JSON {@code null} is a 400 naming {@code body}
 * here, for all resources, instead of a null that a resource would have to remember to check.
 */
@Provider
public class RequiredBody implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        return body;
    }
}
