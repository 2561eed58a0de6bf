package dev.jetpack.engine.runtime;

import java.util.OptionalLong;

/**
 * Limits a container's cgroup enforces.
 *
 * @param memoryBytes    the most memory the container may use, in bytes
 * @param cpuMillicores  the most CPU time the container may use, in thousandths of a CPU (1000 = one CPU)
 */
public record ResourceLimits(OptionalLong memoryBytes, OptionalLong cpuMillicores) {
    public static final ResourceLimits NONE = new ResourceLimits(OptionalLong.empty(), OptionalLong.empty());

    public ResourceLimits {
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("memory limit " + memoryBytes.getAsLong() + " must be positive");
        }
        if (cpuMillicores.isPresent() && cpuMillicores.getAsLong() <= 0) {
            throw new IllegalArgumentException("CPU limit " + cpuMillicores.getAsLong() + "m must be positive");
        }
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && cpuMillicores.isEmpty();
    }
}
