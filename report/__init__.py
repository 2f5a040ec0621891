"""The main job: train, examine, compare and export, writing every figure and result to one report."""
