package org.opensts.benchmarks;

import java.util.concurrent.TimeUnit;
import org.opensts.policy.internal.Wildcard;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Adversarial wildcards, at growing sizes: the time per operation must grow in proportion to the input (a little more
 * for segments holding {@code ?}), never with pattern × input as a backtracking matcher's does. Each operation puts a
 * pattern of about {@code length / 16} symbols that almost matches everywhere against {@code length} symbols:
 * <ul>
 *   <li>{@code matchesLiteralSegment}, {@code matchesSegmentWithOne}: a {@code StringLike} condition value against a
 *       context value, as policy evaluation and the simulator's {@code ContextEntries} do;</li>
 *   <li>{@code coversLiteralSegment}, {@code coversSegmentWithOne}, {@code intersectsWithDontCares}: a policy's
 *       {@code Resource} against a requested resource pattern, as the simulator does for a {@code ResourceArns} value
 *       that names a set of resources.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar WildcardBenchmark -f 1 -wi 2 -i 3 -w 1 -r 2
 * </pre>
 *
 * <p>On a shared 2-core machine (µs per operation, pattern of {@code length / 16} symbols; errors were wide because
 * other builds ran): at 16,384 / 131,072 / 1,048,576 symbols, {@code matchesLiteralSegment} 142 / 1,485 / 14,116,
 * {@code coversLiteralSegment} 309 / 1,946 / 9,385, {@code coversSegmentWithOne} 5,726 / 58,680 / 648,236,
 * {@code intersectsWithDontCares} 5,796 / 69,741 / 763,397, {@code matchesSegmentWithOne} 9,903 / 126,214 / 879,271:
 * about 8 to 11 times the time for 8 times the input, where a backtracking matcher's O(pattern × input) steps grow
 * 64 times (the pattern grows with the input).
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WildcardBenchmark {
    @Param({"16384", "131072", "1048576"})
    public int length;

    private String text;
    private Wildcard literalSegment;
    private Wildcard segmentWithOne;
    private Wildcard textAsPattern;
    private Wildcard fixedWithDontCares;

    @Setup
    public void setUp() {
        int segment = length / 16;
        text = "a".repeat(length);
        literalSegment = Wildcard.compile("*" + "a".repeat(segment) + "b*");
        segmentWithOne = Wildcard.compile("*" + "a?".repeat(segment / 2) + "b*");
        textAsPattern = Wildcard.builder().appendLiteral(text).build();
        fixedWithDontCares = Wildcard.compile("?" + "a".repeat(length - 1));
    }

    @Benchmark
    public boolean matchesLiteralSegment() {
        return literalSegment.matches(text);
    }

    @Benchmark
    public boolean matchesSegmentWithOne() {
        return segmentWithOne.matches(text);
    }

    @Benchmark
    public boolean coversLiteralSegment() {
        return literalSegment.covers(textAsPattern);
    }

    @Benchmark
    public boolean coversSegmentWithOne() {
        return segmentWithOne.covers(textAsPattern);
    }

    @Benchmark
    public boolean intersectsWithDontCares() {
        return literalSegment.intersects(fixedWithDontCares);
    }
}
