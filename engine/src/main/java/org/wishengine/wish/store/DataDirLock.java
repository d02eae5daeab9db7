package org.wishengine.wish.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One engine per data directory: an exclusive lock on {@code engine.lock} in it, held for the life
 * of the process (the operating system lets go of it when the process ends, however it ends). A
 * second engine on the same directory is refused before it touches anything there, with the pid of
 * the engine that holds it; and a Redis found running on a directory whose lock this engine holds
 * is an orphan for certain, since no live engine can own it.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE = "engine.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Why the directory cannot be had: another engine holds it. */
    public static final class InUse extends IOException {
        InUse(String message) {
            super(message);
        }
    }

    /** Takes the directory (creating it if need be), or throws {@link InUse} naming who holds it. */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException thisProcess) {
            lock = null; // this very JVM holds it already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new InUse("data directory " + dir + " is in use by another engine (" + holder
                    + "); stop it, or pass another --data-dir");
        }
        // Written only once held: the pid tells the operator which process to look at.
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d{1,10}") ? "pid " + pid : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
