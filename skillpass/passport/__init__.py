"""The skills passport: what a learner can show they know, skill by skill, with the credential that proves each."""
