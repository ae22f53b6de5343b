package org.countersign.authenticator.vault;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one vault: {@code <file>.lock} held with an OS file lock (other processes) and a per-path
 * {@link ReentrantLock} (other threads of this process, which the OS lock does not exclude). Not reentrant.
 */
final class VaultLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private VaultLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the vault at {@code vault} is locked. */
    static VaultLock acquire(Path vault) {
        Path lockPath = vault.resolveSibling(vault.getFileName() + ".lock");
        ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(lockPath, p -> new ReentrantLock());
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException("the vault lock is not reentrant");
        }
        local.lock();
        FileChannel channel = null;
        try {
            channel = open(lockPath);
            return new VaultLock(local, channel, channel.lock());
        } catch (IOException e) {
            closeQuietly(channel);
            local.unlock();
            throw new VaultException("Cannot lock the vault " + vault + " (" + lockPath + "): "
                    + VaultFile.describe(e));
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case.
        } finally {
            closeQuietly(channel);
            local.unlock();
        }
    }

    private static FileChannel open(Path lockPath) throws IOException {
        try {
            return FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    AtomicFiles.ownerOnly());
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(lockPath, StandardOpenOption.WRITE);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
