package io.sweeplab.app.security;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** The address a request came from (behind a proxy, enable quarkus.http.proxy.proxy-address-forwarding). */
final class ClientAddress {

    private ClientAddress() {}

    static String of(RoutingContext rc) {
        SocketAddress a = rc == null ? null : rc.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }
}
