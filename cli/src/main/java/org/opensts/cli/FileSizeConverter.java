package org.opensts.cli;

import ch.qos.logback.core.util.FileSize;
import picocli.CommandLine;

/** Reads a size as logback does: a whole number of bytes, optionally followed by KB, MB or GB, e.g. {@code 100MB}. */
final class FileSizeConverter implements CommandLine.ITypeConverter<FileSize> {
    @Override
    public FileSize convert(String value) {
        try {
            return FileSize.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected a size such as 100MB, 512KB or 1GB, got '"
                    + value + "'");
        }
    }
}
