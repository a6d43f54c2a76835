package org.dpacs.server.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.dpacs.server.catalog.H2Catalog;
import org.dpacs.server.access.BasicAuthentication;
import org.dpacs.server.access.UserStore;
import org.dpacs.server.admin.AdminResource;
import org.dpacs.server.deid.DeidSettings;
import org.dpacs.server.deid.Deidentification;
import org.dpacs.server.dicomweb.DicomWebResources;
import org.dpacs.server.dimse.DimseServer;
import org.dpacs.server.error.HttpErrorMapper;
import org.dpacs.server.index.IndexCatchUp;
import org.dpacs.server.index.IndexedInstance;
import org.dpacs.server.index.StudyIndex;
import org.dpacs.server.ingest.CommitListener;
import org.dpacs.server.ingest.IngestPipeline;
import org.dpacs.server.storage.FileObjectStore;
import org.dpacs.server.storage.ObjectStore;
import org.dpacs.server.storage.S3ObjectStore;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive as one process: object store, catalog and index under the data directory, the ingest pipeline,
 * and the DICOMweb resources on an embedded Grizzly server. {@link #close()} stops it in reverse order, so an
 * orderly stop leaves the index committed and nothing to catch up.
 */
public final class DpacsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DpacsServer.class);

    private final Config config;
    private final List<AutoCloseable> opened;
    private final HttpServer http;
    private final URI baseUri;
    private final DimseServer dimse;

    private DpacsServer(Config config, List<AutoCloseable> opened, HttpServer http, URI baseUri, DimseServer dimse) {
        this.config = config;
        this.opened = opened;
        this.http = http;
        this.baseUri = baseUri;
        this.dimse = dimse;
    }

    /** Opens the data directory, catches the index up with the catalog, and starts listening. */
    public static DpacsServer start(Config config) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(config.dataDir());
            ObjectStore store = openStore(config);
            opened.add(store);
            H2Catalog catalog = new H2Catalog(config.dataDir().resolve("catalog"));
            opened.add(catalog);
            StudyIndex index = StudyIndex.open(config.dataDir().resolve("index"));
            opened.add(index);
            IndexCatchUp.run(catalog, store, index);
            Deidentification deid = Deidentification.create(config.deid(), config.dataDir());
            warnIfOff(config.deid());
            UserStore users = UserStore.load(config.usersFile());
            LOG.info("{} user(s) in {}{}", users.size(), config.usersFile().toAbsolutePath(), users.isEmpty()
                    ? "; administrators' resources stay closed until 'scripts/run user add NAME admin'" : "");
            IngestPipeline ingest = new IngestPipeline(config, store, catalog, indexListener(index),
                    deid.deidentifier());
            opened.add(ingest);
            Services services = new Services(config, store, catalog, index, ingest);
            services.quarantine().sweepOrphans(); // before anything arrives: an orphan now is never a live write
            // Before HTTP: closing `opened` undoes it if HTTP cannot start; closed before the pipeline it feeds.
            DimseServer dimse = DimseServer.start(services, config.dimse());
            opened.add(dimse);

            ResourceConfig app = new ResourceConfig();
            app.property("jersey.config.server.wadl.disableWadl", true); // DICOMweb has its own capabilities
            DicomWebResources.register(app, services);
            app.register(new BasicAuthentication(users));
            app.register(new AdminResource(services.quarantine(), deid.log()));
            app.register(new HttpErrorMapper());
            app.register(new CorsFilter(config.corsOrigins()));
            HttpServer http = GrizzlyHttpServerFactory.createHttpServer(
                    URI.create("http://" + config.httpHost() + ":" + config.httpPort() + "/"), app, false);
            tune(http);
            try {
                http.start();
            } catch (java.net.BindException e) {
                throw new IOException("Cannot listen on " + config.httpHost() + ":" + config.httpPort() + " ("
                        + e.getMessage() + "); stop what uses the port or set DPACS_HTTP_PORT to another one", e);
            }
            int port = http.getListener("grizzly").getPort();
            URI base = URI.create("http://" + hostForUri(config.httpHost()) + ":" + port + "/");
            LOG.info("dPACS {} serving DICOMweb at {}dicomweb (data in {})", version(), base,
                    config.dataDir().toAbsolutePath());
            return new DpacsServer(config, opened, http, base, dimse);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Says loudly, at every start, which instances will be stored with the patient's identity. */
    private static void warnIfOff(DeidSettings deid) {
        if (!deid.enabled()) {
            LOG.warn("DE-IDENTIFICATION IS OFF (dpacs.deid.profile=off): instances are stored with the patient's "
                    + "identity. Use this only inside a trusted network; see docs/deidentification.md");
        }
        deid.sources().forEach((source, profile) -> {
            if (!profile.enabled()) {
                LOG.warn("DE-IDENTIFICATION IS OFF for {} (dpacs.deid.sources): its instances are stored with the "
                        + "patient's identity and, until access control exists, anyone who reaches DICOMweb or DIMSE "
                        + "can read them", source);
            }
        });
    }

    /** Empties the index and rebuilds it from the catalog and the stored objects; the server must not run. */
    public static long reindex(Config config) throws IOException {
        try (ObjectStore store = openStore(config);
             H2Catalog catalog = new H2Catalog(config.dataDir().resolve("catalog"));
             StudyIndex index = StudyIndex.open(config.dataDir().resolve("index"))) {
            return IndexCatchUp.rebuild(catalog, store, index);
        }
    }

    /** The filesystem under the data directory, or S3 when {@code dpacs.storage=s3}. */
    private static ObjectStore openStore(Config config) throws IOException {
        if (config.s3().isPresent()) {
            return new S3ObjectStore(config.s3().get());
        }
        return new FileObjectStore(config.dataDir().resolve("objects"));
    }

    private static CommitListener indexListener(StudyIndex index) {
        return new CommitListener() {
            @Override
            public void committed(List<Committed> batch) throws Exception {
                index.add(batch.stream().map(c -> new IndexedInstance(c.record(), c.header())).toList());
            }

            @Override
            public void flush() throws Exception {
                index.commit();
            }
        };
    }

    private static void tune(HttpServer http) {
        NetworkListener listener = http.getListener("grizzly");
        // Ingest blocks a worker until its group commit is durable; enough workers keep clients streaming.
        ThreadPoolConfig pool = ThreadPoolConfig.defaultConfig().setPoolName("dpacs-http")
                .setCorePoolSize(16).setMaxPoolSize(64);
        listener.getTransport().setWorkerThreadPoolConfig(pool);
        listener.registerAddOn(new IgnoreH2cUpgrade());
    }

    private static String hostForUri(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static String version() {
        String v = DpacsServer.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080/}; DICOMweb is under {@code dicomweb}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The DIMSE port actually bound (differs from the configured one when that is 0). */
    public java.util.OptionalInt dimseTlsPort() {
        return dimse.tlsPort();
    }

    /** The DIMSE port actually bound. */
    public int dimsePort() {
        return dimse.port();
    }

    public Config config() {
        return config;
    }

    @Override
    public void close() {
        try {
            http.shutdown().get();
        } catch (Exception e) {
            LOG.warn("HTTP shutdown did not complete cleanly", e);
            http.shutdownNow();
        }
        closeAll(opened);
        LOG.info("dPACS stopped");
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.error("Closing {} failed", opened.get(i).getClass().getSimpleName(), e);
            }
        }
        opened.clear();
    }
}
