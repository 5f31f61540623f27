package org.opensts.policy;

import java.util.ArrayList;
import java.util.Set;
import org.opensts.policy.internal.Wildcard;

/**
 * A policy value that may hold policy variables: {@code ${aws:username}}, {@code ${aws:PrincipalTag/team}},
 * {@code ${aws:userid, 'anonymous'}} (with a default), and the escapes {@code ${*}}, {@code ${?}} and
 * {@code ${$}} for a literal {@code *}, {@code ?} or {@code $}.
 *
 * <p>AWS rules followed: variables exist only in {@code 2012-10-17} policies (elsewhere the text is literal);
 * a variable takes the value of the context key it names, keys compared case-insensitively; a key that is
 * missing or has several values gives no value, and then the default is used if there is one, else the whole
 * value resolves to nothing (the resource or condition value it is part of does not match). A substituted
 * value is always literal: a {@code *} in a user name is not a wildcard. Text that is not a well-formed
 * variable ({@code ${} without {@code }}) is kept as written.
 *
 * <p>The template is parsed once. A value without variables is resolved at compile time, so evaluation of
 * such a value allocates nothing.
 */
final class ValueTemplate {
    private final String raw;
    private final Object[] parts;
    private final boolean variables;
    private final String literal;
    private final Wildcard pattern;

    /** A policy variable: the key it names and its default, or null. */
    private record Variable(String key, String lowerKey, String defaultValue) {
    }

    private ValueTemplate(String raw, Object[] parts) {
        this.raw = raw;
        this.parts = parts;
        boolean any = false;
        for (Object part : parts) {
            any |= part instanceof Variable;
        }
        this.variables = any;
        this.literal = any ? null : resolveLiteral(null);
        this.pattern = any ? null : resolvePattern(null);
    }

    /** Compiles {@code raw}; with {@code variablesEnabled} false (a {@code 2008-10-17} policy) it is literal. */
    static ValueTemplate compile(String raw, boolean variablesEnabled) {
        var parts = new ArrayList<Object>();
        if (!variablesEnabled) {
            parts.add(raw);
            return new ValueTemplate(raw, parts.toArray());
        }
        var text = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
                int close = raw.indexOf('}', i + 2);
                Object part = close < 0 ? null : parseVariable(raw.substring(i + 2, close));
                if (part != null) {
                    if (text.length() > 0) {
                        parts.add(text.toString());
                        text.setLength(0);
                    }
                    parts.add(part);
                    i = close + 1;
                    continue;
                }
            }
            text.append(c);
            i++;
        }
        if (text.length() > 0 || parts.isEmpty()) {
            parts.add(text.toString());
        }
        return new ValueTemplate(raw, parts.toArray());
    }

    /** A {@link Character} for an escape, a {@link Variable}, or null when the text is not a variable. */
    private static Object parseVariable(String body) {
        if (body.equals("*") || body.equals("?") || body.equals("$")) {
            return body.charAt(0);
        }
        String key = body;
        String defaultValue = null;
        int comma = body.indexOf(',');
        if (comma >= 0) {
            key = body.substring(0, comma);
            String rest = body.substring(comma + 1).trim();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                return null;
            }
            defaultValue = rest.substring(1, rest.length() - 1);
        }
        key = key.trim();
        if (key.isEmpty() || key.indexOf(':') <= 0) {
            return null;
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isWhitespace(key.charAt(i))) {
                return null;
            }
        }
        return new Variable(key, RequestContext.lower(key), defaultValue);
    }

    /** The value as written in the policy. */
    String raw() {
        return raw;
    }

    /** Whether the value names at least one context key. */
    boolean hasVariables() {
        return variables;
    }

    /** Adds the keys of the variables (as written) to {@code keys}. */
    void collectKeys(Set<String> keys) {
        for (Object part : parts) {
            if (part instanceof Variable) {
                keys.add(((Variable) part).key());
            }
        }
    }

    /**
     * The value with variables substituted, every character literal; null when a variable has no value (its
     * key is then recorded as missing in {@code scope}).
     */
    String literal(EvaluationScope scope) {
        return variables ? resolveLiteral(scope) : literal;
    }

    /**
     * The value as a wildcard pattern: {@code *} and {@code ?} written in the policy are wildcards, escapes
     * and substituted values are literal; null when a variable has no value.
     */
    Wildcard pattern(EvaluationScope scope) {
        return variables ? resolvePattern(scope) : pattern;
    }

    private String resolveLiteral(EvaluationScope scope) {
        if (parts.length == 1 && parts[0] instanceof String) {
            return (String) parts[0];
        }
        var sb = new StringBuilder(raw.length());
        for (Object part : parts) {
            if (part instanceof Variable) {
                String value = resolve((Variable) part, scope);
                if (value == null) {
                    return null;
                }
                sb.append(value);
            } else if (part instanceof Character) {
                sb.append((char) (Character) part);
            } else {
                sb.append((String) part);
            }
        }
        return sb.toString();
    }

    private Wildcard resolvePattern(EvaluationScope scope) {
        var builder = Wildcard.builder();
        for (Object part : parts) {
            if (part instanceof Variable) {
                String value = resolve((Variable) part, scope);
                if (value == null) {
                    return null;
                }
                builder.appendLiteral(value);
            } else if (part instanceof Character) {
                builder.appendLiteral((char) (Character) part);
            } else {
                builder.appendPattern((String) part);
            }
        }
        return builder.build();
    }

    private static String resolve(Variable variable, EvaluationScope scope) {
        ContextValues values = scope.lookup(variable.lowerKey());
        if (values != null && values.size() == 1) {
            return values.get(0);
        }
        if (variable.defaultValue() != null) {
            return variable.defaultValue();
        }
        if (values == null) {
            scope.noteMissing(variable.key());
        }
        return null;
    }

    @Override
    public String toString() {
        return raw;
    }
}
