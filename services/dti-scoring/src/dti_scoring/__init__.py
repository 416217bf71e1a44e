"""Digital Transformation Index: criterion submissions, review, scoring and rankings."""
