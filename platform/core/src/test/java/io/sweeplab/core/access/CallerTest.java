package io.sweeplab.core.access;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.NotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {

    final Caller viewer = new Caller(1, "vi", false, Map.of("vision", Role.VIEWER), false, "password");
    final Caller member = new Caller(2, "me", false, Map.of("vision", Role.MEMBER), false, "password");
    final Caller reader = new Caller(2, "me", false, Map.of("vision", Role.MEMBER), true, "token:ci");
    final Caller admin = new Caller(3, "ad", true, Map.of(), false, "password");

    @Test
    void another_teams_object_is_missing_not_forbidden() {
        assertThatThrownBy(() -> member.requireRead("speech", "no run 7"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no run 7");
        assertThatThrownBy(() -> member.require("speech", Role.VIEWER, "no run 7"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void roles_include_the_lower_ones_and_admins_pass_everywhere() {
        assertThatCode(() -> viewer.requireRead("vision", "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> viewer.require("vision", Role.MEMBER, "x"))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("member");
        assertThatCode(() -> member.require("vision", Role.MEMBER, "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> member.require("vision", Role.OWNER, "x")).isInstanceOf(ForbiddenException.class);
        assertThatCode(() -> admin.require("speech", Role.OWNER, "x")).doesNotThrowAnyException();
        assertThatThrownBy(member::requireAdmin).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void a_read_token_changes_nothing_even_where_its_user_may() {
        assertThatCode(() -> reader.requireRead("vision", "x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> reader.require("vision", Role.VIEWER, "x"))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("read");
    }
}
