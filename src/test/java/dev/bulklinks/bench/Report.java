package dev.bulklinks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A benchmark's figures: printed as they come, and written to a Markdown file at the end. */
final class Report {

    private final List<String> lines = new ArrayList<>();

    /** Prints one line, formatted with the root locale (1,000.5 whatever the machine's). */
    void line(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        lines.add(line);
        System.out.println(line);
    }

    void write(Path file) throws IOException {
        Files.write(file, lines);
    }
}
