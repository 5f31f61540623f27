package org.opensts.server;

import java.util.Optional;

/**
 * The ARNs IAM actions are authorized against, built from the caller's account and the request: the entity the
 * action touches, or — for a name not yet known — the same ARN with {@code *} for the name. ListUsers, ListRoles and
 * ListGroups are authorized on their path prefix itself, {@code arn:aws:iam::ACCOUNT:user/} (or {@code user/eng/}
 * for {@code PathPrefix=/eng/}), with no name: AWS's real refusals read "is not authorized to perform: iam:ListUsers
 * on resource: arn:aws:iam::ACCOUNT:user/".
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

    static String serverCertificate(String account, Optional<String> path, String name) {
        return "arn:aws:iam::" + account + ":server-certificate" + path.orElse("/") + name;
    }

    /**
     * The ARN a user or group gets when a request gives it a new path or name, or nothing if it gives neither. The
     * first {@code /} of an IAM ARN ends its resource type ({@code user}, {@code group}), and its last begins the
     * name: names have no {@code /}.
     */
    static Optional<String> moved(String arn, Optional<String> newPath, Optional<String> newName) {
        if (newPath.isEmpty() && newName.isEmpty()) {
            return Optional.empty();
        }
        int pathStart = arn.indexOf('/');
        int nameStart = arn.lastIndexOf('/') + 1;
        return Optional.of(arn.substring(0, pathStart) + newPath.orElse(arn.substring(pathStart, nameStart))
                + newName.orElse(arn.substring(nameStart)));
    }
}
