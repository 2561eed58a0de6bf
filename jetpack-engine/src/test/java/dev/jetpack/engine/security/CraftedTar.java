package dev.jetpack.engine.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes tar archives byte by byte, so that tests can put into a header what no well-behaved tar library
 * would: negative or huge sizes, pax records with any value, names of any form. Each header gets a correct
 * checksum (a reader must refuse the content, not the checksum).
 */
final class CraftedTar {
    private static final int BLOCK = 512;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    CraftedTar file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', octal(data.length, 12), "", 0, 0);
        data(data);
        return this;
    }

    CraftedTar directory(String name) {
        header(name, '5', octal(0, 12), "", 0, 0);
        return this;
    }

    CraftedTar symlink(String name, String target) {
        header(name, '2', octal(0, 12), target, 0, 0);
        return this;
    }

    CraftedTar hardLink(String name, String target) {
        header(name, '1', octal(0, 12), target, 0, 0);
        return this;
    }

    CraftedTar device(String name, char type, int major, int minor) {
        header(name, type, octal(0, 12), "", major, minor);
        return this;
    }

    /** A file header whose size field is {@code sizeField} (12 bytes, e.g. base-256), followed by {@code data}. */
    CraftedTar fileWithSizeField(String name, byte[] sizeField, byte[] data) {
        header(name, '0', sizeField, "", 0, 0);
        out.writeBytes(data);
        return this;
    }

    /** A pax extended header ('x') with one record applying to the next entry. */
    CraftedTar pax(String key, String value) {
        String record = " " + key + "=" + value + "\n";
        int body = record.length();
        int length = body + 1;
        while (Integer.toString(length).length() + body != length) {
            length = Integer.toString(length).length() + body;
        }
        byte[] data = (length + record).getBytes(StandardCharsets.UTF_8);
        header("PaxHeaders/x", 'x', octal(data.length, 12), "", 0, 0);
        data(data);
        return this;
    }

    /** The archive with its end-of-archive marker (two zero blocks). */
    byte[] end() {
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** The archive so far, without an end marker (a truncated stream). */
    byte[] cut() {
        return out.toByteArray();
    }

    /** A standard manifest followed by the rootfs directory. */
    CraftedTar start(String manifestJson) {
        return file("manifest", manifestJson).directory("rootfs/");
    }

    static byte[] base256(long value) {
        byte[] field = new byte[12];
        long v = value;
        for (int i = 11; i >= 1; i--) {
            field[i] = (byte) (v & 0xff);
            v >>= 8;
        }
        field[0] = (byte) (value < 0 ? 0xff : 0x80);
        return field;
    }

    static byte[] octal(long value, int width) {
        String digits = Long.toOctalString(value);
        StringBuilder text = new StringBuilder();
        for (int i = digits.length(); i < width - 1; i++) {
            text.append('0');
        }
        text.append(digits);
        byte[] field = new byte[width];
        byte[] ascii = text.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, field, 0, Math.min(ascii.length, width - 1));
        return field;
    }

    private void header(String name, char type, byte[] sizeField, String linkName, int major, int minor) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        put(h, 100, 8, octal(type == '5' ? 0755 : 0644, 8));
        put(h, 108, 8, octal(0, 8));
        put(h, 116, 8, octal(0, 8));
        put(h, 124, 12, sizeField);
        put(h, 136, 12, octal(1_700_000_000L, 12));
        h[156] = (byte) type;
        put(h, 157, 100, linkName.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 329, 8, octal(major, 8));
        put(h, 337, 8, octal(minor, 8));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 7));
        h[155] = ' ';
        out.writeBytes(h);
    }

    private void data(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("field too long");
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
