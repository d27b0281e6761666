"""Resolve: Attribution -> Quote (speaker identity, role, organisation, relay chain)."""
