package io.sweeplab.core.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.external.SearchFilter.Clause;
import io.sweeplab.core.external.SearchFilter.Entity;
import io.sweeplab.core.external.SearchFilter.Order;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchFilterTest {

    static List<Clause> parse(String f) {
        return SearchFilter.parse("filter", f, ExternalRunService.RUN_NUMERIC_ATTRIBUTES);
    }

    @Test
    void reads_mlflows_filter_grammar() {
        assertThat(parse("metrics.acc > 0.9 AND params.model = 'cnn' and tags.\"my tag\" LIKE 'a%'"
                        + " AND attributes.status IN ('FINISHED', 'FAILED') AND metrics.`val loss` <= -1e-3"
                        + " AND tags.note IS NULL AND attribute.start_time >= 1700000000000 AND params.x != \"it's\""))
                .containsExactly(
                        new Clause(Entity.METRIC, "acc", ">", 0.9),
                        new Clause(Entity.PARAM, "model", "=", "cnn"),
                        new Clause(Entity.TAG, "my tag", "LIKE", "a%"),
                        new Clause(Entity.ATTRIBUTE, "status", "IN", List.of("FINISHED", "FAILED")),
                        new Clause(Entity.METRIC, "val loss", "<=", -1e-3),
                        new Clause(Entity.TAG, "note", "IS NULL", null),
                        new Clause(Entity.ATTRIBUTE, "start_time", ">=", 1.7e12),
                        new Clause(Entity.PARAM, "x", "!=", "it's"));
        assertThat(parse("  ")).isEmpty();
        assertThat(parse("name ILIKE '%lab%'")).containsExactly(new Clause(Entity.ATTRIBUTE, "name", "ILIKE", "%lab%"));
        assertThat(parse("metrics.a.b/c = 1")).containsExactly(new Clause(Entity.METRIC, "a.b/c", "=", 1.0));
    }

    @Test
    void refuses_what_mlflow_refuses_naming_the_field() {
        for (String bad : List.of(
                "metrics.acc >> 1",
                "metrics.acc LIKE 'a'",
                "params.lr > '1'",
                "params.lr = 1",
                "metrics.acc > 1 OR metrics.acc < 0",
                "foo.bar = 'x'",
                "params.lr = 'unterminated",
                "params.lr IN 'a'",
                "metrics. = 1",
                "= 1")) {
            assertThatThrownBy(() -> parse(bad))
                    .as(bad)
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(
                                    ((InvalidInputException) e).errors().get(0).field())
                            .isEqualTo("filter"));
        }
    }

    @Test
    void reads_order_by() {
        assertThat(SearchFilter.orderBy("order_by", List.of("metrics.acc DESC", "attributes.start_time", "tags.t asc")))
                .containsExactly(
                        new Order(Entity.METRIC, "acc", false),
                        new Order(Entity.ATTRIBUTE, "start_time", true),
                        new Order(Entity.TAG, "t", true));
        assertThatThrownBy(() -> SearchFilter.orderBy("order_by", List.of("metrics.acc sideways")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(SearchFilter.parse("filter", "creation_time > 5", Set.of("creation_time")))
                .containsExactly(new Clause(Entity.ATTRIBUTE, "creation_time", ">", 5.0));
    }
}
