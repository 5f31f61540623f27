/**
 * Test support that the {@code sts}, {@code iam} and {@code server} tests share through protocol's test-jar: reading
 * the service models and protocol vectors of {@code ../shared/spec} ({@link org.opensts.protocol.testing.SharedSpec},
 * {@link org.opensts.protocol.testing.ServiceModel}, {@link org.opensts.protocol.testing.Json}), building our shapes
 * from a model, and comparing a hand-declared shape with the model's
 * ({@link org.opensts.protocol.testing.ShapeConformance}).
 */
package org.opensts.protocol.testing;
