package org.dpacs.server.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code serve} (default) runs the archive until stopped; {@code reindex} rebuilds the index from the catalog. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        String command = args.length == 0 ? "serve" : args[0];
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (IllegalArgumentException e) {
            LOG.error("Bad configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        switch (command) {
            case "serve" -> serve(config);
            case "reindex" -> {
                long n = DpacsServer.reindex(config);
                LOG.info("Reindexed {} instances from {}", n, config.dataDir().toAbsolutePath());
            }
            default -> {
                LOG.error("Unknown command '{}'; use serve or reindex", command);
                System.exit(2);
            }
        }
    }

    private static void serve(Config config) throws Exception {
        DpacsServer server;
        try {
            server = DpacsServer.start(config);
        } catch (java.io.IOException e) {
            LOG.error("dPACS did not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("dpacs-shutdown").unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
