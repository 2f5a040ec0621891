"""The network's dimensions and its training as one framework-free value (`Recipe`), and what a training
reports after each epoch: read by both twins, the sweep, the report and the export. Imports only runtime."""
