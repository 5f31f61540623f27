package org.opensts.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An audit event's nested elements in the order given, as CloudTrail lists a response's members. {@code Map.of}'s
 * iteration order changes from one JVM start to the next, and an audit line's members should not.
 */
final class AuditElements {
    private AuditElements() {
    }

    static Map<String, Object> of(String firstKey, Object first, String secondKey, Object second) {
        var elements = new LinkedHashMap<String, Object>(4);
        elements.put(firstKey, first);
        elements.put(secondKey, second);
        return elements;
    }

    static Map<String, Object> of(String firstKey, Object first, String secondKey, Object second, String thirdKey,
            Object third) {
        var elements = new LinkedHashMap<String, Object>(4);
        elements.put(firstKey, first);
        elements.put(secondKey, second);
        elements.put(thirdKey, third);
        return elements;
    }
}
