package org.dpacs.server.dicomweb;

import org.dpacs.server.app.Services;
import org.glassfish.jersey.server.ResourceConfig;

/** Everything the DICOMweb API needs registered in the JAX-RS application, in one place. */
public final class DicomWebResources {
    private DicomWebResources() {
    }

    public static void register(ResourceConfig app, Services services) {
        app.register(new StowResource(services));
        app.register(new QidoResource(services));
        app.register(new WadoResource(services));
        app.register(new MediaTypeHeaderFilter());
    }
}
