"""tropexact: exact tropical geometry of ReLU networks."""
