package io.sweeplab.app.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on switched on, with this test as the token issuer: access tokens signed by its own RSA key (the
 * platform is given the public key instead of a provider's address, so no provider needs to run). A token for a
 * Sweeplab user acts as that user with their teams; a token for an unknown name, an expired one and a forged one
 * are refused. (The browser's code flow needs a real provider and is not tested here.)
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
@TestProfile(OidcBearerTest.Sso.class)
class OidcBearerTest {

    static final KeyPair KEYS = keys();

    public static class Sso implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sweeplab.oidc.enabled", "true",
                    "sweeplab.oidc.audience", "sweeplab",
                    // forwarding on, with a proxy that is not this test: its X-Forwarded-For must be ignored
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", "192.0.2.10",
                    "quarkus.oidc.application-type", "service",
                    "quarkus.oidc.public-key",
                            Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()));
        }
    }

    @Test
    void a_providers_token_acts_as_the_sweeplab_user_of_that_name() {
        given().contentType(ContentType.JSON)
                .body("{\"username\": \"sso-ann\", \"password\": \"a-password-nobody-uses\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
        given().auth()
                .none()
                .header(
                        "Authorization",
                        "Bearer "
                                + token(
                                        "sub-ann",
                                        "Sso-Ann",
                                        "sweeplab",
                                        Instant.now().plusSeconds(300),
                                        KEYS))
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", equalTo("sso-ann"))
                .body("admin", equalTo(false));
        // an SSO user is a user like any other: no administrator rights unless given
        given().auth()
                .none()
                .header(
                        "Authorization",
                        "Bearer "
                                + token(
                                        "sub-ann",
                                        "sso-ann",
                                        "sweeplab",
                                        Instant.now().plusSeconds(300),
                                        KEYS))
                .get("/api/users")
                .then()
                .statusCode(403);
    }

    @Test
    void unknown_expired_and_forged_tokens_are_refused() {
        given().auth()
                .none()
                .header(
                        "Authorization",
                        "Bearer " + token("nobody-here", Instant.now().plusSeconds(300), KEYS))
                .get("/api/me")
                .then()
                .statusCode(401);
        given().auth()
                .none()
                .header(
                        "Authorization",
                        "Bearer " + token("admin", Instant.now().minusSeconds(600), KEYS))
                .get("/api/me")
                .then()
                .statusCode(401);
        given().auth()
                .none()
                .header(
                        "Authorization",
                        "Bearer " + token("admin", Instant.now().plusSeconds(300), keys()))
                .get("/api/me")
                .then()
                .statusCode(401);
        // local accounts and Sweeplab tokens keep working beside single sign-on
        given().get("/api/me").then().statusCode(200).body("username", equalTo("admin"));
    }

    @Test
    void forwarding_headers_from_an_untrusted_client_are_ignored() {
        given().auth()
                .preemptive()
                .basic("forwarded-probe", "wrong-password")
                .header("X-Forwarded-For", "203.0.113.50")
                .get("/api/me")
                .then()
                .statusCode(401);
        List<Map<String, Object>> audit =
                given().get("/api/audit?limit=20").then().extract().path("");
        Map<String, Object> failed = audit.stream()
                .filter(e -> "forwarded-probe".equals(e.get("actor")))
                .findFirst()
                .orElseThrow();
        assertThat(failed.get("address")).isNotEqualTo("203.0.113.50");
    }

    static int me(String bearer) {
        return given().auth()
                .none()
                .header("Authorization", "Bearer " + bearer)
                .get("/api/me")
                .statusCode();
    }

    @Test
    void a_token_issued_for_another_audience_is_refused() {
        given().contentType(ContentType.JSON)
                .body("{\"username\": \"sso-aud\", \"password\": \"a-password-nobody-uses\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
        Instant later = Instant.now().plusSeconds(300);
        assertThat(me(token("sub-aud", "sso-aud", "another-app", later, KEYS))).isEqualTo(401);
        assertThat(me(token("sub-aud", "sso-aud", "sweeplab", later, KEYS))).isEqualTo(200);
    }

    @Test
    void a_provider_user_renamed_to_another_users_name_does_not_become_that_user() {
        for (String u : new String[] {"sso-bea", "sso-cal"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"username\": \"" + u + "\", \"password\": \"a-password-nobody-uses\"}")
                    .post("/api/users")
                    .then()
                    .statusCode(201);
        }
        Instant later = Instant.now().plusSeconds(300);
        // both sign in once: each provider identity is bound to its user
        assertThat(me(token("sub-bea", "sso-bea", "sweeplab", later, KEYS))).isEqualTo(200);
        assertThat(me(token("sub-cal", "sso-cal", "sweeplab", later, KEYS))).isEqualTo(200);
        // cal renames themselves to bea at the provider: still cal
        given().auth()
                .none()
                .header("Authorization", "Bearer " + token("sub-cal", "sso-bea", "sweeplab", later, KEYS))
                .get("/api/me")
                .then()
                .statusCode(200)
                .body("username", equalTo("sso-cal"));
        // a new provider identity claiming bea's name cannot take the bound account
        assertThat(me(token("sub-mallory", "sso-bea", "sweeplab", later, KEYS))).isEqualTo(401);
    }

    static String token(String user, Instant expires, KeyPair keys) {
        return token(user, user, "sweeplab", expires, keys);
    }

    static String token(String subject, String user, String audience, Instant expires, KeyPair keys) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"https://sso.example\",\"sub\":\"" + subject + "\",\"aud\":\"" + audience
                + "\",\"preferred_username\":\"" + user + "\",\"iat\":" + (now - 5) + ",\"exp\":"
                + expires.getEpochSecond() + "}";
        String payload = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
