"""`runtime serve`: the app and its routes (app), the Open Inference Protocol (kserve), errors and body limits
(http), the process that listens (process), and the drawing page (page/). Needs the `[serve]` extra."""
