"""Credential formats: recognising what a learner or a verifier hands over (`detect`)."""
