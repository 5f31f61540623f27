package org.opensts.server;

import java.time.Instant;

/**
 * Where an action writes the members of its {@code <{Action}Result>}: once, whatever form the client asked for. The
 * calls say what each member is — a structure, a list, a map, text, a number, a boolean, a timestamp — so that
 * {@link XmlWriter} can write the Query protocol's XML and {@link JsonResultWriter} the JSON AWS's Query services
 * answer with to {@code Accept: application/json} (docs/WIRE.md, "Answers in JSON") from the same calls.
 *
 * <p>A list's items are named {@code member} ({@code start("member")} or {@code element("member", …)}); a map's entries
 * are {@code entry} structures of {@code key} and {@code value}, as the Query protocol's XML writes them.
 */
interface ResultWriter {
    /** Opens a structure. */
    ResultWriter start(String name);

    /** Opens a list, whose items are {@code member}; XML writes it as {@link #start}, JSON as an array. */
    ResultWriter startList(String name);

    /** Opens a map of {@code entry} items; XML writes it as {@link #start}, JSON as an object keyed by each key. */
    ResultWriter startMap(String name);

    /** Closes the innermost structure, list or map. */
    ResultWriter end();

    /** A string member. */
    ResultWriter element(String name, String text);

    /** An integer member. */
    ResultWriter element(String name, long value);

    /** A boolean member. */
    ResultWriter element(String name, boolean value);

    /** A timestamp member, to the second. */
    ResultWriter element(String name, Instant value);

    /** Makes room for {@code characters} more, e.g. before a session token; a hint only. */
    ResultWriter reserve(int characters);
}
