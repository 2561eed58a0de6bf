package dev.jetpack.engine.store;

import java.util.Comparator;

/**
 * Orders {@code version} label values the way people read them, SemVer first: {@code 1.10.0 > 1.9.2},
 * {@code 1.0.0 > 1.0.0-rc.1}, {@code 2 > 1.9}. Versions that are not SemVer still compare sensibly: they are
 * split at dots, dashes and pluses into numeric parts (compared as numbers) and text parts (compared as text,
 * numbers before text). Build metadata after {@code +} only breaks ties. A missing version ({@code null})
 * sorts below every version.
 */
final class VersionComparator implements Comparator<String> {
    static final VersionComparator INSTANCE = new VersionComparator();

    @Override
    public int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String[] aMain = splitBuild(a);
        String[] bMain = splitBuild(b);
        String[] aParts = splitPre(aMain[0]);
        String[] bParts = splitPre(bMain[0]);
        int byCore = compareDotted(aParts[0], bParts[0]);
        if (byCore != 0) {
            return byCore;
        }
        // SemVer: a pre-release is lower than the release it precedes.
        if (aParts[1] == null || bParts[1] == null) {
            int byPre = aParts[1] == null ? (bParts[1] == null ? 0 : 1) : -1;
            if (byPre != 0) {
                return byPre;
            }
        } else {
            int byPre = compareDotted(aParts[1], bParts[1]);
            if (byPre != 0) {
                return byPre;
            }
        }
        return compareDotted(aMain[1] == null ? "" : aMain[1], bMain[1] == null ? "" : bMain[1]);
    }

    private static String[] splitBuild(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? new String[] {version, null}
                : new String[] {version.substring(0, plus), version.substring(plus + 1)};
    }

    private static String[] splitPre(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? new String[] {version, null}
                : new String[] {version.substring(0, dash), version.substring(dash + 1)};
    }

    private static int compareDotted(String a, String b) {
        String[] aParts = a.isEmpty() ? new String[0] : a.split("[.\\-]");
        String[] bParts = b.isEmpty() ? new String[0] : b.split("[.\\-]");
        for (int i = 0; i < Math.max(aParts.length, bParts.length); i++) {
            // "1.2" equals "1.2.0": a missing part counts as 0.
            String aPart = i < aParts.length ? aParts[i] : "0";
            String bPart = i < bParts.length ? bParts[i] : "0";
            int byPart = comparePart(aPart, bPart);
            if (byPart != 0) {
                return byPart;
            }
        }
        return 0;
    }

    private static int comparePart(String a, String b) {
        boolean aNumeric = isNumeric(a);
        boolean bNumeric = isNumeric(b);
        if (aNumeric && bNumeric) {
            String aTrim = a.replaceFirst("^0+(?=.)", "");
            String bTrim = b.replaceFirst("^0+(?=.)", "");
            return aTrim.length() != bTrim.length() ? Integer.compare(aTrim.length(), bTrim.length())
                    : aTrim.compareTo(bTrim);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumeric(String part) {
        return !part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
