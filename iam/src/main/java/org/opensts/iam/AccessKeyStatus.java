package org.opensts.iam;

import java.util.Optional;

/** Whether a long-term access key may sign requests. */
public enum AccessKeyStatus {
    ACTIVE("Active"),
    INACTIVE("Inactive");

    private final String wireName;

    AccessKeyStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<AccessKeyStatus> fromWireName(String wireName) {
        for (AccessKeyStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
