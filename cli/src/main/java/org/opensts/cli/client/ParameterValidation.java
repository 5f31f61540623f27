package org.opensts.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks the AWS CLI makes on a call's parameters before sending it (the service model's required members, minimum
 * lengths and minimum values; the service checks the rest), collected so that one message lists every problem:
 * {@code Parameter validation failed:} and a line each.
 */
final class ParameterValidation {
    private final List<String> problems = new ArrayList<>();

    ParameterValidation minLength(String parameter, String value, int min) {
        if (value != null && value.length() < min) {
            problems.add("Invalid length for parameter " + parameter + ", value: " + value.length()
                    + ", valid min length: " + min);
        }
        return this;
    }

    ParameterValidation minValue(String parameter, Integer value, int min) {
        if (value != null && value < min) {
            problems.add("Invalid value for parameter " + parameter + ", value: " + value + ", valid min value: "
                    + min);
        }
        return this;
    }

    /** Throws when anything failed. */
    void check() throws Failed {
        if (!problems.isEmpty()) {
            throw new Failed("Parameter validation failed:\n" + String.join("\n", problems));
        }
    }

    /** The AWS CLI's return code 252: a parameter value was incorrect and prevented the command from running. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }
}
