package org.countersign.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Scenario 3: N idle logged-in channels on one node, N stepped up to about 19,000 (the node's limit of 20,000 open
 * files; the channels come from several {@link ChannelHolder} processes for the same reason). Memory per channel is
 * the growth over the no-channel baseline divided by N: heap after a full GC ({@code jcmd GC.run},
 * {@code GC.heap_info}) and resident set ({@code VmRSS}). At the largest N the node's class histogram is saved to
 * show what holds the memory ({@code --idle-heap-dump} also saves a heap dump there).
 */
final class IdleChannels {
    static final long TARGET_HEAP_BYTES_PER_CHANNEL = 6 * 1024;
    private static final int DEVICES_PER_USER = 1000;

    private IdleChannels() {
    }

    static List<Result> run(Environment env) throws IOException, SQLException, InterruptedException {
        env.closeFleet();
        List<Integer> steps = env.options.idleSteps();
        int max = steps.get(steps.size() - 1);
        int users = (max + DEVICES_PER_USER - 1) / DEVICES_PER_USER;
        List<SimDevice> devices = env.seeder.usersWithDevices("idle", users, Math.min(max, DEVICES_PER_USER))
                .subList(0, max);
        ServiceNode node = env.nodeA;
        // the benchmark's main thread (no event loop): let the node settle before the baseline reading
        Thread.sleep(1000);
        long heap0 = node.heapAfterGc();
        Map<String, Long> classes0 = classBytes(node.jcmd("GC.class_histogram"));
        long rss0 = node.residentBytes();
        List<Holder> holders = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try {
            int count = env.options.holderProcesses();
            for (int i = 0; i < count; i++) {
                holders.add(Holder.start(env.work, i, devices.subList(i * max / count, (i + 1) * max / count),
                        node.port()));
            }
            for (int n : steps) {
                int held = 0;
                for (int i = 0; i < count; i++) {
                    held += holders.get(i).openUpTo((i + 1) * n / count - i * n / count);
                }
                // main thread: the channels just opened finish their logins before the node is measured
                Thread.sleep(500);
                long heap = node.heapAfterGc();
                long rss = node.residentBytes();
                long heapPerChannel = (heap - heap0) / held;
                Result.Builder result = Result.of("idle-channels").put("channels", held)
                        .put("heapBytesPerChannel", heapPerChannel)
                        .put("rssBytesPerChannel", (rss - rss0) / held)
                        .put("heapMiB", heap / (1024 * 1024)).put("rssMiB", rss / (1024 * 1024))
                        .put("baselineHeapMiB", heap0 / (1024 * 1024))
                        .put("withinTarget6KiB", heapPerChannel <= TARGET_HEAP_BYTES_PER_CHANNEL);
                if (n == max) {
                    result.put("topClassesBytesPerChannel", topClasses(env, node, classes0, held));
                    if (env.options.idleHeapDump()) {
                        // live objects only (a full GC first); for finding what holds each channel's memory
                        Path dump = env.options.outDir().resolve("idle-heap.hprof");
                        Files.deleteIfExists(dump);
                        node.jcmd("GC.heap_dump", dump.toString());
                    }
                }
                results.add(result.build());
            }
        } finally {
            for (Holder holder : holders) {
                holder.close();
            }
        }
        return results;
    }

    /**
     * Saves {@code jcmd GC.class_histogram} (a full GC first) and returns the six classes that grew most over the
     * baseline, in bytes per channel: what holds the memory.
     */
    private static String topClasses(Environment env, ServiceNode node, Map<String, Long> baseline, int channels)
            throws IOException, InterruptedException {
        String histogram = node.jcmd("GC.class_histogram");
        Files.createDirectories(env.options.outDir());
        Files.writeString(env.options.outDir().resolve("idle-class-histogram.txt"), histogram);
        Map<String, Long> growth = new HashMap<>();
        classBytes(histogram).forEach((name, bytes) -> growth.put(name, bytes - baseline.getOrDefault(name, 0L)));
        return growth.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .map(e -> e.getKey() + "=" + e.getValue() / channels)
                .collect(Collectors.joining("; "));
    }

    /** Bytes per class from a class histogram ({@code num: instances bytes class}). */
    static Map<String, Long> classBytes(String histogram) {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[0].endsWith(":")) {
                bytes.merge(columns[3], Long.parseLong(columns[2]), Long::sum);
            }
        }
        return bytes;
    }

    /** One {@link ChannelHolder} process. */
    private static final class Holder implements AutoCloseable {
        private final Process process;
        private final PrintWriter commands;
        private final BufferedReader answers;
        private int opened;

        private Holder(Process process) {
            this.process = process;
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Holder start(Path work, int index, List<SimDevice> devices, int port) throws IOException {
            List<String> lines = new ArrayList<>();
            for (SimDevice device : devices) {
                lines.add(device.deviceId() + " "
                        + Base64.getEncoder().encodeToString(device.signer().privateKeyBytes()));
            }
            Path file = work.resolve("holder-" + index + ".devices");
            Files.write(file, lines);
            Process process = new ProcessBuilder(ServiceNode.javaExecutable(), "-cp",
                    System.getProperty("java.class.path"), ChannelHolder.class.getName(), Integer.toString(port),
                    file.toString()).redirectError(work.resolve("holder-" + index + ".log").toFile()).start();
            return new Holder(process);
        }

        /** Logs in more channels until {@code total} are held; returns how many are held. */
        int openUpTo(int total) throws IOException {
            if (total > opened) {
                commands.println("open " + (total - opened));
                String answer = answers.readLine();
                if (answer == null || !answer.startsWith("opened ")) {
                    throw new IOException("channel holder failed (see holder-*.log in the work directory): " + answer);
                }
                opened = Integer.parseInt(answer.substring(7).trim());
            }
            return opened;
        }

        @Override
        public void close() throws InterruptedException {
            commands.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
