package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A statement that decided a request, as the IAM policy simulator reports it in {@code MatchedStatements}:
 * the policy it is in ({@code SourcePolicyId}, {@code SourcePolicyType}), its {@code Sid} and effect, and
 * where it starts and ends in the policy text ({@code StartPosition}, {@code EndPosition}).
 */
public record MatchedStatement(PolicySource source, Optional<String> sid, Effect effect, Position startPosition,
        Position endPosition) {
    public MatchedStatement {
        requireNonNull(source, "source");
        requireNonNull(sid, "sid");
        requireNonNull(effect, "effect");
        requireNonNull(startPosition, "startPosition");
        requireNonNull(endPosition, "endPosition");
    }

    static MatchedStatement of(LabeledPolicy policy, PolicyStatement statement) {
        return new MatchedStatement(policy.source(), statement.sid(), statement.effect(), statement.startPosition(),
                statement.endPosition());
    }
}
