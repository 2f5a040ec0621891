"""The framework-free base layer: data, preprocessing, and ONNX inference with numpy + onnxruntime."""
