package org.opensts.verifier;

/**
 * The work the decisions of one request have cost so far, so that a request that asks for many (a DeleteObjects, one
 * per key) is priced as a whole ({@link SessionAuthorizer#MAX_UNITS_PER_REQUEST}). One per request, used by the thread
 * that decides it.
 */
public final class DecisionBudget {
    private long spent;

    public DecisionBudget() {
    }

    /** A budget of which {@code spent} units are already spent, for tests. */
    DecisionBudget(long spent) {
        this.spent = spent;
    }

    /** Adds the units of one evaluation (at most {@code EvaluationCost.MAX_UNITS}); returns what is spent now. */
    long spend(long units) {
        spent += units;
        return spent;
    }
}
