package org.dpacs.server.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.dpacs.server.access.Role;
import org.dpacs.server.access.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code serve} (default) runs the archive until stopped; {@code reindex} rebuilds the index from the catalog;
 * {@code user add NAME ROLE} adds or replaces a user (role {@code user} or {@code admin}) in the users file, with
 * the password read from the terminal or, without one, from the first line of standard input.
 */
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
            case "user" -> addUser(config, args);
            default -> {
                LOG.error("Unknown command '{}'; use serve, reindex or user add NAME ROLE", command);
                System.exit(2);
            }
        }
    }

    private static void addUser(Config config, String[] args) throws IOException {
        Optional<Role> role = args.length == 4 ? Role.byConfigName(args[3]) : Optional.empty();
        if (role.isEmpty() || !args[1].equals("add")) {
            LOG.error("Usage: user add NAME ROLE, ROLE being user or admin");
            System.exit(2);
            return;
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password for %s: ", args[2]);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        try {
            UserStore.put(config.usersFile(), args[2], role.get(), password);
        } catch (IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            System.exit(2);
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        LOG.info("User {} ({}) saved in {}; restart the server to use it", args[2], role.get().configName(),
                config.usersFile().toAbsolutePath());
    }

    private static void serve(Config config) throws Exception {
        DpacsServer server;
        try {
            server = DpacsServer.start(config);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("dPACS did not start: {}", e.getMessage());
            LOG.debug("Start failure", e);
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
