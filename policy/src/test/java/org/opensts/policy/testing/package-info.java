/**
 * Test support shared with the modules above the policy engine (published as the policy module's test-jar): the table
 * of AWS evaluation rules, {@link org.opensts.policy.testing.EvaluationRuleCases}, which the engine's tests and the
 * policy simulator's tests over HTTP both run.
 */
package org.opensts.policy.testing;
