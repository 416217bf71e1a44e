"""`./dx bench`: speed measured as ratios against the physical limit and a peer, side by side in one run."""
