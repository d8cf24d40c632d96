"""The learner's encrypted wallet: store, vault, unlock, holder keys, backup."""
