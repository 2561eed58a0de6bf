package dev.jetpack.cli;

import java.util.List;

/** Plain text columns: each column as wide as its widest cell, two spaces between columns, no trailing blanks. */
final class Table {
    private Table() {
    }

    static void print(List<List<String>> rows, Terminal terminal) {
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            terminal.result(line.toString());
        }
    }
}
