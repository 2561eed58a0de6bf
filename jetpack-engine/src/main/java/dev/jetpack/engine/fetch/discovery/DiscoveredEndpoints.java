package dev.jetpack.engine.fetch.discovery;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One place an image can be fetched from, as found by discovery.
 *
 * @param prefix the {@code ac-discovery} prefix that matched the name
 * @param aci where the ACI is ({@code {ext}} = {@code aci})
 * @param signature where its detached signature is ({@code {ext}} = {@code aci.asc})
 * @param publicKeys the {@code ac-discovery-pubkeys} URLs of the same page whose prefix matched the name;
 *     only ever used to add keys when the user passes a fingerprint or opts into trust on first use
 * @param labels the label values the template was rendered with (the request's labels plus the defaults
 *     version=latest and the host's os/arch). The request's own labels, not these, are what a fetched
 *     manifest must match.
 * @param discoveryPage the page the template came from
 */
public record DiscoveredEndpoints(String prefix, URI aci, URI signature, List<URI> publicKeys,
        Map<String, String> labels, URI discoveryPage) {
    public DiscoveredEndpoints {
        publicKeys = List.copyOf(publicKeys);
        labels = Map.copyOf(labels);
    }
}
