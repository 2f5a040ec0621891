"""ONNX export of the reference network (.pth) and its Keras twin (.keras): the full net and the dense-50 cut.

Kept free of imports so that `mnist-export` can say in one line when onnx or a framework is missing.
"""
