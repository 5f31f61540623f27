package org.opensts.cli;

import java.util.Locale;

/**
 * How far the audit writer pushes each batch before the calls whose events it holds are answered ({@code
 * --audit-fsync}). Either way an answered call's event has been written to the file, so killing the process loses
 * none; the modes differ on a power loss or kernel crash.
 */
enum AuditFsync {
    /** Each batch is forced to the disk (fdatasync) before its calls are answered: a power loss loses none of them. */
    BATCH,
    /** The operating system writes the file back when it chooses: a power loss can lose what it had not written. */
    NONE;

    /** {@code batch} or {@code none}, as the option is spelled. */
    static AuditFsync parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "batch" -> BATCH;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("expected batch or none, not '" + value + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
