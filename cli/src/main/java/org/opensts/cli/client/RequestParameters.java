package org.opensts.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opensts.client.Tag;

/**
 * Reads the values of the options that carry documents and lists, as the AWS CLI reads them: a policy given inline,
 * as {@code file://PATH} or (ours) as a bare path; tags as {@code KEY=VALUE} or {@code Key=KEY,Value=VALUE}; policy
 * ARNs bare or as {@code arn=ARN}. A value that cannot be read is a parameter error (return code 252).
 */
final class RequestParameters {
    private RequestParameters() {
    }

    static String policy(String option, String value) throws ParameterValidation.Failed {
        if (value.stripLeading().startsWith("{")) {
            return value;
        }
        Path file = Path.of(value.startsWith("file://") ? value.substring("file://".length()) : value);
        try {
            return LocalFiles.readString(file);
        } catch (IOException e) {
            throw new ParameterValidation.Failed("Error parsing parameter '" + option + "': Unable to load paramfile "
                    + value + ": " + (Files.exists(file) ? e.getMessage() : "No such file or directory: '" + file
                    + "'"));
        }
    }

    static List<Tag> tags(List<String> values) throws ParameterValidation.Failed {
        var tags = new ArrayList<Tag>();
        for (String value : values) {
            if (value.startsWith("Key=") && value.contains(",Value=")) {
                int comma = value.indexOf(",Value=");
                tags.add(new Tag(value.substring(4, comma), value.substring(comma + 7)));
                continue;
            }
            int equals = value.indexOf('=');
            if (equals < 0) {
                throw new ParameterValidation.Failed("Error parsing parameter '--tags': Expected: '=', received: "
                        + "end of input for: " + value);
            }
            tags.add(new Tag(value.substring(0, equals), value.substring(equals + 1)));
        }
        return tags;
    }

    static List<String> policyArns(List<String> values) {
        return values.stream().map(value -> value.startsWith("arn=") ? value.substring(4) : value).toList();
    }

    /** The model's minimum lengths of tag keys and values, per tag as the AWS CLI names them. */
    static void checkTags(ParameterValidation validation, List<Tag> tags) {
        for (int i = 0; i < tags.size(); i++) {
            validation.minLength("Tags[" + i + "].Key", tags.get(i).key(), 1);
        }
    }
}
