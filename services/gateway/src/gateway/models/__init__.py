"""What the composed views answer (DESIGN.md §6): the named fields are fixed, others are added."""
