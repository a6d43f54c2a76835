package org.dpacs.server.app;

import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Answers requests that offer an upgrade to HTTP/2 over plain HTTP ({@code Upgrade: h2c}, which curl --http2 and
 * Java's default HttpClient send) as the plain HTTP/1.1 requests they also are. Without it Grizzly, which does
 * not speak h2c here, treats them as upgrades and leaves Content-Type out of the response (Grizzly issue 2192),
 * so DICOMweb clients cannot tell JSON from multipart. RFC 9113 3.2 lets a server ignore the offer.
 */
final class IgnoreH2cUpgrade implements AddOn {

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int web = builder.indexOfType(HttpServerFilter.class);
        if (web >= 0) {
            builder.add(web, new Filter()); // after the HTTP codec has parsed the request, before the web server
        }
    }

    private static final class Filter extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpContent content
                    && content.getHttpHeader() instanceof HttpRequestPacket request
                    && "h2c".equalsIgnoreCase(String.valueOf(request.getUpgrade()).strip())) {
                request.setUpgrade(null);
                request.setIgnoreContentModifiers(false); // set for upgrades; it drops Content-Type
                request.getHeaders().removeHeader("Upgrade");
                request.getHeaders().removeHeader("HTTP2-Settings");
            }
            return ctx.getInvokeAction();
        }
    }
}
