package org.countersign.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.DeviceSigner;

/**
 * A separate generator process that holds idle logged-in channels for scenario 3. Each process may have at most
 * 20,000 open files and holds one socket per channel, so the benchmark spreads the channels over several of these.
 *
 * <p>{@code ChannelHolder <port> <devices file>}; the file has one {@code <deviceId> <base64 private key>} line per
 * device. Reads commands on stdin: {@code open K} logs in the next K devices and prints {@code opened <total>};
 * end of input closes everything and exits.
 */
public final class ChannelHolder {
    private ChannelHolder() {
    }

    public static void main(String[] args) {
        try {
            hold(args);
        } catch (Throwable e) {
            // Vert.x's threads would keep the process alive, and the benchmark waiting for its answer
            System.err.println("channel holder failed: " + e);
            System.exit(1);
        }
    }

    private static void hold(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        List<SimDevice> devices = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] parts = line.split(" ");
            devices.add(new SimDevice(UUID.fromString(parts[0]), null, null,
                    DeviceSigner.fromPrivateKey(Base64.getDecoder().decode(parts[1]))));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        DeviceFleet fleet = new DeviceFleet(vertx, new Screen());
        int opened = 0;
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            if (command.startsWith("open ")) {
                int count = Math.min(Integer.parseInt(command.substring(5).trim()), devices.size() - opened);
                Waits.await(fleet.connect(devices.subList(opened, opened + count), port, 64), 300);
                opened += count;
                System.out.println("opened " + opened);
                System.out.flush();
            }
        }
        Waits.await(fleet.closeAll(), 60);
        Waits.await(vertx.close(), 30);
        System.exit(0);
    }
}
