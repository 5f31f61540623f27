package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A statement that decided a request, as the IAM policy simulator reports it in {@code MatchedStatements}:
 * the policy it is in ({@code SourcePolicyId}, {@code SourcePolicyType}), its {@code Sid} and effect, and
 * where it starts and ends in the policy text ({@code StartPosition}, {@code EndPosition}); and the statement itself,
 * for what an encoded authorization message reports of it (its principals, actions, resources and conditions).
 */
public record MatchedStatement(PolicySource source, Optional<String> sid, Effect effect, Position startPosition,
        Position endPosition, PolicyStatement statement) {
    public MatchedStatement {
        requireNonNull(source, "source");
        requireNonNull(sid, "sid");
        requireNonNull(effect, "effect");
        requireNonNull(startPosition, "startPosition");
        requireNonNull(endPosition, "endPosition");
        requireNonNull(statement, "statement");
    }

    static MatchedStatement of(LabeledPolicy policy, PolicyStatement statement) {
        return new MatchedStatement(policy.source(), statement.sid(), statement.effect(), statement.startPosition(),
                statement.endPosition(), statement);
    }
}
