"""Handwritten symbols (Greek letters and any others) named by nearest neighbours in the 50-d embedding:
labelled sets read from folders (sets), seeded distortions standing in for other hands (distort), k-NN on
vectors (knn), reference sets saved as .npz (references), and the classifier built on them (classifier)."""
from runtime.symbols.classifier import Neighbour, SymbolClassifier, SymbolMatch, class_list
from runtime.symbols.references import ReferenceSet
from runtime.symbols.sets import SymbolSet, read_symbol_folder

__all__ = ["Neighbour", "ReferenceSet", "SymbolClassifier", "SymbolMatch", "SymbolSet", "class_list",
           "read_symbol_folder"]
