package org.countersign.authenticator.vault;

/**
 * Argon2id cost parameters, recorded in every vault header so that a vault is always opened with the parameters it
 * was written with.
 *
 * <p>The bounds also protect the reader: the header is only authenticated after the key is derived, so a damaged or
 * hostile header must not be able to ask for gigabytes of memory or hours of work first.
 *
 * @param memoryKiB   memory in KiB (at least 8 per lane, at most 4 GiB)
 * @param iterations  passes over the memory, 1..32
 * @param parallelism lanes, 1..16
 */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /** The defaults for new vaults: 64 MiB, 3 passes, 1 lane. */
    public static final KdfParameters DEFAULTS = new KdfParameters(65_536, 3, 1);

    static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    static final int MAX_ITERATIONS = 32;
    static final int MAX_PARALLELISM = 16;

    public KdfParameters {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + " KiB, was " + memoryKiB);
        }
    }

    /**
     * Whether any cost is below {@code floor}'s: such a vault is raised to at least {@code floor} on its next save.
     */
    public boolean isBelow(KdfParameters floor) {
        return memoryKiB < floor.memoryKiB || iterations < floor.iterations || parallelism < floor.parallelism;
    }

    /** Each cost raised to at least {@code floor}'s; never lowers anything, so a stronger vault stays as it is. */
    public KdfParameters atLeast(KdfParameters floor) {
        return new KdfParameters(Math.max(memoryKiB, floor.memoryKiB), Math.max(iterations, floor.iterations),
                Math.max(parallelism, floor.parallelism));
    }

    /**
     * Cheap parameters for tests only: real vaults must use {@link #DEFAULTS} or stronger.
     */
    public static KdfParameters forTestsOnly() {
        return new KdfParameters(64, 1, 1);
    }
}
