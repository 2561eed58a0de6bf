package dev.jetpack.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The raw entries of an uncompressed ACI, to check what reached the archive itself. */
final class AciEntries {
    private AciEntries() {
    }

    /** One line per entry: name, type flag, device numbers and the names of its pax/xattr headers. */
    record Entry(String name, boolean characterDevice, int major, int minor, Map<String, String> paxHeaders) {
    }

    static List<Entry> of(Path uncompressedAci) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream file = Files.newInputStream(uncompressedAci);
             TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.add(new Entry(entry.getName().replaceAll("/$", ""), entry.isCharacterDevice(),
                        entry.getDevMajor(), entry.getDevMinor(), Map.copyOf(entry.getExtraPaxHeaders())));
            }
        }
        return entries;
    }

    static List<String> names(Path uncompressedAci) throws IOException {
        return of(uncompressedAci).stream().map(Entry::name).toList();
    }
}
