package io.sweeplab.app.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sweeplab.app.TestPlatform;
import org.junit.jupiter.api.Test;

/** The sign-in form as a browser posts it, and the pages a browser is sent to. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class SignInFormTest {

    Response post(String user, String password) {
        return given().auth()
                .none()
                .redirects()
                .follow(false)
                .formParam("username", user)
                .formParam("password", password)
                .post("/j_security_check");
    }

    @Test
    void a_wrong_password_goes_back_to_the_form_with_an_error() {
        Response r = post("admin", "not-the-password");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/login?error");
        assertThat(r.getCookie("sweeplab-session")).isNull();
    }

    @Test
    void the_right_password_gives_a_session_that_the_api_accepts() {
        Response r = post("admin", TestPlatform.ADMIN_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).doesNotContain("error");
        String session = r.getCookie("sweeplab-session");
        assertThat(session).isNotBlank();
        given().auth()
                .none()
                .cookie("sweeplab-session", session)
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", org.hamcrest.Matchers.equalTo("admin"));
        given().auth()
                .none()
                .cookie("sweeplab-session", "forged")
                .get("/api/me")
                .then()
                .statusCode(401);
    }

    @Test
    void signing_out_drops_the_cookie() {
        Response r = given().auth().none().redirects().follow(false).get("/logout");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).endsWith("/login?signed-out");
        assertThat(r.detailedCookie("sweeplab-session").getMaxAge()).isZero();
    }
}
