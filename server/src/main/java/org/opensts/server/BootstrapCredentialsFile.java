package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.opensts.iam.bootstrap.Bootstrap;

/**
 * {@code DATA/bootstrap-credentials}: the secrets of the access keys a bootstrap file generated, one shared-credentials
 * profile {@code [USER@ACCOUNT]} each, readable by the owner only.
 *
 * <p>Design: the bootstrap hands each generated key here before it creates the key in the store, and this class
 * returns only once the whole file, old profiles and the new one, has been written to a temporary file, forced to
 * the disk and renamed over the old file (and the directory forced too). So whatever fails or is killed, the secret
 * of every key that exists is in the file:
 * <ul>
 *   <li>killed before the rename: the old file is intact, the key does not exist; the next start generates one;
 *   <li>killed, or the key refused by IAM, after the rename: the file names a key that does not exist. That profile
 *       authenticates nothing, and the next start that generates the user's key replaces it, since a profile of the
 *       same name whose key the store does not hold is dropped when a new one is written;
 *   <li>killed after the key is stored: key and file agree.
 * </ul>
 */
final class BootstrapCredentialsFile implements Bootstrap.GeneratedKeyJournal {
    private static final String KEY_ID_LINE = "aws_access_key_id = ";

    private final Path file;
    private final Predicate<String> accessKeyExists;

    /** {@code accessKeyExists} tells whether the store holds an access key id. */
    BootstrapCredentialsFile(Path file, Predicate<String> accessKeyExists) {
        this.file = file;
        this.accessKeyExists = accessKeyExists;
    }

    /**
     * {@inheritDoc} The profile is named {@code USER@ACCOUNT}, or {@code USER@ACCOUNT-2}, {@code -3}, … when a key of
     * the user's already holds that name: a file with two profiles of one name is refused by the AWS CLI's parser.
     */
    @Override
    public void record(Bootstrap.GeneratedAccessKey key) throws IOException {
        var kept = new ArrayList<String>();
        if (Files.exists(file)) {
            for (String profile : profiles(Files.readString(file, UTF_8))) {
                if (!isUnusedEntryOf(profile, key.profileName())) {
                    kept.add(profile);
                }
            }
        }
        String name = key.profileName();
        for (int n = 2; holdsProfile(kept, name); n++) {
            name = key.profileName() + "-" + n;
        }
        var content = new StringBuilder();
        kept.forEach(content::append);
        content.append(OpenStsNode.profile(name, key.accessKeyId(), key.secretAccessKey()));
        OpenStsNode.writeOwnerOnly(file, content.toString());
    }

    private static boolean holdsProfile(List<String> profiles, String name) {
        return profiles.stream().anyMatch(profile -> profile.startsWith("[" + name + "]\n"));
    }

    /** A profile written ahead for a key of this name that was never created (see the class comment). */
    private boolean isUnusedEntryOf(String profile, String profileName) {
        if (!profile.startsWith("[" + profileName + "]\n")) {
            return false;
        }
        return profile.lines().filter(line -> line.startsWith(KEY_ID_LINE)).findFirst()
                .map(line -> line.substring(KEY_ID_LINE.length()).strip())
                .map(accessKeyId -> !accessKeyExists.test(accessKeyId))
                .orElse(false);
    }

    /** The file's lines cut before each line that opens a section; every piece ends with a line break. */
    private static List<String> profiles(String text) {
        var profiles = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : text.lines().toList()) {
            if (line.startsWith("[") && current.length() > 0) {
                profiles.add(current.toString());
                current.setLength(0);
            }
            current.append(line).append('\n');
        }
        if (current.length() > 0) {
            profiles.add(current.toString());
        }
        return profiles;
    }
}
