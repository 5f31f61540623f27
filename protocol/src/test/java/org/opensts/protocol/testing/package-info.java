/**
 * Test support that the {@code sts}, {@code iam} and {@code server} tests share through protocol's test-jar: finding
 * the project's {@code testdata/} ({@link org.opensts.protocol.testing.TestData}), reading the service models and
 * protocol vectors under {@code testdata/botocore} ({@link org.opensts.protocol.testing.BotocoreData},
 * {@link org.opensts.protocol.testing.ServiceModel}, {@link org.opensts.protocol.testing.Json}), building our shapes
 * from a model, and comparing a hand-declared shape with the model's
 * ({@link org.opensts.protocol.testing.ShapeConformance}).
 */
package org.opensts.protocol.testing;
