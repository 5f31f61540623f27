package org.opensts.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The INI dialect of the AWS shared {@code config} and {@code credentials} files, as the AWS CLI reads them (AWS CLI
 * User Guide, "Configuration and credential file settings"): {@code [section]} headers; {@code key = value} or
 * {@code key: value} lines, keys lower-cased; whole-line comments starting with {@code #} or {@code ;} (a {@code #}
 * after a value is part of the value); a line indented under a key continues its value; and a key with an empty value
 * followed by indented {@code key = value} lines is a sub-section, as in {@code [services x]} or {@code s3 =}.
 *
 * <p>A file that does not exist is an empty file. A section named twice, a line that is neither a header, a comment,
 * a setting nor a continuation, or a setting before any header makes the whole file unreadable, as it does for the
 * AWS CLI.
 */
final class IniFile {
    /** One section: its settings in file order, and the sub-sections its empty-valued keys introduce. */
    record Section(String name, Map<String, String> values, Map<String, Map<String, String>> subSections) {
        Section {
            values = Map.copyOf(values);
            subSections = Map.copyOf(subSections);
        }

        Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        /** The setting names only: a credentials file's values are secret access keys and session tokens. */
        @Override
        public String toString() {
            return "Section[" + name + " keys=" + values.keySet() + " subSections=" + subSections.keySet() + ']';
        }
    }

    private final Map<String, Section> sections;

    private IniFile(Map<String, Section> sections) {
        this.sections = sections;
    }

    static IniFile empty() {
        return new IniFile(Map.of());
    }

    /** Reads {@code file}; a file that does not exist reads as empty. */
    static IniFile read(Path file) throws ClientConfigException {
        String text;
        try {
            text = LocalFiles.readString(file);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return empty();
            }
            throw ClientConfigException.general("Unable to parse config file: " + file);
        }
        return parse(text, file.toString());
    }

    static IniFile parse(String text, String fileName) throws ClientConfigException {
        var raw = new LinkedHashMap<String, LinkedHashMap<String, String>>();
        LinkedHashMap<String, String> current = null;
        String lastKey = null;
        int lastKeyIndent = 0;
        for (String line : text.split("\r?\n", -1)) {
            String stripped = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (stripped.isEmpty()) {
                continue;
            }
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            // An indented line under a key continues that key's value (the parser keeps the line breaks).
            if (current != null && lastKey != null && indent > lastKeyIndent) {
                current.merge(lastKey, "\n" + stripped, String::concat);
                continue;
            }
            if (stripped.startsWith("[") && stripped.endsWith("]") && stripped.length() > 2) {
                String name = stripped.substring(1, stripped.length() - 1);
                if (raw.containsKey(name)) {
                    throw ClientConfigException.general("Unable to parse config file: " + fileName);
                }
                current = new LinkedHashMap<>();
                raw.put(name, current);
                lastKey = null;
                continue;
            }
            int delimiter = delimiterIndex(stripped);
            if (current == null || delimiter <= 0) {
                throw ClientConfigException.general("Unable to parse config file: " + fileName);
            }
            lastKey = stripped.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
            lastKeyIndent = indent;
            current.put(lastKey, stripped.substring(delimiter + 1).strip());
        }
        var sections = new LinkedHashMap<String, Section>();
        raw.forEach((name, values) -> sections.put(name, section(name, values)));
        return new IniFile(sections);
    }

    private static int delimiterIndex(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    /** A value that starts with a line break (an empty first line) is a sub-section of {@code key = value} lines. */
    private static Section section(String name, Map<String, String> raw) {
        var values = new LinkedHashMap<String, String>();
        var subSections = new LinkedHashMap<String, Map<String, String>>();
        raw.forEach((key, value) -> {
            if (value.startsWith("\n")) {
                var nested = new LinkedHashMap<String, String>();
                for (String line : value.substring(1).split("\n")) {
                    int delimiter = line.indexOf('=');
                    if (delimiter > 0) {
                        nested.put(line.substring(0, delimiter).strip().toLowerCase(Locale.ROOT),
                                line.substring(delimiter + 1).strip());
                    }
                }
                subSections.put(key, nested);
            } else {
                values.put(key, value);
            }
        });
        return new Section(name, values, subSections);
    }

    Optional<Section> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    List<Section> sections() {
        return new ArrayList<>(sections.values());
    }
}
