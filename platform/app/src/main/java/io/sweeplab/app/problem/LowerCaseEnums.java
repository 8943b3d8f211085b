package io.sweeplab.app.problem;

import java.util.Locale;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The API document lists enumerations as the API spells them ({@link StrictJson}): in lower case, not as the Java
 * constants are named. Installed by {@code mp.openapi.filter}.
 */
public class LowerCaseEnums implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getEnumeration() != null) {
            schema.setEnumeration(schema.getEnumeration().stream()
                    .map(v -> v instanceof String s ? s.toLowerCase(Locale.ROOT) : v)
                    .toList());
        }
        return schema;
    }
}
