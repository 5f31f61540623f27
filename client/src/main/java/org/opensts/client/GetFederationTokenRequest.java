package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/** GetFederationToken's parameters. */
public final class GetFederationTokenRequest {

    private final String name;
    private final String policy;
    private final List<String> policyArns;
    private final Integer durationSeconds;
    private final List<Tag> tags;

    private GetFederationTokenRequest(Builder builder) {
        this.name = builder.name;
        this.policy = builder.policy;
        this.policyArns = List.copyOf(builder.policyArns);
        this.durationSeconds = builder.durationSeconds;
        this.tags = List.copyOf(builder.tags);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    QueryForm toForm() {
        return new QueryForm("GetFederationToken")
                .add("Name", name)
                .add("Policy", policy)
                .addPolicyArns(policyArns)
                .add("DurationSeconds", durationSeconds)
                .addTags(tags);
    }

    @Override
    public String toString() {
        return "GetFederationTokenRequest[name=" + name
                + (durationSeconds == null ? "" : ", durationSeconds=" + durationSeconds) + ']';
    }

    /** Builds a {@link GetFederationTokenRequest}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String policy;
        private final List<String> policyArns = new ArrayList<>();
        private Integer durationSeconds;
        private final List<Tag> tags = new ArrayList<>();

        private Builder(String name) {
            this.name = requireNonNull(name, "name");
        }

        public Builder policy(String policyJson) {
            this.policy = policyJson;
            return this;
        }

        public Builder policyArns(List<String> arns) {
            policyArns.addAll(arns);
            return this;
        }

        public Builder durationSeconds(int seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder tags(List<Tag> sessionTags) {
            tags.addAll(sessionTags);
            return this;
        }

        public GetFederationTokenRequest build() {
            return new GetFederationTokenRequest(this);
        }
    }
}
