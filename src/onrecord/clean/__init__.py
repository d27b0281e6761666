"""Clean: RawDocument -> Article (text without page junk, plus metadata).

Entry point: ``clean_document(raw, is_cleaning=True)``.
"""
