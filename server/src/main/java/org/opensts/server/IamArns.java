package org.opensts.server;

import java.util.Optional;

/**
 * The ARNs IAM actions are authorized against, built from the caller's account and the request: the entity the
 * action touches, or — for a list, or a name not yet known — the same ARN with {@code *} for the name.
 */
final class IamArns {
    private IamArns() {
    }

    static String user(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":user" + path.orElse("/") + name;
    }

    static String group(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":group" + path.orElse("/") + name;
    }

    static String role(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":role" + path.orElse("/") + name;
    }

    static String policy(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":policy" + path.orElse("/") + name;
    }

    static String mfa(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":mfa" + path.orElse("/") + name;
    }

    static String instanceProfile(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":instance-profile" + path.orElse("/") + name;
    }
}
