package org.opensts.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code credential_process} command line into words the way a POSIX shell does for plain words and quotes
 * (the AWS CLI splits it so, without running a shell): blanks separate words, single quotes keep everything, double
 * quotes keep everything but a backslash before {@code "}, {@code \}, {@code $} or a backquote, and a backslash
 * elsewhere keeps the next character.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line) throws ClientConfigException {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unbalanced();
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char d = line.charAt(i);
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        d = line.charAt(++i);
                    }
                    word.append(d);
                    i++;
                }
                if (i >= line.length()) {
                    throw unbalanced();
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                }
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static ClientConfigException unbalanced() {
        return ClientConfigException.general("Error when retrieving credentials from custom-process: "
                + "the credential_process command line has an unclosed quotation");
    }
}
