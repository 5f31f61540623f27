package org.opensts.iam;

import java.util.List;

/**
 * One page of a simulation's results: those from index {@code start} of the whole simulation (each action tried on
 * each resource, in that order), and how many the whole simulation has. Only the page's results are computed.
 */
public record SimulationPage(List<SimulationResult> results, int start, int total) {
    public SimulationPage {
        results = List.copyOf(results);
    }

    /** The index of the first result after this page. */
    public int end() {
        return start + results.size();
    }
}
