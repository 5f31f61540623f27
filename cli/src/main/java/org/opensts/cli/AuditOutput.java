package org.opensts.cli;

import java.io.IOException;
import java.util.List;

/**
 * Where the audit writer puts its batches: the rolling file of {@code opensts serve} ({@link RollingAuditFile}), or
 * in tests a file that records or stalls its writes. Called by one thread at a time, the one that holds the batch
 * being written ({@link AuditWriter}), and handed from one to the next under the writer's lock.
 */
interface AuditOutput extends AutoCloseable {
    /**
     * Writes one batch of lines, each ending with its line break, with one write: all of them or, on failure, none
     * (a partial write is undone before the exception is thrown, so that a retry does not duplicate a line).
     */
    void write(List<byte[]> lines) throws IOException;

    /** Forces what was written to the disk. */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
