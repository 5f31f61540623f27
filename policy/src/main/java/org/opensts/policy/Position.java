package org.opensts.policy;

/**
 * A place in a policy document's text, as the IAM policy simulator reports a statement's
 * {@code StartPosition} and {@code EndPosition}: 1-based line and column (columns count UTF-16 characters).
 */
public record Position(int line, int column) {
    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }
}
