"""Dial-a-ride planning: the model, solver engines, the verifier and file formats (pure)."""
