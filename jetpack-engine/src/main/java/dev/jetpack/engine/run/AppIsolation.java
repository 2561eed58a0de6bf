package dev.jetpack.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetpack.engine.manifest.Isolator;
import dev.jetpack.engine.runtime.ContainerSpec;
import dev.jetpack.engine.runtime.ResourceLimits;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an app's {@code isolators} ask of its container, for the ones this engine enforces (appc's
 * {@code spec/ace.md}): {@code resource/memory} and {@code resource/cpu} (their {@code limit}; a {@code request}
 * alone reserves nothing here and is accepted), {@code os/linux/capabilities-retain-set} (exactly these
 * capabilities) or {@code os/linux/capabilities-remove-set} (the default set without these), and
 * {@code os/linux/no-new-privileges}. Any other isolator is refused: running an app without an isolation it
 * asked for would be silently weaker than the image says.
 *
 * @param capabilities    the capability bounding set
 * @param limits          memory and CPU limits
 * @param noNewPrivileges whether {@code no_new_privs} is set
 */
record AppIsolation(List<String> capabilities, ResourceLimits limits, boolean noNewPrivileges) {
    static final String MEMORY = "resource/memory";
    static final String CPU = "resource/cpu";
    static final String RETAIN = "os/linux/capabilities-retain-set";
    static final String REMOVE = "os/linux/capabilities-remove-set";
    static final String NO_NEW_PRIVILEGES = "os/linux/no-new-privileges";
    private static final List<String> ENFORCED = List.of(MEMORY, CPU, RETAIN, REMOVE, NO_NEW_PRIVILEGES);

    /* A Kubernetes-style quantity, as appc uses: a decimal number, then an SI or binary suffix, or m (milli). */
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([kMGTPE]i?|m)?");

    static AppIsolation of(List<Isolator> isolators, String image) {
        List<String> capabilities = ContainerSpec.DEFAULT_CAPABILITIES;
        OptionalLong memory = OptionalLong.empty();
        OptionalLong cpu = OptionalLong.empty();
        boolean noNewPrivileges = false;
        Set<String> seen = new LinkedHashSet<>();
        for (Isolator isolator : isolators) {
            String name = isolator.name();
            if (!ENFORCED.contains(name)) {
                throw new RunException("The app of " + image + " asks for the isolator '" + name + "', which jetpack"
                        + " run cannot enforce (it enforces " + String.join(", ", ENFORCED) + "). Remove it from"
                        + " the image's manifest to run the app without it.");
            }
            if (!seen.add(name)) {
                throw new RunException("The app of " + image + " lists the isolator '" + name + "' twice: give it once.");
            }
            JsonNode value = isolator.value();
            switch (name) {
                case MEMORY -> memory = limit(value, name, image, false);
                case CPU -> cpu = limit(value, name, image, true);
                case RETAIN -> capabilities = capabilitySet(value, name, image);
                case REMOVE -> {
                    List<String> removed = capabilitySet(value, name, image);
                    capabilities = ContainerSpec.DEFAULT_CAPABILITIES.stream().filter(c -> !removed.contains(c)).toList();
                }
                default -> noNewPrivileges = flag(value, name, image);
            }
        }
        if (seen.contains(RETAIN) && seen.contains(REMOVE)) {
            throw new RunException("The app of " + image + " has both " + RETAIN + " and " + REMOVE + ": appc allows"
                    + " one of them. Keep the one that says what you mean.");
        }
        return new AppIsolation(capabilities, new ResourceLimits(memory, cpu), noNewPrivileges);
    }

    private static OptionalLong limit(JsonNode value, String name, String image, boolean cpu) {
        JsonNode limit = value == null ? null : value.get("limit");
        if (limit == null || limit.isNull()) {
            return OptionalLong.empty(); // a request only: nothing to enforce
        }
        Matcher matcher = QUANTITY.matcher(limit.asText());
        if (!limit.isTextual() && !limit.isNumber() || !matcher.matches()) {
            throw new RunException("The " + name + " limit of the app of " + image + " is not a quantity: " + limit
                    + ". Write it as a number with an optional suffix, e.g. " + (cpu ? "\"500m\" or \"2\"" : "\"512M\" or \"1Gi\"") + ".");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1)).multiply(multiplier(matcher.group(2)));
        BigDecimal scaled = cpu ? amount.multiply(BigDecimal.valueOf(1000)) : amount; // CPU in millicores
        long result = scaled.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        if (result <= 0) {
            throw new RunException("The " + name + " limit of the app of " + image + " is " + limit.asText()
                    + ": a limit must be more than zero.");
        }
        return OptionalLong.of(result);
    }

    private static BigDecimal multiplier(String suffix) {
        if (suffix == null) {
            return BigDecimal.ONE;
        }
        if (suffix.equals("m")) {
            return new BigDecimal("0.001");
        }
        int power = "kMGTPE".indexOf(suffix.charAt(0)) + 1;
        return suffix.endsWith("i") ? BigDecimal.valueOf(1024).pow(power) : BigDecimal.valueOf(1000).pow(power);
    }

    private static List<String> capabilitySet(JsonNode value, String name, String image) {
        JsonNode set = value == null ? null : value.get("set");
        if (set == null || !set.isArray()) {
            throw new RunException("The " + name + " isolator of the app of " + image + " has no \"set\" list of"
                    + " capabilities, e.g. {\"set\": [\"CAP_NET_BIND_SERVICE\"]}.");
        }
        List<String> capabilities = new ArrayList<>();
        for (JsonNode entry : set) {
            String capability = entry.asText().toUpperCase(Locale.ROOT);
            if (!entry.isTextual() || !capability.matches("CAP_[A-Z_]+")) {
                throw new RunException("The " + name + " isolator of the app of " + image + " lists " + entry
                        + ", which is not a capability name such as CAP_NET_BIND_SERVICE.");
            }
            capabilities.add(capability);
        }
        return List.copyOf(capabilities);
    }

    private static boolean flag(JsonNode value, String name, String image) {
        if (value == null || !value.isBoolean()) {
            throw new RunException("The " + name + " isolator of the app of " + image + " must have the value true"
                    + " or false, not " + value + ".");
        }
        return value.asBoolean();
    }
}
