"""Extract: Article text parsed by spaCy -> Attribution records (content, cue, source spans)."""
