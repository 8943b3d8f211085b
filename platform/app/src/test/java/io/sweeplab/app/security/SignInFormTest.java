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

    static String token(String scope) {
        return given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\": \"form " + scope + "\", \"scope\": \"" + scope + "\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    @Test
    void a_token_is_no_password_on_the_sign_in_form() {
        for (String scope : new String[] {"read", "write"}) {
            Response r = post("admin", token(scope));
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.header("Location")).as(scope).endsWith("/login?error");
            assertThat(r.getCookie("sweeplab-session")).as(scope).isNull();
        }
        // HTTP basic with a read token still reads, and only reads
        String read = token("read");
        given().auth().preemptive().basic("admin", read).get("/api/me").then().statusCode(200);
        given().auth()
                .preemptive()
                .basic("admin", read)
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\": \"escalated\", \"scope\": \"write\"}")
                .post("/api/tokens")
                .then()
                .statusCode(403);
    }

    static void createUser(String name, String password) {
        given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"username\": \"" + name + "\", \"password\": \"" + password + "\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
    }

    /** 200 for a live session; an ended one is refused like no session (401, or the sign-in page for browsers). */
    static int me(String session) {
        Response r = given().auth()
                .none()
                .redirects()
                .follow(false)
                .cookie("sweeplab-session", session)
                .get("/api/me");
        if (r.statusCode() == 302) {
            assertThat(r.header("Location")).endsWith("/login");
            return 401;
        }
        return r.statusCode();
    }

    @Test
    void signing_out_ends_every_copy_of_the_session() {
        createUser("leaver", "leaver-password-1");
        String session = post("leaver", "leaver-password-1").getCookie("sweeplab-session");
        String copy = session;
        assertThat(me(copy)).isEqualTo(200);
        Response out = given().auth()
                .none()
                .redirects()
                .follow(false)
                .cookie("sweeplab-session", session)
                .get("/logout");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(me(copy)).as("the copied cookie after signing out").isEqualTo(401);
        // signing in again gives a session that works
        assertThat(me(post("leaver", "leaver-password-1").getCookie("sweeplab-session")))
                .isEqualTo(200);
    }

    @Test
    void a_password_change_ends_the_users_other_sessions() {
        createUser("changer", "changer-password-1");
        String elsewhere = post("changer", "changer-password-1").getCookie("sweeplab-session");
        assertThat(me(elsewhere)).isEqualTo(200);
        given().auth()
                .preemptive()
                .basic("changer", "changer-password-1")
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"currentPassword\": \"changer-password-1\", \"newPassword\": \"changer-password-2\"}")
                .put("/api/me/password")
                .then()
                .statusCode(204);
        assertThat(me(elsewhere)).isEqualTo(401);
        assertThat(me(post("changer", "changer-password-2").getCookie("sweeplab-session")))
                .isEqualTo(200);
    }

    @Test
    void an_api_challenge_offers_no_basic_prompt_to_browsers() {
        given().auth()
                .none()
                .get("/api/me")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Basic")));
        // basic credentials sent unasked still work
        given().auth()
                .preemptive()
                .basic("admin", TestPlatform.ADMIN_PASSWORD)
                .get("/api/me")
                .then()
                .statusCode(200);
    }

    /** Posts that are no sign-in form: each answers at once, as a failed sign-in, and never reaches the dashboard. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"json", "no username", "no password", "no body", "100 KB fields", "undecodable", "NUL name"})
    void posts_that_are_not_a_sign_in_form_answer_at_once_as_a_failed_sign_in(String kind) throws Exception {
        String big = "a".repeat(100_000);
        String form = "application/x-www-form-urlencoded";
        String[] request = switch (kind) {
            case "json" -> new String[] {"application/json", "{\"username\": \"admin\", \"password\": \"x\"}"};
            case "no username" -> new String[] {form, "password=x"};
            case "no password" -> new String[] {form, "username=admin"};
            case "no body" -> new String[] {null, null};
            case "100 KB fields" -> new String[] {form, "username=" + big + "&password=" + big};
            case "undecodable" -> new String[] {form, "username=%zz&password=%"};
            default -> new String[] {form, "username=ad%00min&password=x"};
        };
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(root.toString().replaceAll("/$", "") + "/j_security_check"))
                .timeout(java.time.Duration.ofSeconds(5))
                .POST(
                        request[1] == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(request[1]));
        if (request[0] != null) {
            b.header("Content-Type", request[0]);
        }
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;
}
